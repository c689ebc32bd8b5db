import { ItemCollectionSizeLimitExceededException } from '../errors.js';
import type { AttributeValue, Item, Key } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import { memberOf, setMember } from '../model/set-member.js';
import { encodeKeyPart } from '../model/tuple-key.js';
import type { PrimaryKeyCode } from '../storage/storage-key.js';
import { inIndex } from './index-placement.js';
import { projectItemForIndex } from './secondary-index.js';
import type { TableState } from './table-state.js';

/*
 * LSI item collections: the bytes of every item of one partition key value plus its LSI entries, kept per
 * table with LSIs (TableState.collectionSizes) and capped at the table's limit; ItemCollectionMetrics.
 */

/** An index's bytes of overhead per entry, as DynamoDB counts an LSI entry toward its item collection. */
const INDEX_ENTRY_OVERHEAD = 100;

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
export function checkCollection(table: TableState, collectionKey: string, old: Item | undefined, next: Item | undefined): () => void {
  const delta = collectionBytes(table, next) - collectionBytes(table, old);
  const current = table.collectionSizes!.get(collectionKey) ?? 0;
  if (delta > 0 && current + delta > table.itemCollectionSizeLimitBytes) {
    throw new ItemCollectionSizeLimitExceededException('Collection size exceeded.');
  }
  return () => {
    const sizes = table.collectionSizes!;
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

/** Recomputes a table's item-collection sizes from its items (tables with LSIs). */
export function recomputeCollectionSizes(table: TableState): void {
  if (table.collectionSizes === undefined) return;
  const sizes = table.collectionSizes;
  sizes.clear();
  for (const [key, item] of table.storage.entries()) {
    sizes.set(key.partitionKey, (sizes.get(key.partitionKey) ?? 0) + collectionBytes(table, item));
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
  const partitionKeys = table.keySchema.partitionKeys;
  const collectionKey: Record<string, AttributeValue> = {};
  for (const { name } of partitionKeys) setMember(collectionKey, name, memberOf(itemOrKey, name)!);
  const bytes = sizes.get(encodeKeyPart(itemOrKey, partitionKeys)!) ?? 0;
  const low = Math.floor(bytes / GB);
  return { ItemCollectionKey: Object.freeze(collectionKey) as Key, SizeEstimateRangeGB: [low, low + 1] };
}
