import type { Item } from '../model/attribute-value.js';
import { equalValues } from '../model/equal-values.js';
import type { KeyAttribute } from '../model/key-schema.js';
import { memberOf } from '../model/set-member.js';
import { encodeKeyPart } from '../model/tuple-key.js';
import { partitionHashOf, type StorageKey } from '../storage/storage-key.js';
import type { SecondaryIndex } from './secondary-index.js';

/*
 * Where an item's entry sits in a secondary index: its storage key (hash prefix, index key, table key),
 * whether the item has one at all (indexes are sparse), and whether two items share an index key.
 */

/**
 * The storage key of `item`'s entry in `index` (`tableKey` is the item's table primary key identity),
 * or undefined when the item lacks an index key attribute (indexes are sparse).
 */
export function indexStorageKey(index: SecondaryIndex, item: Item, tableKey: string): StorageKey | undefined {
  const { partitionKeys, sortKeys } = index.keySchema;
  const partitionKey = encodeKeyPart(item, partitionKeys);
  if (partitionKey === undefined) return undefined;
  const sortKey = encodeKeyPart(item, sortKeys);
  if (sortKey === undefined) return undefined;
  return { hash: partitionHashOf(item, partitionKeys, partitionKey), partitionKey, sortKey, tableKey };
}

/** Whether `item` has every index key attribute (so the index holds an entry for it). */
export function inIndex(index: SecondaryIndex, item: Item | undefined): boolean {
  if (item === undefined) return false;
  for (const attribute of index.keySchema.partitionKeys) if (memberOf(item, attribute.name) === undefined) return false;
  for (const attribute of index.keySchema.sortKeys) if (memberOf(item, attribute.name) === undefined) return false;
  return true;
}

/** Whether two items (both in the index) have equal index key values. */
export function sameIndexKey(index: SecondaryIndex, a: Item, b: Item): boolean {
  return sameValues(index.keySchema.partitionKeys, a, b) && sameValues(index.keySchema.sortKeys, a, b);
}

function sameValues(attributes: readonly KeyAttribute[], a: Item, b: Item): boolean {
  for (const { name } of attributes) {
    const av = a[name]!;
    const bv = b[name]!;
    if (av !== bv && !equalValues(av, bv)) return false;
  }
  return true;
}

/** A reference to an index entry by its table key alone (an index storage identifies entries by it). */
export function entryRef(tableKey: string): StorageKey {
  return { hash: 0, partitionKey: '', sortKey: '', tableKey };
}
