import { writeCapacityUnits, type ConsumedCapacity } from '../model/capacity.js';
import { knownItemSize } from '../model/item-size.js';
import { storedItemOf } from './index-write-keys.js';
import type { ModuleContext } from '../modules/module.js';
import type { CapacitySettings } from './capacity-settings.js';
import type { CapacityMetrics } from './capacity-metrics.js';
import type { ContributorInsights } from './contributor-insights.js';
import { TableCapacity, type DescribedTable } from './table-capacity.js';
import type { Refusal } from './throttling.js';
import type { PendingBatch } from './batch-admission.js';

/**
 * One database's capacity state: each table's throughput (built from its description when it is created,
 * or on first use for tables recovered from storage, and refreshed on every catalog change) and the metrics. Everything runs on the database clock.
 */
export class CapacityLedger {
  private readonly tables = new Map<string, TableCapacity>();
  /** The table last asked for by name: most requests name the table the one before named. */
  private lastName: string | undefined;
  private lastTable: TableCapacity | undefined;
  /** The batch (BatchGetItem / BatchWriteItem) the admission hook let through and has yet to charge. */
  batch: PendingBatch | undefined;

  constructor(
    readonly context: ModuleContext,
    readonly settings: CapacitySettings,
    readonly metrics: CapacityMetrics,
    readonly insights: ContributorInsights,
  ) {
    context.onCatalogChange((name) => this.refresh(name));
    // Tracked from creation, so a later switch of billing mode knows the level it switches from.
    context.onTableEvent((event) => {
      if (event.type === 'created') this.tableOf(event.table.name);
      else if (event.type === 'deleted') {
        this.tables.delete(event.table.name);
        this.forget();
      }
    });
  }

  /** The capacity of the table a request names (a name or an ARN), or undefined when there is no such table. O(1) once built. */
  tableOf(nameOrArn: unknown): TableCapacity | undefined {
    if (typeof nameOrArn !== 'string') return undefined;
    if (nameOrArn === this.lastName) return this.lastTable;
    const table = this.lookUp(nameOrArn);
    // Only a found table is remembered: one created later must be found then.
    if (table !== undefined) {
      this.lastName = nameOrArn;
      this.lastTable = table;
    }
    return table;
  }

  private lookUp(nameOrArn: string): TableCapacity | undefined {
    const name = this.context.tableNameOf(nameOrArn);
    const known = this.tables.get(name);
    if (known !== undefined) return known;
    const view = this.context.getTable(name);
    if (view === undefined) return undefined;
    const capacity = new TableCapacity(view, this.describe(name), this.settings, this.metrics, this.context.clock.now());
    this.tables.set(name, capacity);
    return capacity;
  }

  /**
   * Charges what a transaction consumed, from its ConsumedCapacity (one entry per table), each table's
   * share spread evenly over the partition keys of its actions (`keys`, by table name). An entry of a
   * writing transaction that reports ReadCapacityUnits (a replayed TransactWriteItems) is charged as reads.
   */
  charge(write: boolean, consumed: readonly ConsumedCapacity[], keys: ReadonlyMap<string, readonly string[]>): void {
    for (const entry of consumed) {
      const table = this.tableOf(entry.TableName);
      if (table !== undefined) this.chargeEntry(table, entry, write && entry.ReadCapacityUnits === undefined, keys.get(table.view.name), 0);
    }
  }

  /**
   * Charges one table's ConsumedCapacity entry (INDEXES detail): the table's share (its LSIs' included:
   * they share its throughput) to the table, spread over `keys` (a single item's key, a batch's or a
   * transaction's; none for queries and scans), each GSI's share to the GSI. `prepaid` units of the
   * table's share were charged already (a batch's estimates, charged as its items were admitted).
   */
  chargeEntry(table: TableCapacity, entry: ConsumedCapacity, write: boolean, keys: string | readonly string[] | undefined, prepaid: number): void {
    this.chargeEntryAt(table, entry, write, keys, prepaid, this.context.clock.now());
  }

