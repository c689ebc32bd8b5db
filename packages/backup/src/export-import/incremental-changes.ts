import type { Item, Key } from '@magneto/core';
import type { ContinuousBackups, TableHistory } from '../continuous-backups.js';
import { keyString } from './table-at-time.js';

/** ExportViewType of an incremental export. */
export type ExportViewType = 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';

/**
 * One item of an incremental export: its key, its image at ExportToTime (absent: deleted), its image at
 * ExportFromTime (NEW_AND_OLD_IMAGES only; absent: it did not exist) and the time of its last write.
 */
export interface IncrementalChange {
  readonly keys: Key;
  readonly newImage?: Item | undefined;
  readonly oldImage?: Item | undefined;
  /** The last write's time in the window, in ms. */
  readonly writtenAt: number;
}

/**
 * The items written in [from, to) as an incremental export holds them: one entry per item, compacted to
 * its state at the window's end (several writes: one line; an item put and deleted inside the window:
 * nothing), as DynamoDB's incremental exports are. The old images are the items' states just before
 * `from`: the last retained change before it, else the oldest checkpoint's item (one pass over it, only
 * when some old image is not among the changes).
 */
export function changesBetween(pitr: ContinuousBackups, history: TableHistory, from: number, to: number, view: ExportViewType): IncrementalChange[] {
  const keyNames = history.source.KeySchema.map((element) => element.AttributeName);
  const changed = new Map<string, { keys: Key; newImage: Item | undefined; writtenAt: number }>();
  for (const change of history.changes.all()) {
    if (change.timestamp < from) continue;
    if (change.timestamp >= to) break;
    changed.set(keyString(keyNames, change.keys), { keys: keyOf(keyNames, change.keys), newImage: change.newImage, writtenAt: change.timestamp });
  }
  // NEW_IMAGE needs the old states only to tell a delete of an existing item from a put undone in the window.
  const needed = view === 'NEW_AND_OLD_IMAGES' ? changed : new Map([...changed].filter(([, change]) => change.newImage === undefined));
  const before = needed.size === 0 ? new Map<string, Item>() : imagesBefore(pitr, history, from, keyNames, needed);
  const out: IncrementalChange[] = [];
  for (const [identity, { keys, newImage, writtenAt }] of changed) {
    const oldImage = before.get(identity);
    if (newImage === undefined && oldImage === undefined) continue;
    out.push(view === 'NEW_AND_OLD_IMAGES' ? { keys, newImage, oldImage, writtenAt } : { keys, newImage, writtenAt });
  }
  return out;
}

/** The states just before `from` of the changed items that existed then. */
function imagesBefore(pitr: ContinuousBackups, history: TableHistory, from: number, keyNames: readonly string[], changed: ReadonlyMap<string, unknown>): Map<string, Item> {
  const { checkpoint, changes } = pitr.stateAt(history, from - 1);
  const latest = new Map<string, Item | undefined>();
  for (const change of changes) {
    const identity = keyString(keyNames, change.keys);
    if (changed.has(identity)) latest.set(identity, change.newImage);
  }
  const images = new Map<string, Item>();
  for (const [identity, item] of latest) if (item !== undefined) images.set(identity, item);
  if (latest.size < changed.size) {
    for (const item of checkpoint.items.items()) {
      const identity = keyString(keyNames, item);
      if (changed.has(identity) && !latest.has(identity)) images.set(identity, item);
    }
  }
  return images;
}

/** The key attributes of an item (a change's keys may be its whole image). */
function keyOf(keyNames: readonly string[], item: Key): Key {
  const key: Key = {};
  for (const name of keyNames) key[name] = item[name]!;
  return key;
}
