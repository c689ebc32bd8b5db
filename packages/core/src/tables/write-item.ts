import type { Item } from '../model/attribute-value.js';
import { knownItemSize } from '../model/item-size.js';
import { decodeItem, encodeItem } from '../storage/item-codec.js';
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
  const old = writeItemReturningStored(table, code, item, place, indexKeysChecked, size);
  return old === undefined ? undefined : decodeItem(old);
}

/**
 * writeItem, returning the replaced item still encoded (item-codec.ts): a caller that may not need it
 * (PutItem without ReturnValues or change listeners) decodes it only when it does.
 */
export function writeItemReturningStored(
  table: TableState,
  code: PrimaryKeyCode,
  item: Item,
  place: (key: PrimaryKeyCode) => StorageKey,
  indexKeysChecked: boolean,
  size: number,
): string | undefined {
  const indexes = table.indexes;
  if (indexes.length === 0) return table.storage.write(code, item, place, size);
  if (!indexKeysChecked) checkIndexKeys(table, item);
  const storage = table.storage;
  const current = storage.get(code);
  const commitCollection = table.collectionSizes === undefined ? undefined : checkCollection(table, code.partitionKey, current, item);
  // An index of projection ALL holds the table's very string, not a second copy.
  const stored = encodeItem(item, size);
  const old = storage.putStored(code, stored, place);
  const tableKey = primaryKeyIdentity(code);
  for (const index of indexes) updateIndex(index, tableKey, current, item, stored);
  commitCollection?.();
  return old;
}

/** Deletes the item under `code` from the table and every index; returns it, if there was one. */
export function removeItem(table: TableState, code: PrimaryKeyCode): Item | undefined {
  const indexes = table.indexes;
  if (indexes.length === 0) return table.storage.delete(code);
  const storage = table.storage;
  const current = storage.get(code);
  if (current === undefined) return undefined;
  const commitCollection = table.collectionSizes === undefined ? undefined : checkCollection(table, code.partitionKey, current, undefined);
  const old = storage.delete(code);
  const tableKey = primaryKeyIdentity(code);
  for (const index of indexes) updateIndex(index, tableKey, old, undefined);
  commitCollection?.();
  return old;
}
