import type { Engine } from '../engine.js';
import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import { keyOf } from '../model/validate-key.js';
import type { ChangeBatch, ChangeEventName, ChangeOrigin, ChangeRecord } from '../modules/change-record.js';
import { primaryKeyCodeOf, withHash } from '../storage/storage-key.js';
import { removeItem, writeItem } from '../tables/write-item.js';
import { applyCatalogChange, type CatalogChange, type ModuleTableState } from './catalog.js';
import { encodableItem, encode, storedItem } from './codec.js';
import { frame } from './frame.js';

/**
 * The records of the write-ahead log, as msgpack payloads of frames (frame.ts):
 * - a segment header `{ log: 2, startLsn }` opens every segment (version 2: the store keeps a manifest,
 *   files.ts, naming its newest segment; version 1, before manifests, is still read);
 * - a write `{ lsn, seq, w: [[table, event, image, timestamp, origin], …], tok? }` is one committed
 *   change batch — one transaction, never split — whose images are the new item (INSERT, MODIFY) or
 *   the key (REMOVE); old images are not logged: replay reads them from the state it rebuilds;
 *   `tok` is a TransactWriteItems ClientRequestToken committed with it;
 * - a catalog record `{ lsn, c: [CatalogChange, …] }` is a table created, changed or removed;
 * - a module record `{ lsn, m: [module, record] }` is a module's own state change
 *   (ModuleContext.logModuleRecord), handed back to that module on replay.
 */

export const LOG_VERSION = 2;

/** Whether a segment header's version is one this code reads. */
export function isLogVersion(version: unknown): boolean {
  return version === 1 || version === LOG_VERSION;
}

const EVENTS: readonly ChangeEventName[] = ['INSERT', 'MODIFY', 'REMOVE'];
const ORIGINS: readonly ChangeOrigin[] = ['user', 'ttl', 'replication', 'restore'];

/** A TransactWriteItems ClientRequestToken entry: token, request fingerprint, commit time, answer. */
export type TokenEntry = [token: string, fingerprint: string, committedAt: number, output: unknown];

type LoggedChange = [table: string, event: number, image: Item, timestamp: number, origin: number];

interface WriteRecord {
  lsn: number;
  seq: number;
  w: LoggedChange[];
  tok?: TokenEntry;
}
interface CatalogRecord {
  lsn: number;
  c: CatalogChange[];
}

export function segmentHeader(startLsn: number): Uint8Array {
  return frame(encode({ log: LOG_VERSION, startLsn }));
}

/** The framed log record of a committed change batch (and the token its transaction recorded). */
export function writeRecord(lsn: number, batch: ChangeBatch | undefined, token: TokenEntry | undefined): Uint8Array {
  const records = batch?.records ?? [];
  const record: WriteRecord = {
    lsn,
    seq: records[0]?.sequenceNumber ?? 0,
    w: records.map((r) => [r.tableName, EVENTS.indexOf(r.eventName), encodableItem(r.eventName === 'REMOVE' ? r.keys : r.newImage!), r.timestamp, ORIGINS.indexOf(r.origin)]),
  };
  if (token !== undefined) record.tok = token;
  return frame(encode(record));
}

export function catalogRecord(lsn: number, changes: CatalogChange[]): Uint8Array {
  return frame(encode({ lsn, c: changes } satisfies CatalogRecord));
}

/** The framed log record of a module's state change. */
export function moduleRecord(lsn: number, module: string, record: unknown): Uint8Array {
  return frame(encode({ lsn, m: [module, record] }));
}

/** The module and payload of a decoded module record, or undefined when the record is another kind. */
export function moduleRecordOf(record: unknown): [module: string, record: unknown] | undefined {
  const m = (record as { m?: unknown } | null)?.m;
  if (!Array.isArray(m)) return undefined;
  if (typeof m[0] !== 'string') throw new RecordFormatError('a module record without a module name');
  return [m[0], m[1]];
}

/** A decoded record is not what the log holds. */
export class RecordFormatError extends Error {}

/** The LSN of a decoded record. */
export function lsnOf(record: unknown): number {
  const lsn = (record as { lsn?: unknown } | null)?.lsn;
  if (typeof lsn !== 'number') throw new RecordFormatError('a log record without an LSN');
  return lsn;
}

/**
 * Applies a decoded log record to the engine (replay): catalog changes, or a batch's writes through the
 * one write path (so indexes and sizes follow). Returns the change batch as first published, for
 * modules that rebuild state from it (PersistentModule.replayChanges), when `wantBatch`.
 *
 * @internal
 */
export function applyRecord(engine: Engine, record: unknown, wantBatch: boolean, state: ModuleTableState): ChangeBatch | undefined {
  const r = record as Partial<WriteRecord & CatalogRecord>;
  if (Array.isArray(r.c)) {
    for (const change of r.c) applyCatalogChange(engine, change, state);
    return undefined;
  }
  if (!Array.isArray(r.w) || typeof r.seq !== 'number') throw new RecordFormatError('a log record that is neither a write nor a catalog change');
  const out: ChangeRecord[] | undefined = wantBatch ? [] : undefined;
  let seq = r.seq;
  for (const change of r.w) {
    const [tableName, event, image, timestamp, origin] = change;
    const table = engine.tables.get(tableName);
    if (table === undefined) throw new RecordFormatError(`a write to table ${tableName}, which does not exist at that point of the log`);
    const item = storedItem(image as Record<string, unknown>);
    const schema = table.keySchema;
    const code = primaryKeyCodeOf(item, schema);
    const eventName = EVENTS[event]!;
    const limit = table.itemCollectionSizeLimitBytes;
    // Replay re-applies what was accepted once: the collection limit it passed then must not refuse it now.
    table.itemCollectionSizeLimitBytes = Number.POSITIVE_INFINITY;
    const old = eventName === 'REMOVE' ? removeItem(table, code) : writeItem(table, code, item, (c) => withHash(c, item, schema), true, itemSize(item));
    table.itemCollectionSizeLimitBytes = limit;
    if (out !== undefined) {
      const keys = eventName === 'REMOVE' ? item : keyOf(item, table.keySchema);
      out.push({
        sequenceNumber: seq,
        tableName,
        eventName,
        keys,
        oldImage: old,
        newImage: eventName === 'REMOVE' ? undefined : item,
        timestamp,
        origin: ORIGINS[origin] ?? 'user',
      });
    }
    seq++;
  }
  if (r.w.length > 0) engine.resumeChangeSequence(seq);
  if (r.tok !== undefined) {
    const [token, fingerprint, committedAt, output] = r.tok;
    engine.transactionTokens.delete(token);
    engine.transactionTokens.set(token, { fingerprint, committedAt, output });
  }
  return out === undefined ? undefined : { records: out };
}

