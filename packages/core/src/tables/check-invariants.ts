import type { AttributeValue, Item } from '../model/attribute-value.js';
import { equalItems } from '../model/equal-values.js';
import { keyAttributesOf } from '../model/key-schema.js';
import { memberOf } from '../model/set-member.js';
import { compareStorageKeys, primaryKeyCodeOf, primaryKeyIdentity, withHash, type StorageKey } from '../storage/storage-key.js';
import { projectItemForIndex, type SecondaryIndex } from './secondary-index.js';
import type { TableState } from './table-state.js';
import { indexStorageKey } from './index-placement.js';
import { recomputeCollectionSizes } from './item-collections.js';
import { CopyOnWriteMap } from '../storage/copy-on-write-map.js';

/** The counts DescribeTable reported for a table (its `Table` element), to check against the items. */
export interface ReportedTableSizes {
  readonly ItemCount: number;
  readonly TableSizeBytes: number;
  readonly GlobalSecondaryIndexes?: ReadonlyArray<ReportedIndexSizes> | undefined;
  readonly LocalSecondaryIndexes?: ReadonlyArray<ReportedIndexSizes> | undefined;
}

/** The counts DescribeTable reported for one secondary index. */
export interface ReportedIndexSizes {
  readonly IndexName: string;
  readonly ItemCount: number;
  readonly IndexSizeBytes: number;
}

/**
 * Throws a descriptive Error at the first broken invariant of a table: its storage and every index
 * storage structurally valid (B+ trees, partitions tiling the hash space, every key in the partition
 * owning its hash, counts and sizes kept on every write equal to the items'), every item stored under
 * its own primary key and hash, every secondary index exactly the projection of the table (the items
 * that have all its key attributes, with their types and non-empty, projected as its Projection says),
 * the LSI item-collection sizes equal to their recomputation from the items, and — when `reported` (a
 * DescribeTable `Table`) is given — its ItemCount, TableSizeBytes and per-index counts equal to the
 * storage's. O(n) in the table and its indexes: for tests and diagnostics, never on a request path.
 */
export function checkInvariants(table: TableState, reported?: ReportedTableSizes): void {
  const fail = (message: string): never => {
    throw new Error(`table ${table.name} invariant: ${message}`);
  };
  table.storage.checkInvariants();

  const items = new Map<string, Item>();
  for (const [key, item] of table.storage.entries()) {
    const code = primaryKeyCodeOf(item, table.keySchema);
    const placed = withHash(code, item, table.keySchema);
    if (compareStorageKeys(key, placed) !== 0) fail(`the item ${describeKey(item, table)} is stored under another key or hash`);
    items.set(primaryKeyIdentity(code), item);
  }

  for (const index of table.indexes) checkIndex(table, index, items, fail);

  if (table.collectionSizes !== undefined) {
    // recomputeCollectionSizes rebuilds the sizes from scratch into the shadow's own Map: the check is
    // that the sizes kept write by write agree with it.
    const shadow = Object.create(table, { collectionSizes: { value: new CopyOnWriteMap<string, number>() } }) as TableState;
    recomputeCollectionSizes(shadow);
    const expected = shadow.collectionSizes!;
    for (const [collection, size] of table.collectionSizes) {
      if (expected.get(collection) !== size) fail(`item collection ${collection} is ${size} bytes, its items add up to ${expected.get(collection) ?? 0}`);
    }
    for (const [collection, size] of expected) {
      if (!table.collectionSizes.has(collection)) fail(`item collection ${collection} (${size} bytes) is not counted`);
    }
  }

  if (reported !== undefined) checkReported(table, reported, fail);
}

function checkIndex(table: TableState, index: SecondaryIndex, items: ReadonlyMap<string, Item>, fail: (message: string) => never): void {
  index.storage.checkInvariants();
  let expectedCount = 0;
  for (const [tableKey, item] of items) {
    if (!indexed(index, item)) continue;
    expectedCount++;
    // An index storage looks entries up by their table key alone (secondary-index.ts).
    const entry = index.storage.get({ partitionKey: '', sortKey: '', tableKey } as StorageKey);
    if (entry === undefined) fail(`index ${index.name} lacks the item ${describeKey(item, table)}`);
    const projected = projectItemForIndex(index, item);
    if (entry !== projected && !equalItems(entry!, projected)) fail(`index ${index.name} holds another projection of ${describeKey(item, table)}`);
  }
  if (index.storage.itemCount !== expectedCount) {
    fail(`index ${index.name} holds ${index.storage.itemCount} items, the table projects ${expectedCount}`);
  }
  for (const [key, entry] of index.storage.entries()) {
    const item = key.tableKey === undefined ? undefined : items.get(key.tableKey);
    if (item === undefined) fail(`index ${index.name} holds an item the table does not: ${JSON.stringify(entry)}`);
    const expected = indexStorageKey(index, item!, key.tableKey!);
    if (expected === undefined || compareStorageKeys(key, expected) !== 0) fail(`index ${index.name} holds ${describeKey(item!, table)} under another index key`);
  }
}

/** Whether a table item belongs in an index: it has every index key attribute, typed as defined and non-empty. */
function indexed(index: SecondaryIndex, item: Item): boolean {
  return keyAttributesOf(index.keySchema).every((attribute) => {
    const value: AttributeValue | undefined = memberOf(item, attribute.name);
    if (value === undefined || !(attribute.type in value)) return false;
    return !(('S' in value && value.S.length === 0) || ('B' in value && value.B.length === 0));
  });
}

function checkReported(table: TableState, reported: ReportedTableSizes, fail: (message: string) => never): void {
  // storage.checkInvariants() has checked itemCount and sizeBytes against the items themselves.
  const count = table.storage.itemCount;
  const bytes = table.storage.sizeBytes;
  if (reported.ItemCount !== count) fail(`DescribeTable reports ItemCount ${reported.ItemCount}, the table holds ${count}`);
  if (reported.TableSizeBytes !== bytes) fail(`DescribeTable reports TableSizeBytes ${reported.TableSizeBytes}, the items add up to ${bytes}`);
  const described = [...(reported.GlobalSecondaryIndexes ?? []), ...(reported.LocalSecondaryIndexes ?? [])];
  for (const index of table.indexes) {
    const entry = described.find((d) => d.IndexName === index.name);
    if (entry === undefined) fail(`DescribeTable does not list index ${index.name}`);
    if (entry!.ItemCount !== index.storage.itemCount) fail(`DescribeTable reports ItemCount ${entry!.ItemCount} for index ${index.name}, it holds ${index.storage.itemCount}`);
    if (entry!.IndexSizeBytes !== index.storage.sizeBytes) fail(`DescribeTable reports IndexSizeBytes ${entry!.IndexSizeBytes} for index ${index.name}, it holds ${index.storage.sizeBytes}`);
  }
  if (described.length !== table.indexes.length) fail(`DescribeTable lists ${described.length} indexes, the table has ${table.indexes.length}`);
}

/** The item's table key as DynamoDB JSON, for messages. */
function describeKey(item: Item, table: TableState): string {
  const key: Record<string, AttributeValue | undefined> = {};
  for (const attribute of keyAttributesOf(table.keySchema)) key[attribute.name] = memberOf(item, attribute.name);
  return JSON.stringify(key);
}
