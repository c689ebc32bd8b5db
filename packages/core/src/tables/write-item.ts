import { INVALID, ItemCollectionSizeLimitExceededException, ValidationException } from '../errors.js';
import { attributeTypeOf, type AttributeValue, type Item, type Key } from '../model/attribute-value.js';
import { encodeSortableKeyValue, type KeyValue } from '../model/compare-keys.js';
import { equalValues } from '../model/equal-values.js';
import { itemSize, knownItemSize } from '../model/item-size.js';
import { keyAttributesOf, type KeyAttribute } from '../model/key-schema.js';
import { encodeTupleOf } from '../model/tuple-key.js';
import { hashPrefixOfKeyValue, hashPrefixOfString } from '../storage/hash-prefix.js';
import { primaryKeyIdentity, type PrimaryKeyCode, type StorageKey } from '../storage/storage-key.js';
import { projectItemForIndex, type SecondaryIndex } from './secondary-index.js';
import type { TableState } from './table-state.js';
import { memberOf } from '../model/set-member.js';

/**
 * The one write path of every item operation (PutItem, UpdateItem, DeleteItem, and later batches and
 * transactions): the table write and, atomically with it, every secondary index's. A table without
 * indexes goes straight to its storage.
 *
 * Order, so a failing write changes nothing: validate the item's index keys (types, empty values),
 * check the LSI item-collection size limit, then write the table, then each index.
 */

/** An index's bytes of overhead per entry, as DynamoDB counts an LSI entry toward its item collection. */
const INDEX_ENTRY_OVERHEAD = 100;

/** Where an index partition key value places an entry: its hash prefix and its sortable string. */
export function indexPartitionOf(value: KeyValue): { hash: number; partitionKey: string } {
  return {
    hash: hashPrefixOfKeyValue(value),
    partitionKey: encodeSortableKeyValue(value),
  };
}

/**
 * The storage key of `item`'s entry in `index` (`tableKey` is the item's table primary key identity),
 * or undefined when the item lacks an index key attribute (indexes are sparse).
 */
export function indexStorageKey(index: SecondaryIndex, item: Item, tableKey: string): StorageKey | undefined {
  if (index.keySchema.partitionKeys !== undefined) return tupleStorageKey(index, item, tableKey);
  const { partitionKey, sortKey } = index.keySchema;
  const partitionValue = memberOf(item, partitionKey.name);
  if (partitionValue === undefined) return undefined;
  let sortValue: AttributeValue | undefined;
  if (sortKey !== undefined) {
    sortValue = memberOf(item, sortKey.name);
    if (sortValue === undefined) return undefined;
  }
  const place = indexPartitionOf(partitionValue as KeyValue);
  return {
    hash: place.hash,
    partitionKey: place.partitionKey,
    sortKey: sortValue === undefined ? '' : encodeSortableKeyValue(sortValue as KeyValue),
    tableKey,
  };
}

/** indexStorageKey for a multi-attribute key: both tuples encoded (model/tuple-key.ts). */
function tupleStorageKey(index: SecondaryIndex, item: Item, tableKey: string): StorageKey | undefined {
  const partitionKey = encodeTupleOf(item, index.keySchema.partitionKeys!);
  if (partitionKey === undefined) return undefined;
  const sortKey = encodeTupleOf(item, index.keySchema.sortKeys ?? []);
  if (sortKey === undefined) return undefined;
  return { hash: hashPrefixOfString(partitionKey), partitionKey, sortKey, tableKey };
}

function typeMismatch(attribute: KeyAttribute, value: AttributeValue, index: SecondaryIndex): ValidationException {
  return new ValidationException(
    `${INVALID}Type mismatch for Index Key ${attribute.name} Expected: ${attribute.type} ` +
      `Actual: ${attributeTypeOf(value)} IndexName: ${index.name}`,
  );
}

function emptyIndexKey(attribute: KeyAttribute, value: AttributeValue, index: SecondaryIndex): ValidationException {
  return new ValidationException(
    'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
      `The AttributeValue for a key attribute cannot contain an empty ${'B' in value ? 'binary' : 'string'} value. ` +
      `IndexName: ${index.name}, IndexKey: ${attribute.name}`,
  );
}

function isEmptyKeyValue(value: AttributeValue): boolean {
  return ('S' in value && value.S.length === 0) || ('B' in value && value.B.length === 0);
}

function hasType(value: AttributeValue, type: KeyAttribute['type']): boolean {
  return type in value;
}

/**
 * Checks the index key attributes `item` carries: each must have its AttributeDefinition's type
 * ("Type mismatch for Index Key …") and must not be empty. Type mismatches are reported before empty
 * values, each in index definition order. Attributes the item lacks are fine: the item is just not
 * indexed. Throws ValidationException with DynamoDB's message.
 */
