import type { TableView } from '../tables/table-view.js';
import { ResourceThroughput, type DirectionSettings, type ResourceSettings } from './resource-throughput.js';
import type { CapacitySettings } from './capacity-settings.js';
import type { CapacityMetrics } from './capacity-metrics.js';

/** What DynamoDB serves a new on-demand table at once (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html). */
export const ON_DEMAND_INITIAL_READ_UNITS = 12_000;
export const ON_DEMAND_INITIAL_WRITE_UNITS = 4_000;

/** The fields of a TableDescription (or a GSI's) this module reads. */
interface DescribedThroughput {
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  OnDemandThroughput?: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number };
  WarmThroughput?: { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number };
}
export interface DescribedTable extends DescribedThroughput {
  BillingModeSummary?: { BillingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST' };
  GlobalSecondaryIndexes?: Array<DescribedThroughput & { IndexName: string; IndexArn: string }>;
}

/** A positive OnDemandThroughput maximum, or undefined (-1 and absence mean none). */
function maximum(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

/**
 * The throughput of one table and each of its GSIs, built from its TableDescription (so it follows
 * CreateTable, UpdateTable and auto scaling through the same catalog the user sees) and refreshed after
 * every catalog change of the table.
 */
export class TableCapacity {
  readonly table: ResourceThroughput;
  readonly indexes = new Map<string, ResourceThroughput>();
  /** The GSIs' throughput as a list (a write checks every one: no iterator on the request path). */
  indexList: ResourceThroughput[] = [];
  /** The name of the table's partition key attribute. */
  readonly partitionKey: string;
  /** The name of the table's sort key attribute, if it has one (Contributor Insights counts items by it). */
  readonly sortKey: string | undefined;

  constructor(
    readonly view: TableView,
    description: DescribedTable,
    private readonly settings: CapacitySettings,
    private readonly metrics: CapacityMetrics,
    now: number,
  ) {
    this.partitionKey = view.keySchema.partitionKeys[0].name;
    this.sortKey = view.keySchema.sortKeys[0]?.name;
    const tableSettings = this.settingsOf(description, description, undefined);
    this.table = new ResourceThroughput('Table', view.arn, view.keySchema.partitionKeys[0].name, tableSettings, settings.maxTrackedKeys, metrics.series(view.name, undefined), now);
    this.refresh(description, now);
  }

  /** Follows the table's description after a catalog change: new units, new or dropped GSIs, a switched billing mode. */
  refresh(description: DescribedTable, now: number): void {
    this.table.update(this.settingsOf(description, description, this.table), now);
    const seen = new Set<string>();
    for (const index of description.GlobalSecondaryIndexes ?? []) {
      seen.add(index.IndexName);
      const existing = this.indexes.get(index.IndexName);
      const settings = this.settingsOf(description, index, existing);
      if (existing === undefined) {
        const series = this.metrics.series(this.view.name, index.IndexName);
        const partitionKey = this.view.indexes.find((i) => i.name === index.IndexName)?.keySchema.partitionKeys[0].name ?? '';
        this.indexes.set(index.IndexName, new ResourceThroughput('Index', index.IndexArn, partitionKey, settings, this.settings.maxTrackedKeys, series, now));
      } else existing.update(settings, now);
    }
    for (const name of [...this.indexes.keys()]) if (!seen.has(name)) this.indexes.delete(name);
    this.indexList = [...this.indexes.values()];
  }

  private settingsOf(table: DescribedTable, described: DescribedThroughput, previous: ResourceThroughput | undefined): ResourceSettings {
    const billingMode = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
    const quota = this.settings.tableQuota;
    const direction = (write: boolean): DirectionSettings => {
      if (billingMode === 'PROVISIONED') {
        const units = (write ? described.ProvisionedThroughput?.WriteCapacityUnits : described.ProvisionedThroughput?.ReadCapacityUnits) ?? 0;
        return { units, quotaUnits: write ? quota.writeCapacityUnits : quota.readCapacityUnits };
      }
      const warm = write ? described.WarmThroughput?.WriteUnitsPerSecond : described.WarmThroughput?.ReadUnitsPerSecond;
      // A table switched from provisioned starts from its provisioned level, if that is more.
      const former = previous?.billingMode === 'PROVISIONED' ? previous.units(write) : 0;
      const initial = write ? ON_DEMAND_INITIAL_WRITE_UNITS : ON_DEMAND_INITIAL_READ_UNITS;
      return {
        units: Math.max(initial, warm ?? 0, former, previous?.billingMode === 'PAY_PER_REQUEST' ? previous.units(write) : 0),
        maxUnits: maximum(write ? described.OnDemandThroughput?.MaxWriteRequestUnits : described.OnDemandThroughput?.MaxReadRequestUnits),
        quotaUnits: write ? quota.writeCapacityUnits : quota.readCapacityUnits,
      };
    };
    return { billingMode, read: direction(false), write: direction(true), burstSeconds: this.settings.burstSeconds };
  }
}
