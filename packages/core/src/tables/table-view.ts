import type { Clock } from '../clock.js';
import type { Item, Key } from '../model/attribute-value.js';
import type { PrimaryKeySchema } from '../model/key-schema.js';
import { primaryKeyCodeOf, withHash } from '../storage/storage-key.js';
import type { IndexProjection, IndexStatus } from './secondary-index.js';
import type { TableSnapshot } from './table-snapshot.js';
import type { KeySchemaElement, TableState, TableStatus } from './table-state.js';

/**
 * One partition of a table, as modules see it: the range of 24-bit partition-key hash prefixes it holds
 * (`lowHash` inclusive, `highHash` exclusive). The same object stands for the partition as long as it
 * exists: when a partition splits, two new ones replace it (so DynamoDB Streams can close a shard and
 * open its children).
 */
export interface PartitionView {
  readonly lowHash: number;
  readonly highHash: number;
}

/** A secondary index of a table, as modules see it. */
export interface IndexView {
  readonly name: string;
  readonly kind: 'GSI' | 'LSI';
  readonly keySchema: PrimaryKeySchema;
  /** The KeySchema as CreateTable/UpdateTable gave it. */
  readonly keySchemaElements: readonly KeySchemaElement[];
  readonly projection: IndexProjection;
  readonly status: IndexStatus;
}

/**
 * A read-only view of one table, for modules: its identity, definition and status, the module state
 * kept with it, its partitions and consistent snapshots. The same view object stands for the table
 * while it exists (compare views with `===`); a table re-created under the same name gets a new view.
 * Items are changed only through operations (or `ModuleContext.systemDelete`), never through a view.
 */
export interface TableView {
  readonly name: string;
  /** DescribeTable's TableId: a table re-created under the same name has another. */
  readonly id: string;
  readonly arn: string;
  /** DescribeTable's TableStatus, as of now. */
  readonly status: TableStatus;
  readonly creationDateTime: number;
  /** The table's primary key, resolved against its AttributeDefinitions. */
  readonly keySchema: PrimaryKeySchema;
  /** The KeySchema as CreateTable gave it (what DescribeTable and DescribeStream show). */
  readonly keySchemaElements: readonly KeySchemaElement[];
  /** Every secondary index (LSIs, then GSIs, in definition order), whatever its status. */
  readonly indexes: readonly IndexView[];
  /**
   * A module's state kept with the table under `key` (by convention the module's name): it goes away
   * with the table, and durable storage persists the keys a PersistentModule lists.
   */
  getModuleState(key: string): unknown;
  /** Sets (or, with undefined, removes) the module state under `key`. */
  setModuleState(key: string, value: unknown): void;
  /** The module-state keys set on the table. */
  moduleStateKeys(): IterableIterator<string>;
  /** The stored item with this primary key (no capacity, no visibility filter), or undefined. O(1). */
  getItem(key: Key): Item | undefined;
  /** How many items the table holds. O(1). */
  readonly itemCount: number;
  /** How many partitions the table has now. O(1): compare it to tell a split happened. */
  readonly partitionCount: number;
  /** The table's partitions, in hash order (do not keep the array: a split replaces it). */
  partitions(): readonly PartitionView[];
  /** The partition that holds the items of `key`'s partition key (a key or a whole item). O(log partitions). */
  partitionOf(key: Key): PartitionView;
  /** A consistent, read-only view of the table's items now; O(1) per partition. */
  snapshot(): TableSnapshot;
}

const views = new WeakMap<TableState, TableView>();
const NO_CODE = { partitionKey: '', sortKey: '' };

/** @internal The view of a table (one per table, made on first use). */
export function tableViewOf(table: TableState, clock: Clock): TableView {
  let view = views.get(table);
  if (view === undefined) {
    view = createTableView(table, clock);
    views.set(table, view);
  }
  return view;
}

function createTableView(table: TableState, clock: Clock): TableView {
  const indexViews = new WeakMap<object, readonly IndexView[]>();
  return {
    name: table.name,
    id: table.id,
    arn: table.arn,
    get status() {
      return table.status;
    },
    creationDateTime: table.creationDateTime,
    keySchema: table.keySchema,
    keySchemaElements: table.keySchemaElements,
    get indexes() {
      // TableState.indexes is replaced, never mutated: one view array per version.
      let list = indexViews.get(table.indexes);
      if (list === undefined) {
        list = table.indexes.map((index): IndexView => ({
          name: index.name,
          kind: index.kind,
          keySchema: index.keySchema,
          keySchemaElements: index.keySchemaElements,
          projection: index.projection,
          get status() {
            return index.status;
          },
        }));
        indexViews.set(table.indexes, list);
      }
      return list;
    },
    getModuleState: (key) => table.moduleState.get(key),
    setModuleState: (key, value) => {
      if (value === undefined) table.moduleState.delete(key);
      else table.moduleState.set(key, value);
    },
    moduleStateKeys: () => table.moduleState.keys(),
    getItem: (key) => table.storage.get(primaryKeyCodeOf(key, table.keySchema)),
    get itemCount() {
      return table.storage.itemCount;
    },
    get partitionCount() {
      return table.storage.partitionCount;
    },
    partitions: () => table.storage.partitionList,
    // Only the partition key's hash matters: the sort key is not encoded.
    partitionOf: (key) => table.storage.partitionFor(withHash(NO_CODE, key, table.keySchema).hash),
    snapshot: () => ({ tableName: table.name, keySchema: table.keySchema, takenAt: clock.now(), storage: table.storage.snapshot() }),
  };
}
