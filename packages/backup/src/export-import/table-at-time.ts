import type { Item, Key } from '@magneto/core';
import type { ContinuousBackups, TableHistory } from '../continuous-backups.js';
import { hex } from './job-id.js';

/**
 * The items of a table at `time` (within its PITR window), as a restore to that time would write them:
 * the newest checkpoint's items (an O(1) snapshot, read lazily) with the changes after it up to `time`
 * laid over them. Only the changes (at most one checkpoint interval) are held in memory.
 */
export function itemsAt(pitr: ContinuousBackups, history: TableHistory, time: number): Iterable<Item> {
  const { checkpoint, changes } = pitr.stateAt(history, time);
  const keyNames = history.source.KeySchema.map((element) => element.AttributeName);
  const latest = new Map<string, Item | undefined>();
  for (const change of changes) latest.set(keyString(keyNames, change.keys), change.newImage);
  return {
    *[Symbol.iterator]() {
      for (const item of checkpoint.items.items()) if (!latest.has(keyString(keyNames, item))) yield item;
      for (const item of latest.values()) if (item !== undefined) yield item;
    },
  };
}

/** A key's identity as a string (its attributes' types and values, binary in hex). */
export function keyString(keyNames: readonly string[], item: Key): string {
  let text = '';
  for (const name of keyNames) {
    const value = item[name]!;
    if ('S' in value) text += `S${value.S}\u0000`;
    else if ('N' in value) text += `N${value.N}\u0000`;
    else if ('B' in value) text += `B${hex(value.B)}\u0000`;
  }
  return text;
}
