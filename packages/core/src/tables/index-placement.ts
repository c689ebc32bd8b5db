import type { AttributeValue, Item } from '../model/attribute-value.js';
import { encodeSortableKeyValue, type KeyValue } from '../model/compare-keys.js';
import { equalValues } from '../model/equal-values.js';
import { keyAttributesOf } from '../model/key-schema.js';
import { memberOf } from '../model/set-member.js';
import { encodeTupleOf } from '../model/tuple-key.js';
import { hashPrefixOfKeyValue, hashPrefixOfString } from '../storage/hash-prefix.js';
import type { StorageKey } from '../storage/storage-key.js';
import type { SecondaryIndex } from './secondary-index.js';

/*
 * Where an item's entry sits in a secondary index: its storage key (hash prefix, index key, table key),
 * whether the item has one at all (indexes are sparse), and whether two items share an index key.
 */

/** Where an index partition key value places an entry: its hash prefix and its sortable string. */
function indexPartitionOf(value: KeyValue): { hash: number; partitionKey: string } {
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

/** Whether `item` has every index key attribute (so the index holds an entry for it). */
export function inIndex(index: SecondaryIndex, item: Item | undefined): boolean {
  if (item === undefined) return false;
  if (index.keySchema.partitionKeys !== undefined) return keyAttributesOf(index.keySchema).every((a) => memberOf(item, a.name) !== undefined);
  const { partitionKey, sortKey } = index.keySchema;
  return memberOf(item, partitionKey.name) !== undefined && (sortKey === undefined || memberOf(item, sortKey.name) !== undefined);
}

/** Whether two items (both in the index) have equal index key values. */
export function sameIndexKey(index: SecondaryIndex, a: Item, b: Item): boolean {
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
export function entryRef(tableKey: string): StorageKey {
  return { hash: 0, partitionKey: '', sortKey: '', tableKey };
}
