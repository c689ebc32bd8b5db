import type { ModuleContext, TableDescription } from '@magneto/core';

/**
 * A table's capacity settings as global tables keep them in step across replicas: the billing mode,
 * provisioned units (0 when on demand), OnDemandThroughput (with capacity(): undefined until set), and
 * each global secondary index's provisioned units.
 */
export interface CapacitySettings {
  readonly billingMode: string;
  readonly read: number;
  readonly write: number;
  readonly onDemand?: { readonly MaxReadRequestUnits: number; readonly MaxWriteRequestUnits: number } | undefined;
  readonly indexes: Readonly<Record<string, { readonly read: number; readonly write: number }>>;
}

/** A replica's own settings (ReplicaUpdates Create / Update), as DescribeTable's ReplicaDescription shows them. */
export interface ReplicaOverrides {
  readonly ProvisionedThroughputOverride?: { readonly ReadCapacityUnits?: number };
  readonly OnDemandThroughputOverride?: { readonly MaxReadRequestUnits?: number };
  readonly GlobalSecondaryIndexes?: ReadonlyArray<{ readonly IndexName?: string; readonly ProvisionedThroughputOverride?: { readonly ReadCapacityUnits?: number } }>;
  readonly ReplicaTableClassSummary?: { readonly TableClass?: string };
}

/** The capacity settings a TableDescription shows. */
export function capacityOf(description: TableDescription): CapacitySettings {
  const onDemand = (description as { OnDemandThroughput?: { MaxReadRequestUnits: number; MaxWriteRequestUnits: number } }).OnDemandThroughput;
  const indexes: Record<string, { read: number; write: number }> = {};
  for (const index of description.GlobalSecondaryIndexes ?? []) indexes[index.IndexName] = { read: index.ProvisionedThroughput.ReadCapacityUnits, write: index.ProvisionedThroughput.WriteCapacityUnits };
  return {
    billingMode: description.BillingModeSummary.BillingMode,
    read: description.ProvisionedThroughput.ReadCapacityUnits,
    write: description.ProvisionedThroughput.WriteCapacityUnits,
    ...(onDemand === undefined ? {} : { onDemand: { MaxReadRequestUnits: onDemand.MaxReadRequestUnits, MaxWriteRequestUnits: onDemand.MaxWriteRequestUnits } }),
    indexes,
  };
}

/**
 * What a replica's capacity should be: the global table's settings, with the replica's read overrides
 * (ProvisionedThroughputOverride, OnDemandThroughputOverride, and per index) in place of the read units.
 * Write capacity and the billing mode are the same in every replica, as in DynamoDB.
 */
export function withOverrides(base: CapacitySettings, overrides: ReplicaOverrides | undefined): CapacitySettings {
  if (overrides === undefined) return base;
  const indexes: Record<string, { read: number; write: number }> = {};
  for (const [name, units] of Object.entries(base.indexes)) {
    const read = overrides.GlobalSecondaryIndexes?.find((index) => index.IndexName === name)?.ProvisionedThroughputOverride?.ReadCapacityUnits;
    indexes[name] = { read: read ?? units.read, write: units.write };
  }
  const onDemandRead = overrides.OnDemandThroughputOverride?.MaxReadRequestUnits;
  return {
    billingMode: base.billingMode,
    read: overrides.ProvisionedThroughputOverride?.ReadCapacityUnits ?? base.read,
    write: base.write,
    onDemand: onDemandRead === undefined ? base.onDemand : { MaxReadRequestUnits: onDemandRead, MaxWriteRequestUnits: base.onDemand?.MaxWriteRequestUnits ?? -1 },
    indexes,
  };
}

/**
 * Changes a table's capacity to `wanted` with UpdateTable requests in this region (one for the table, one
 * per index, as few as the differences need). Each refusal is reported, not thrown. OnDemandThroughput
 * only where the capacity() module keeps it (without it, Magneto has no per-table maximum to set).
 */
export function applyCapacity(ctx: ModuleContext, tableName: string, wanted: CapacitySettings, report: (message: string) => void): void {
  const run = (input: Record<string, unknown>) => {
    try {
      ctx.execute('DynamoDB_20120810', 'UpdateTable', { TableName: tableName, ...input });
    } catch (error) {
      report(error instanceof Error ? error.message : String(error));
    }
  };
  const current = capacityOf((ctx.execute('DynamoDB_20120810', 'DescribeTable', { TableName: tableName }) as { Table: TableDescription }).Table);
  const provisioned = wanted.billingMode === 'PROVISIONED';
  const names = Object.keys(wanted.indexes).filter((name) => current.indexes[name] !== undefined);
  const indexUnits = (name: string) => ({ ReadCapacityUnits: wanted.indexes[name]!.read, WriteCapacityUnits: wanted.indexes[name]!.write });
  const table: Record<string, unknown> = {};
  if (wanted.billingMode !== current.billingMode) {
    table.BillingMode = wanted.billingMode;
    // A switch to provisioned names every index's units in the same request.
    if (provisioned && names.length > 0) table.GlobalSecondaryIndexUpdates = names.map((IndexName) => ({ Update: { IndexName, ProvisionedThroughput: indexUnits(IndexName) } }));
  }
  if (provisioned && (table.BillingMode !== undefined || wanted.read !== current.read || wanted.write !== current.write)) {
    table.ProvisionedThroughput = { ReadCapacityUnits: wanted.read, WriteCapacityUnits: wanted.write };
  }
  // Core accepts OnDemandThroughput and ignores it unless capacity() keeps it (asking again would never end).
  const keepsOnDemand = ctx.getOperation('DynamoDB_20120810', 'DescribeTableReplicaAutoScaling') !== undefined;
  if (!provisioned && keepsOnDemand && wanted.onDemand !== undefined && JSON.stringify(wanted.onDemand) !== JSON.stringify(current.onDemand)) table.OnDemandThroughput = wanted.onDemand;
  if (Object.keys(table).length > 0) run(table);
  if (!provisioned || table.GlobalSecondaryIndexUpdates !== undefined) return;
  for (const name of names) {
    const now = current.indexes[name]!;
    if (now.read !== wanted.indexes[name]!.read || now.write !== wanted.indexes[name]!.write) run({ GlobalSecondaryIndexUpdates: [{ Update: { IndexName: name, ProvisionedThroughput: indexUnits(name) } }] });
  }
}