export function checkIndexKeys(table: TableState, item: Item): void {
  const indexes = table.indexes;
  for (const index of indexes) {
    if (index.keySchema.partitionKeys !== undefined) {
      for (const attribute of keyAttributesOf(index.keySchema)) {
        const v = memberOf(item, attribute.name);
        if (v !== undefined && !hasType(v, attribute.type)) throw typeMismatch(attribute, v, index);
      }
      continue;
    }
    const { partitionKey, sortKey } = index.keySchema;
    const p = memberOf(item, partitionKey.name);
    if (p !== undefined && !hasType(p, partitionKey.type)) throw typeMismatch(partitionKey, p, index);
    if (sortKey !== undefined) {
      const s = memberOf(item, sortKey.name);
      if (s !== undefined && !hasType(s, sortKey.type)) throw typeMismatch(sortKey, s, index);
    }
  }
  for (const index of indexes) {
    if (index.keySchema.partitionKeys !== undefined) {
      for (const attribute of keyAttributesOf(index.keySchema)) {
        const v = memberOf(item, attribute.name);
        if (v !== undefined && isEmptyKeyValue(v)) throw emptyIndexKey(attribute, v, index);
      }
      continue;
    }
    const { partitionKey, sortKey } = index.keySchema;
    const p = memberOf(item, partitionKey.name);
    if (p !== undefined && isEmptyKeyValue(p)) throw emptyIndexKey(partitionKey, p, index);
    if (sortKey !== undefined) {
      const s = memberOf(item, sortKey.name);
      if (s !== undefined && isEmptyKeyValue(s)) throw emptyIndexKey(sortKey, s, index);
    }
  }
}

/** Whether `item` has valid values for all of the index's key attributes (what a backfill indexes). */
function indexable(index: SecondaryIndex, item: Item): boolean {
  if (index.keySchema.partitionKeys !== undefined) {
    return keyAttributesOf(index.keySchema).every((a) => {
      const v = memberOf(item, a.name);
      return v !== undefined && hasType(v, a.type) && !isEmptyKeyValue(v);
    });
  }
  const { partitionKey, sortKey } = index.keySchema;
  const p = memberOf(item, partitionKey.name);
  if (p === undefined || !hasType(p, partitionKey.type) || isEmptyKeyValue(p)) return false;
  if (sortKey === undefined) return true;
  const s = memberOf(item, sortKey.name);
  return s !== undefined && hasType(s, sortKey.type) && !isEmptyKeyValue(s);
}

function inIndex(index: SecondaryIndex, item: Item | undefined): boolean {
  if (item === undefined) return false;
  if (index.keySchema.partitionKeys !== undefined) return keyAttributesOf(index.keySchema).every((a) => memberOf(item, a.name) !== undefined);
  const { partitionKey, sortKey } = index.keySchema;
  return memberOf(item, partitionKey.name) !== undefined && (sortKey === undefined || memberOf(item, sortKey.name) !== undefined);
}

function sameIndexKey(index: SecondaryIndex, a: Item, b: Item): boolean {
  if (index.keySchema.partitionKeys !== undefined) {
    return keyAttributesOf(index.keySchema).every((k) => memberOf(a, k.name) === memberOf(b, k.name) || equalValues(memberOf(a, k.name)!, memberOf(b, k.name)!));
  }
  const { partitionKey, sortKey } = index.keySchema;
  const ap = a[partitionKey.name]!;
  const bp = b[partitionKey.name]!;
  if (ap !== bp && !equalValues(ap, bp)) return false;
  if (sortKey === undefined) return true;
  const as = a[sortKey.name]!;
  const bs = b[sortKey.name]!;
  return as === bs || equalValues(as, bs);
}

/** A reference to an index entry by its table key alone (an index storage identifies entries by it). */
function entryRef(tableKey: string): StorageKey {
  return { hash: 0, partitionKey: '', sortKey: '', tableKey };
}

/** Brings one index up to date with a table write (`next` undefined: the item was deleted). */
function updateIndex(index: SecondaryIndex, tableKey: string, old: Item | undefined, next: Item | undefined): void {
  const wasIn = inIndex(index, old);
  if (next === undefined || !inIndex(index, next)) {
    if (wasIn) index.storage.delete(entryRef(tableKey));
    return;
  }
  if (wasIn && !sameIndexKey(index, old!, next)) index.storage.delete(entryRef(tableKey));
  // An entry whose index key did not change is replaced in place: `place` only runs for a new entry.
  const item = next;
  index.storage.put(entryRef(tableKey), projectItemForIndex(index, item), () => indexStorageKey(index, item, tableKey)!);
}

/** The bytes an item adds to its item collection: itself plus its LSI entries (tables with LSIs). */
function collectionBytes(table: TableState, item: Item | undefined): number {
  if (item === undefined) return 0;
  const size = itemSize(item);
  let bytes = size;
  for (const index of table.indexes) {
    if (index.kind !== 'LSI' || !inIndex(index, item)) continue;
    bytes += (index.projectedAttributes === undefined ? size : itemSize(projectItemForIndex(index, item))) + INDEX_ENTRY_OVERHEAD;
  }
  return bytes;
}

/**
 * Applies the size change of one write to its item collection, refusing (before any change) a write
 * that grows a collection past the table's limit. Returns the commit step.
 */
