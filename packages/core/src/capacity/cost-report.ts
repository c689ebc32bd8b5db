import type { MinuteMetrics } from './capacity-metrics.js';

export type TableClassName = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';

/** Prices of one table class, in US dollars. */
export interface ClassPrices {
  /** Per million write request units / read request units (on-demand). */
  writeRequestUnitsPerMillion: number;
  readRequestUnitsPerMillion: number;
  /** Per provisioned write / read capacity unit per hour. */
  writeCapacityUnitHour: number;
  readCapacityUnitHour: number;
  /** Per GB stored for a month. */
  storageGbMonth: number;
}

/** A price table: one entry per table class. */
export type PriceTable = Record<TableClassName, ClassPrices>;

/**
 * The default prices: Amazon DynamoDB's public price list for US East (N. Virginia), as published on
 * https://aws.amazon.com/dynamodb/pricing/ after the November 2024 on-demand price reduction (read
 * 2024-11). No free tier, no reserved capacity, no data transfer, backups, streams or global tables.
 * Prices change and differ by region: pass your own `prices`.
 */
export const DEFAULT_PRICES: PriceTable = {
  STANDARD: { writeRequestUnitsPerMillion: 0.625, readRequestUnitsPerMillion: 0.125, writeCapacityUnitHour: 0.00065, readCapacityUnitHour: 0.00013, storageGbMonth: 0.25 },
  STANDARD_INFREQUENT_ACCESS: { writeRequestUnitsPerMillion: 0.78, readRequestUnitsPerMillion: 0.155, writeCapacityUnitHour: 0.00081, readCapacityUnitHour: 0.00016, storageGbMonth: 0.1 },
};

/** One table class's cost of the observed period, in US dollars. */
export interface ClassCost {
  storage: number;
  reads: number;
  writes: number;
  total: number;
}

/** `costReport()`'s answer: what the table used over the period and what it costs in each table class. */
export interface CostReport {
  tableName: string;
  from: number;
  to: number;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  tableClass: TableClassName;
  /** Storage over the period: the table's and its indexes' size now × the period in months (730 hours). */
  storageGbMonths: number;
  /** On-demand: the request units consumed (from the per-minute metrics, indexes included). */
  readRequestUnits: number;
  writeRequestUnits: number;
  /** Provisioned: capacity-unit hours (the units provisioned now × the period's hours, indexes included). */
  readCapacityUnitHours: number;
  writeCapacityUnitHours: number;
  costs: Record<TableClassName, ClassCost>;
  /** The cheaper class for this workload, and why. */
  cheaperClass: TableClassName;
  reason: string;
}

/** What the cost report is computed from (gathered by the module from the table's description and metrics). */
export interface CostInputs {
  tableName: string;
  from: number;
  to: number;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  tableClass: TableClassName;
  sizeBytes: number;
  provisionedReadUnits: number;
  provisionedWriteUnits: number;
  /** The table's and each GSI's minutes within the period. */
  minutes: readonly MinuteMetrics[];
}

const HOURS_PER_MONTH = 730;
const GB = 1024 ** 3;
const round = (dollars: number) => Math.round(dollars * 1e6) / 1e6;

/** Prices a period of a table's workload in both table classes and says which is cheaper. */
export function costReportOf(inputs: CostInputs, prices: PriceTable): CostReport {
  const hours = Math.max(0, inputs.to - inputs.from) / 3_600_000;
  const storageGbMonths = (inputs.sizeBytes / GB) * (hours / HOURS_PER_MONTH);
  let readRequestUnits = 0;
  let writeRequestUnits = 0;
  for (const minute of inputs.minutes) {
    readRequestUnits += minute.ConsumedReadCapacityUnits;
    writeRequestUnits += minute.ConsumedWriteCapacityUnits;
  }
  const provisioned = inputs.billingMode === 'PROVISIONED';
  const readCapacityUnitHours = provisioned ? inputs.provisionedReadUnits * hours : 0;
  const writeCapacityUnitHours = provisioned ? inputs.provisionedWriteUnits * hours : 0;
  const costOf = (p: ClassPrices): ClassCost => {
    const storage = storageGbMonths * p.storageGbMonth;
    const reads = provisioned ? readCapacityUnitHours * p.readCapacityUnitHour : (readRequestUnits / 1e6) * p.readRequestUnitsPerMillion;
    const writes = provisioned ? writeCapacityUnitHours * p.writeCapacityUnitHour : (writeRequestUnits / 1e6) * p.writeRequestUnitsPerMillion;
    return { storage: round(storage), reads: round(reads), writes: round(writes), total: round(storage + reads + writes) };
  };
  const costs = { STANDARD: costOf(prices.STANDARD), STANDARD_INFREQUENT_ACCESS: costOf(prices.STANDARD_INFREQUENT_ACCESS) };
  const standard = costs.STANDARD;
  const infrequent = costs.STANDARD_INFREQUENT_ACCESS;
  const cheaperClass: TableClassName = infrequent.total < standard.total ? 'STANDARD_INFREQUENT_ACCESS' : 'STANDARD';
  const share = standard.total === 0 ? 0 : Math.round((100 * standard.storage) / standard.total);
  const saving = round(Math.abs(standard.total - infrequent.total));
  const reason =
    cheaperClass === 'STANDARD_INFREQUENT_ACCESS'
      ? `Storage is ${share}% of the STANDARD cost: STANDARD_INFREQUENT_ACCESS stores for less and saves $${saving} over the period despite dearer reads and writes`
      : `Reads and writes are ${100 - share}% of the STANDARD cost: STANDARD_INFREQUENT_ACCESS's dearer throughput outweighs its cheaper storage by $${saving} over the period`;
  return {
    tableName: inputs.tableName,
    from: inputs.from,
    to: inputs.to,
    billingMode: inputs.billingMode,
    tableClass: inputs.tableClass,
    storageGbMonths,
    readRequestUnits,
    writeRequestUnits,
    readCapacityUnitHours,
    writeCapacityUnitHours,
    costs,
    cheaperClass,
    reason,
  };
}