  /** chargeEntry at `now` (ms of the clock). */
  chargeEntryAt(table: TableCapacity, entry: ConsumedCapacity, write: boolean, keys: string | readonly string[] | undefined, prepaid: number, now: number): void {
    // Without INDEXES detail (a caller's TOTAL on an idempotent transaction) the whole is the table's.
    let tableUnits = entry.Table === undefined ? entry.CapacityUnits : entry.Table.CapacityUnits;
    if (entry.LocalSecondaryIndexes !== undefined) for (const name in entry.LocalSecondaryIndexes) tableUnits += entry.LocalSecondaryIndexes[name]!.CapacityUnits;
    const rest = tableUnits - prepaid;
    if (keys === undefined || typeof keys === 'string') table.table.charge(write, rest, now, keys);
    else for (const key of keys) table.table.charge(write, rest / keys.length, now, key);
    table.table.metrics.consumed(write, tableUnits, now);
    if (entry.GlobalSecondaryIndexes !== undefined) {
      for (const name in entry.GlobalSecondaryIndexes) {
        const units = entry.GlobalSecondaryIndexes[name]!.CapacityUnits;
        const index = table.indexes.get(name);
        if (index === undefined) this.metrics.consumed(table.view.name, name, write, units, now);
        else {
          index.charge(write, units, now, undefined);
          index.metrics.consumed(write, units, now);
        }
      }
    }
  }

  /**
   * chargeEntryAt for a request on one key (a single-item request, or a table Query): the common case,
   * without chargeEntryAt's spreading over several keys.
   */
  chargeSingle(table: TableCapacity, entry: ConsumedCapacity, write: boolean, key: string | undefined, now: number): void {
    if (entry.LocalSecondaryIndexes !== undefined || entry.GlobalSecondaryIndexes !== undefined) {
      this.chargeEntryAt(table, entry, write, key, 0, now);
      return;
    }
    this.chargeTable(table, entry.Table === undefined ? entry.CapacityUnits : entry.Table.CapacityUnits, write, key, now);
  }

  /** Charges `units` a request on one key (or none) consumed on the table itself, at `now`. O(1). */
  chargeTable(table: TableCapacity, units: number, write: boolean, key: string | undefined, now: number): void {
    const throughput = table.table;
    throughput.charge(write, units, now, key);
    throughput.metrics.consumed(write, units, now);
  }

  /**
   * Charges a single-item write whose ConditionExpression failed, as DynamoDB does: write units for the
   * size of the item as it is (at least one), to the table only (nothing was written to any index).
   * `keyed` is the request's Key (or PutItem's Item), `key` its partition key.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
   */
  chargeFailedCondition(table: TableCapacity, keyed: unknown, key: string | undefined, now: number): void {
    const existing = storedItemOf(table, keyed);
    const units = writeCapacityUnits(existing === undefined ? 0 : knownItemSize(existing));
    table.table.charge(true, units, now, key);
    table.table.metrics.consumed(true, units, now);
  }

  /** Records a throttled request (its refusals are its throttle events) in the metrics. */
  throttled(tableName: string, operation: string, refusals: readonly Refusal[]): void {
    this.metrics.throttled(tableName, operation, refusals, this.context.clock.now());
  }

  private forget(): void {
    this.lastName = undefined;
    this.lastTable = undefined;
  }

  private describe(name: string): DescribedTable {
    const output = this.context.execute('DynamoDB_20120810', 'DescribeTable', { TableName: name }) as { Table: DescribedTable };
    return output.Table;
  }

  private refresh(name: string): void {
    this.forget();
    const known = this.tables.get(name);
    if (known === undefined) return;
    const view = this.context.getTable(name);
    if (view !== known.view) this.tables.delete(name);
    else known.refresh(this.describe(name), this.context.clock.now());
  }
}
