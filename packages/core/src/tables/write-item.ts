import type { Item } from '../model/attribute-value.js';
import { knownItemSize } from '../model/item-size.js';
import { decodeItem, encodeItem, storedItemSize } from '../storage/item-codec.js';
import { primaryKeyIdentity, type PrimaryKeyCode, type StorageKey } from '../storage/storage-key.js';
import { checkIndexKeys } from './index-key-checks.js';
import { updateIndex } from './index-maintenance.js';
import { checkCollection } from './item-collections.js';
import type { TableState } from './table-state.js';

/*
 * The one write path of every item write (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
 * TransactWriteItems, the log's replay): the table write and, atomically with it, every secondary
 * index's. A table without indexes goes straight to its storage.
 *
 * Order, so a failing write changes nothing: validate the item's index keys (types, empty values),
 * check the LSI item-collection size limit, then write the table, then each index.
 */

/**
 * Stores `item` under its primary key `code` and updates every secondary index; returns the item it
 * replaced. `place` gives a new item's storage key (see TableStorage.put). Validates the item's index
 * keys first unless the caller already did (`indexKeysChecked`), and refuses a write that would grow
 * an LSI item collection past its limit (ItemCollectionSizeLimitExceededException); either way
 * nothing changes on failure.
 */
export function writeItem(
  table: TableState,
  code: PrimaryKeyCode,
  item: Item,
  place: (key: PrimaryKeyCode) => StorageKey,
  indexKeysChecked = false,
  size: number = knownItemSize(item),
): Item | undefined {
  if (table.indexes.length === 0) {
    const old = table.storage.write(code, item, place, size);
    return old === undefined ? undefined : decodeItem(old);
  }
  const current = table.storage.get(code);
  writeIndexed(table, code, current, item, place, indexKeysChecked, size);
  return current;
}

/**
 * writeItem when the caller has read the item the write replaces (`current`, undefined for none) in the
 * same operation: index maintenance uses it instead of reading and decoding it again.
 */
export function writeItemReplacing(
  table: TableState,
  code: PrimaryKeyCode,
  current: Item | undefined,
  item: Item,
  place: (key: PrimaryKeyCode) => StorageKey,
  indexKeysChecked = false,
  size: number = knownItemSize(item),
): void {
  if (table.indexes.length === 0) table.storage.write(code, item, place, size);
  else writeIndexed(table, code, current, item, place, indexKeysChecked, size);
}

/**
 * writeItem of an item the caller holds in its stored form too (loading a snapshot's items): the table
 * keeps that very string, not a new encoding. `item` may be undefined for a table without indexes (it is
 * not needed); returns the replaced item, encoded.
 */
export function writeStoredItem(
  table: TableState,
  code: PrimaryKeyCode,
  item: Item | undefined,
  stored: string,
  place: (key: PrimaryKeyCode) => StorageKey,
  indexKeysChecked: boolean,
): string | undefined {
  if (table.indexes.length === 0) return table.storage.putStored(code, stored, place);
  const storage = table.storage;
  const current = storage.getStored(code);
  writeIndexed(table, code, current === undefined ? undefined : decodeItem(current), item!, place, indexKeysChecked, storedItemSize(stored), stored);
  return current;
}

/** The write of a table with secondary indexes, given the item it replaces (and its encoding, if known). */
function writeIndexed(
  table: TableState,
  code: PrimaryKeyCode,
  current: Item | undefined,
  item: Item,
  place: (key: PrimaryKeyCode) => StorageKey,
  indexKeysChecked: boolean,
  size: number,
  stored: string = encodeItem(item, size),
): void {
  if (!indexKeysChecked) checkIndexKeys(table, item);
  const commitCollection = table.collectionSizes === undefined ? undefined : checkCollection(table, code.partitionKey, current, item);
  // An index of projection ALL holds the table's very string, not a second copy.
  table.storage.putStored(code, stored, place);
  const tableKey = primaryKeyIdentity(code);
  for (const index of table.indexes) updateIndex(index, tableKey, current, item, stored);
  commitCollection?.();
}

/**
 * Deletes the item under `code` from the table and every index; returns it, if there was one.
 * `current`: the item, when the caller has read it in the same operation (not decoded again).
 */
export function removeItem(table: TableState, code: PrimaryKeyCode, current?: Item): Item | undefined {
  const indexes = table.indexes;
  const storage = table.storage;
  if (indexes.length === 0) {
    if (current === undefined) return storage.delete(code);
    storage.deleteStored(code);
    return current;
  }
  const old = current ?? storage.get(code);
  if (old === undefined) return undefined;
  const commitCollection = table.collectionSizes === undefined ? undefined : checkCollection(table, code.partitionKey, old, undefined);
  storage.deleteStored(code);
  const tableKey = primaryKeyIdentity(code);
  for (const index of indexes) updateIndex(index, tableKey, old, undefined);
  commitCollection?.();
  return old;
}