function checkCollection(table: TableState, collectionKey: string, old: Item | undefined, next: Item | undefined): () => void {
  const sizes = table.collectionSizes!;
  const delta = collectionBytes(table, next) - collectionBytes(table, old);
  const current = sizes.get(collectionKey) ?? 0;
  if (delta > 0 && current + delta > table.itemCollectionSizeLimitBytes) {
    throw new ItemCollectionSizeLimitExceededException('Collection size exceeded.');
  }
  return () => {
    const size = current + delta;
    if (size <= 0) sizes.delete(collectionKey);
    else sizes.set(collectionKey, size);
  };
}

/**
 * Refuses, before any is applied, a sequence of writes to distinct items of one table (in order; `next`
 * undefined: a delete) of which one would grow an LSI item collection past its limit, counting the
 * writes before it as done: the check writeItem and removeItem make, over a whole batch.
 * Throws ItemCollectionSizeLimitExceededException; a no-op for tables without LSIs.
 */
export function checkCollectionWrites(table: TableState, writes: ReadonlyArray<{ readonly code: PrimaryKeyCode; readonly next: Item | undefined }>): void {
  const sizes = table.collectionSizes;
  if (sizes === undefined) return;
  const pending = new Map<string, number>();
  for (const { code, next } of writes) {
    const current = table.storage.get(code);
    if (next === undefined && current === undefined) continue;
    const delta = collectionBytes(table, next) - collectionBytes(table, current);
    const size = pending.get(code.partitionKey) ?? sizes.get(code.partitionKey) ?? 0;
    if (delta > 0 && size + delta > table.itemCollectionSizeLimitBytes) {
      throw new ItemCollectionSizeLimitExceededException('Collection size exceeded.');
    }
    pending.set(code.partitionKey, size + delta);
  }
}

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
  const indexes = table.indexes;
  if (indexes.length === 0) return table.storage.put(code, item, place, size);
  if (!indexKeysChecked) checkIndexKeys(table, item);
  const storage = table.storage;
  const current = storage.get(code);
  const commitCollection = table.collectionSizes === undefined ? undefined : checkCollection(table, code.partitionKey, current, item);
  const old = storage.put(code, item, place, size);
  const tableKey = primaryKeyIdentity(code);
  for (const index of indexes) updateIndex(index, tableKey, old, item);
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

/** Fills a new index from the table's items (an UpdateTable GSI Create); items it cannot index are skipped. */
export function backfillIndex(table: TableState, index: SecondaryIndex): void {
  for (const [key, item] of table.storage.entries()) {
    if (!indexable(index, item)) continue;
    const tableKey = primaryKeyIdentity(key);
    index.storage.put(entryRef(tableKey), projectItemForIndex(index, item), () => indexStorageKey(index, item, tableKey)!);
  }
}

/** Recomputes a table's item-collection sizes from its items (tables with LSIs). */
export function recomputeCollectionSizes(table: TableState): void {
  if (table.collectionSizes === undefined) return;
  table.collectionSizes.clear();
  for (const [key, item] of table.storage.entries()) {
    table.collectionSizes.set(key.partitionKey, (table.collectionSizes.get(key.partitionKey) ?? 0) + collectionBytes(table, item));
  }
}

/** DynamoDB's ItemCollectionMetrics response element. */
export interface ItemCollectionMetrics {
  ItemCollectionKey: Key;
  SizeEstimateRangeGB: number[];
}

const GB = 1024 * 1024 * 1024;

/**
 * ItemCollectionMetrics for a write with ReturnItemCollectionMetrics SIZE: the collection of `item`'s
 * (or the key's) partition key, after the write. Undefined for tables without LSIs, as on DynamoDB.
 * PutItem, UpdateItem and DeleteItem call it after their write.
 */
export function itemCollectionMetrics(table: TableState, itemOrKey: Item): ItemCollectionMetrics | undefined {
  const sizes = table.collectionSizes;
  if (sizes === undefined) return undefined;
  const name = table.keySchema.partitionKey.name;
  const value = memberOf(itemOrKey, name) as KeyValue;
  const bytes = sizes.get(encodeSortableKeyValue(value)) ?? 0;
  const low = Math.floor(bytes / GB);
  return { ItemCollectionKey: Object.freeze({ [name]: value }) as Key, SizeEstimateRangeGB: [low, low + 1] };
}

/**
 * The write units each index consumed for a write from `old` to `next` (ConsumedCapacity INDEXES):
 * an entry written or deleted costs its size in 1 KB units; a changed index key costs both.
 */
export function indexWriteSizes(table: TableState, old: Item | undefined, next: Item | undefined): Array<{ index: SecondaryIndex; bytes: number[] }> {
  const out: Array<{ index: SecondaryIndex; bytes: number[] }> = [];
  for (const index of table.indexes) {
    const wasIn = inIndex(index, old);
    const isIn = inIndex(index, next);
    if (!wasIn && !isIn) continue;
    const oldSize = wasIn ? itemSize(projectItemForIndex(index, old!)) : 0;
    const newSize = isIn ? itemSize(projectItemForIndex(index, next!)) : 0;
    if (wasIn && isIn && !sameIndexKey(index, old!, next!)) out.push({ index, bytes: [oldSize, newSize] });
    else out.push({ index, bytes: [Math.max(oldSize, newSize)] });
  }
  return out;
}
