import type { Engine } from '../engine.js';
import { newSecondaryIndex, type IndexProjection, type IndexStatus } from '../tables/secondary-index.js';
import {
  TableState,
  type AttributeDefinition,
  type BillingMode,
  type KeySchemaElement,
  type TableClass,
  type TableStatus,
  type Tag,
  type ThroughputState,
} from '../tables/table-state.js';
import { backfillIndex } from '../tables/backfill-index.js';
import { recomputeCollectionSizes } from '../tables/item-collections.js';
import type { PersistentModule } from './persistent-module.js';
import type { TableView } from '../tables/table-view.js';
import { CopyOnWriteMap } from '../storage/copy-on-write-map.js';

/** How modules' per-table state persists: plain-data moduleState keys, and modules' own hooks. */
export interface ModuleTableState {
  readonly keys: readonly string[];
  readonly modules: ReadonlyArray<{ readonly name: string; readonly persistence: PersistentModule }>;
  /** The view modules see of a table. */
  readonly view: (table: TableState) => TableView;
}

/**
 * The catalog: what a table is, apart from its items — its definition, status, settings, indexes and
 * the module settings modules mark persistent. DDL never travels on the change feed, so the store
 * logs a table's catalog entry whenever it changes, and snapshots carry every entry.
 */

/** One secondary index, as the catalog keeps it. */
export interface CatalogIndex {
  readonly name: string;
  readonly kind: 'GSI' | 'LSI';
  readonly keySchemaElements: readonly KeySchemaElement[];
  readonly projection: IndexProjection;
  readonly status: IndexStatus;
  readonly backfilling: boolean;
  readonly throughput: ThroughputState | null;
}

/** One table, as the catalog keeps it (plain data, msgpack-encodable). */
export interface CatalogTable {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly keySchemaElements: readonly KeySchemaElement[];
  readonly attributeDefinitions: readonly AttributeDefinition[];
  readonly creationDateTime: number;
  readonly status: TableStatus;
  readonly billingMode: BillingMode;
  readonly lastUpdateToPayPerRequestDateTime: number | null;
  readonly throughput: ThroughputState;
  readonly tableClass: TableClass;
  readonly deletionProtectionEnabled: boolean;
  readonly tags: readonly Tag[];
  readonly itemCollectionSizeLimitBytes: number;
  readonly hasCollections: boolean;
  readonly indexes: readonly CatalogIndex[];
  /** The persistent `moduleState` entries (see PersistentModule.persistentTableState). */
  readonly moduleState: Readonly<Record<string, unknown>>;
  /** What modules' `persistTableState` returned, by module name. */
  readonly modules: Readonly<Record<string, unknown>>;
}

/** A catalog change: a table's new entry, or its removal. */
export type CatalogChange = CatalogTable | { readonly name: string; readonly deleted: true };

function plainThroughput(t: ThroughputState): ThroughputState {
  const out: ThroughputState = {
    readCapacityUnits: t.readCapacityUnits,
    writeCapacityUnits: t.writeCapacityUnits,
    numberOfDecreasesToday: t.numberOfDecreasesToday,
  };
  if (t.lastIncreaseDateTime !== undefined) out.lastIncreaseDateTime = t.lastIncreaseDateTime;
  if (t.lastDecreaseDateTime !== undefined) out.lastDecreaseDateTime = t.lastDecreaseDateTime;
  return out;
}

/** The catalog entry of a table, with the module state that persists. */
export function catalogEntryOf(table: TableState, state: ModuleTableState): CatalogTable {
  const moduleState: Record<string, unknown> = {};
  for (const key of state.keys) {
    const value = table.moduleState.get(key);
    if (value !== undefined) moduleState[key] = value;
  }
  const modules: Record<string, unknown> = {};
  for (const { name, persistence } of state.modules) {
    const value = persistence.persistTableState?.(state.view(table));
    if (value !== undefined) modules[name] = value;
  }
  return {
    name: table.name,
    id: table.id,
    arn: table.arn,
    keySchemaElements: table.keySchemaElements.map((e) => ({ AttributeName: e.AttributeName, KeyType: e.KeyType })),
    attributeDefinitions: table.attributeDefinitions.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    creationDateTime: table.creationDateTime,
    status: table.status,
    billingMode: table.billingMode,
    lastUpdateToPayPerRequestDateTime: table.lastUpdateToPayPerRequestDateTime ?? null,
    throughput: plainThroughput(table.throughput),
    tableClass: table.tableClass,
    deletionProtectionEnabled: table.deletionProtectionEnabled,
    tags: table.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    itemCollectionSizeLimitBytes: table.itemCollectionSizeLimitBytes,
    hasCollections: table.collectionSizes !== undefined,
    indexes: table.indexes.map((index) => ({
      name: index.name,
      kind: index.kind,
      keySchemaElements: index.keySchemaElements.map((e) => ({ AttributeName: e.AttributeName, KeyType: e.KeyType })),
      projection:
        index.projection.NonKeyAttributes === undefined
          ? { ProjectionType: index.projection.ProjectionType }
          : { ProjectionType: index.projection.ProjectionType, NonKeyAttributes: [...index.projection.NonKeyAttributes] },
      status: index.status,
      backfilling: index.backfilling,
      throughput: index.throughput === undefined ? null : plainThroughput(index.throughput),
    })),
    moduleState,
    modules,
  };
}

