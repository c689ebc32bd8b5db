import type { Engine } from '../engine.js';
import { keyAttributesOf } from '../model/key-schema.js';
import { decodeAttributes, decodeItem, nameDictionary, packStoredItems, storedItemReader, unpackStoredItems } from '../storage/item-codec.js';
import { hashOfStorageKey, primaryKeyCodeOf, type PrimaryKeyCode, type StorageKey } from '../storage/storage-key.js';
import type { TableStorage } from '../storage/table-storage.js';
import type { TableState } from '../tables/table-state.js';
import { writeItem, writeStoredItem } from '../tables/write-item.js';
import { catalogEntryOf, tableFromCatalog, type CatalogTable, type ModuleTableState } from './catalog.js';
import { decode, decodeRecords, encode, storedItem } from './codec.js';
import { frame, readFrames, type FrameDamage } from './frame.js';
import type { TokenEntry } from './log-records.js';

/**
 * A snapshot file: a header frame `{ snapshot: 3, lsn, nextSequenceNumber, catalog, modules, tokens,
 * partitions, names }`, then item chunks `{ t: table position in catalog, stored, lengths, hashes }` in
 * Scan order, then an end frame `{ end: item count }`. A snapshot without its end frame, or with any bad
 * frame, is not used.
 *
 * Items are written as storage holds them (item-codec.ts; their sizes included): `stored` is a chunk's
 * items side by side, one byte per character, `lengths` their lengths, `names` the name dictionary their
 * codes refer to; each item's partition hash rides along (as its step from the previous item's: Scan
 * order is hash order, so most steps are 0 and take one byte), so loading neither measures nor hashes,
 * and neither writing nor loading decodes and encodes items again (except into an index).
 * Version 2 (still read) held msgpack items and their `sizes` instead.
 *
 * It is captured in O(tables × partitions + names) between two operations (each table's storage
 * snapshot is a B+ tree clone), then encoded chunk by chunk while writers go on.
 */

export const SNAPSHOT_VERSION = 3;
/** The version whose chunks hold msgpack items, read still. */
const MSGPACK_ITEMS_VERSION = 2;

/** Everything a snapshot holds, captured at one instant. */
export interface SnapshotCapture {
  readonly lsn: number;
  readonly header: Record<string, unknown>;
  readonly storages: readonly TableStorage[];
}

/** Captures the engine's state as of log position `lsn` (synchronously: nothing interleaves). @internal */
export function captureSnapshot(
  engine: Engine,
  lsn: number,
  state: ModuleTableState,
  moduleStates: Record<string, unknown>,
): SnapshotCapture {
  const tables = [...engine.tables.values()];
  const tokens: TokenEntry[] = [];
  for (const [token, entry] of engine.transactionTokens) tokens.push([token, entry.fingerprint, entry.committedAt, entry.output]);
  return {
    lsn,
    header: {
      snapshot: SNAPSHOT_VERSION,
      lsn,
      nextSequenceNumber: engine.nextChangeSequenceNumber,
      catalog: tables.map((table) => catalogEntryOf(table, state)),
      modules: moduleStates,
      tokens,
      // Each table's partition starts (after the first): reloading the items alone may split otherwise.
      partitions: tables.map((table) => table.storage.partitionList.slice(1).map((p) => p.lowHash)),
      names: nameDictionary(),
    },
    storages: tables.map((table) => table.storage.snapshot()),
  };
}

/**
 * The snapshot's framed chunks, `chunkItems` items each; `pause` runs between chunks so writers are
 * served while a large snapshot is encoded.
 */
export async function* snapshotChunks(capture: SnapshotCapture, chunkItems: number, pause: () => Promise<void>): AsyncGenerator<Uint8Array> {
  yield frame(encode(capture.header));
  let count = 0;
  for (let t = 0; t < capture.storages.length; t++) {
    const storage = capture.storages[t]!;
    let after: string | undefined;
    for (;;) {
      const items: string[] = [];
      const lengths: number[] = [];
      const hashes: number[] = [];
      let previousHash = 0;
      storage.visitStored(after, (key, stored) => {
        items.push(stored);
        lengths.push(stored.length);
        const hash = hashOfStorageKey(key);
        hashes.push(hash - previousHash);
        previousHash = hash;
        after = key;
        return items.length < chunkItems;
      });
      if (items.length === 0) break;
      count += items.length;
      yield frame(encode({ t, stored: packStoredItems(items), lengths, hashes }));
      if (items.length < chunkItems) break;
      await pause();
    }
  }
  yield frame(encode({ end: count }));
}

/** What a valid snapshot file decodes to, ready to install. */
export interface LoadedSnapshot {
  readonly lsn: number;
  readonly nextSequenceNumber: number;
  readonly tables: TableState[];
  readonly modules: Record<string, unknown>;
  readonly tokens: TokenEntry[];
  readonly items: number;
}

/** Why a snapshot file cannot be used. */
export type SnapshotProblem = FrameDamage | { readonly offset: number; readonly reason: 'format'; readonly discardedBytes: number; readonly detail: string };

/**
 * Decodes and checks a whole snapshot into new TableStates (the engine is not touched); `loaded` is told
 * after each chunk how many items are in and what fraction of the chunks. @internal
 */
export function loadSnapshot(
  engine: Engine,
  bytes: Uint8Array,
  state: ModuleTableState,
  loaded?: (items: number, fraction: number) => void,
): { snapshot: LoadedSnapshot } | { problem: SnapshotProblem } {
  const { payloads, ends, damage } = readFrames(bytes);
  const format = (index: number, detail: string): { problem: SnapshotProblem } => {
    const offset = index === 0 ? 0 : ends[index - 1]!;
    return { problem: { offset, reason: 'format', discardedBytes: bytes.length - offset, detail } };
  };
  if (damage !== undefined) return { problem: damage };
  if (payloads.length === 0) return format(0, 'empty snapshot');
  const header = decode(payloads[0]!) as { snapshot?: unknown; lsn: number; nextSequenceNumber: number; catalog: CatalogTable[]; modules: Record<string, unknown>; tokens: TokenEntry[]; partitions?: number[][]; names?: string[] };
  const version = header?.snapshot;
  if (version !== SNAPSHOT_VERSION && version !== MSGPACK_ITEMS_VERSION) return format(0, 'not a snapshot header');
  if (version === SNAPSHOT_VERSION && !Array.isArray(header.names)) return format(0, 'a snapshot header without its name dictionary');
  const tables = header.catalog.map((entry) => tableFromCatalog(engine, entry, state));
  // Snapshots written before partitions were recorded have none: their tables split as they load.
  header.partitions?.forEach((starts, i) => {
    if (starts.length > 0) tables[i]?.storage.presetPartitions(starts);
  });
  const limits = tables.map((table) => table.itemCollectionSizeLimitBytes);
  for (const table of tables) table.itemCollectionSizeLimitBytes = Number.POSITIVE_INFINITY;
  const readStored = version === SNAPSHOT_VERSION ? storedItemReader(header.names!) : undefined;
  let items = 0;
  let ended = false;
  for (let i = 1; i < payloads.length; i++) {
    if (ended) return format(i, 'data after the end of the snapshot');
    const chunk = decodeRecords(payloads[i]!) as { t?: number; stored?: Uint8Array; lengths?: number[]; items?: Array<Record<string, unknown>>; sizes?: number[]; hashes?: number[]; end?: number };
    if (typeof chunk?.end === 'number') {
      if (chunk.end !== items) return format(i, `snapshot ends after ${chunk.end} items but holds ${items}`);
      ended = true;
      continue;
    }
    const table = typeof chunk?.t === 'number' ? tables[chunk.t] : undefined;
    const hashes = chunk?.hashes;
    if (table === undefined || !Array.isArray(hashes)) return format(i, 'a chunk of no table');
    let loadedItems: number;
    if (readStored !== undefined) {
      const { stored, lengths } = chunk;
      if (!(stored instanceof Uint8Array) || !Array.isArray(lengths) || lengths.length !== hashes.length) return format(i, 'a chunk without its stored items');
      let unpacked: string[];
      try {
        unpacked = unpackStoredItems(stored, lengths);
      } catch (error) {
        return format(i, (error as Error).message);
      }
      const keyNames = keyAttributesOf(table.keySchema).map((attribute) => attribute.name);
      let hash = 0;
      for (let n = 0; n < unpacked.length; n++) {
        hash += hashes[n]!;
        loadStored(table, keyNames, readStored(unpacked[n]!), hash);
      }
      loadedItems = unpacked.length;
    } else {
      const { items: decodedItems, sizes } = chunk;
      if (!Array.isArray(decodedItems) || !Array.isArray(sizes)) return format(i, 'a chunk of no table');
      for (let n = 0; n < decodedItems.length; n++) {
        const item = storedItem(decodedItems[n]!);
        writeItem(table, primaryKeyCodeOf(item, table.keySchema), item, placeAt(hashes[n]!), true, sizes[n]!);
      }
      loadedItems = decodedItems.length;
    }
    items += loadedItems;
    loaded?.(items, i / (payloads.length - 1));
  }
  if (!ended) return format(payloads.length, 'the snapshot has no end record');
  tables.forEach((table, i) => (table.itemCollectionSizeLimitBytes = limits[i]!));
  return {
    snapshot: { lsn: header.lsn, nextSequenceNumber: header.nextSequenceNumber, tables, modules: header.modules ?? {}, tokens: header.tokens ?? [], items },
  };
}

/** The storage key of a loaded item: its recorded partition hash. */
function placeAt(hash: number): (code: PrimaryKeyCode) => StorageKey {
  return (code) => ({ hash, partitionKey: code.partitionKey, sortKey: code.sortKey });
}

/**
 * Loads one item in its stored form: the table keeps the very string (decoded only to read its key, or
 * whole for a table with indexes, whose entries need it).
 */
function loadStored(table: TableState, keyNames: readonly string[], stored: string, hash: number): void {
  const item = table.indexes.length === 0 ? undefined : decodeItem(stored);
  writeStoredItem(table, primaryKeyCodeOf(item ?? decodeAttributes(stored, keyNames), table.keySchema), item, stored, placeAt(hash), true);
}