function restoreModules(table: TableState, entry: CatalogTable, state: ModuleTableState): void {
  for (const { name, persistence } of state.modules) {
    const value = entry.modules?.[name];
    if (value !== undefined) persistence.restoreTableState?.(state.view(table), value);
  }
}

/** A new, empty TableState from a catalog entry (its indexes created empty). @internal */
export function tableFromCatalog(engine: Engine, entry: CatalogTable, state: ModuleTableState): TableState {
  const table = new TableState(
    entry.name,
    entry.id,
    entry.arn,
    entry.keySchemaElements,
    entry.attributeDefinitions,
    entry.creationDateTime,
    {
      billingMode: entry.billingMode,
      throughput: plainThroughput(entry.throughput),
      tableClass: entry.tableClass,
      deletionProtectionEnabled: entry.deletionProtectionEnabled,
      tags: entry.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    },
    engine.storageLayout,
  );
  table.status = entry.status;
  table.lastUpdateToPayPerRequestDateTime = entry.lastUpdateToPayPerRequestDateTime ?? undefined;
  table.itemCollectionSizeLimitBytes = entry.itemCollectionSizeLimitBytes;
  if (entry.hasCollections) table.collectionSizes = new CopyOnWriteMap();
  table.indexes = entry.indexes.map((index) => newIndex(engine, table, index));
  for (const [key, value] of Object.entries(entry.moduleState)) table.moduleState.set(key, value);
  restoreModules(table, entry, state);
  return table;
}

function newIndex(engine: Engine, table: TableState, index: CatalogIndex) {
  return newSecondaryIndex(
    {
      name: index.name,
      kind: index.kind,
      keySchemaElements: index.keySchemaElements,
      projection: index.projection,
      status: index.status,
      backfilling: index.backfilling,
      throughput: index.throughput === null ? undefined : plainThroughput(index.throughput),
    },
    table.attributeDefinitions,
    table.keySchema,
    table.arn,
    engine.storageLayout,
  );
}

/**
 * Applies a logged catalog change to the engine during log replay: creates, updates or removes the
 * table. A new index is backfilled from the table's items (as UpdateTable did), a dropped one removed.
 *
 * @internal
 */
export function applyCatalogChange(engine: Engine, change: CatalogChange, state: ModuleTableState): void {
  if ('deleted' in change) {
    engine.tables.delete(change.name);
    return;
  }
  const table = engine.tables.get(change.name);
  if (table === undefined || table.id !== change.id) {
    engine.tables.set(change.name, tableFromCatalog(engine, change, state));
    return;
  }
  table.status = change.status;
  table.billingMode = change.billingMode;
  table.lastUpdateToPayPerRequestDateTime = change.lastUpdateToPayPerRequestDateTime ?? undefined;
  table.throughput = plainThroughput(change.throughput);
  table.tableClass = change.tableClass;
  table.deletionProtectionEnabled = change.deletionProtectionEnabled;
  table.tags = change.tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  table.attributeDefinitions = change.attributeDefinitions.map((d) => ({ ...d }));
  table.itemCollectionSizeLimitBytes = change.itemCollectionSizeLimitBytes;
  for (const key of [...table.moduleState.keys()]) if (!(key in change.moduleState)) table.moduleState.delete(key);
  for (const [key, value] of Object.entries(change.moduleState)) table.moduleState.set(key, value);
  restoreModules(table, change, state);
  const indexes = [];
  let lsiChanged = false;
  for (const entry of change.indexes) {
    let index = table.index(entry.name);
    if (index === undefined) {
      index = newIndex(engine, table, entry);
      backfillIndex(table, index);
      if (index.kind === 'LSI') lsiChanged = true;
    }
    index.status = entry.status;
    index.backfilling = entry.backfilling;
    index.throughput = entry.throughput === null ? undefined : plainThroughput(entry.throughput);
    indexes.push(index);
  }
  table.indexes = indexes;
  if (lsiChanged) recomputeCollectionSizes(table);
}

/**
 * Finishes what was in flight when the store was closed or crashed, as DynamoDB would have: CREATING
 * and UPDATING tables and indexes turn ACTIVE (backfills are complete: replay rebuilt them), DELETING
 * tables and indexes are gone. (Status timers do not survive a restart.)
 *
 * @internal
 */
export function settleCatalog(engine: Engine): void {
  for (const [name, table] of [...engine.tables]) {
    if (table.status === 'DELETING') {
      engine.tables.delete(name);
      continue;
    }
    table.status = 'ACTIVE';
    table.indexes = table.indexes.filter((index) => index.status !== 'DELETING');
    for (const index of table.indexes) {
      index.status = 'ACTIVE';
      index.backfilling = false;
    }
  }
}
