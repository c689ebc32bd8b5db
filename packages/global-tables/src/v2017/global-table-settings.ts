import type { ModuleContext, TableDescription } from '@magneto/core';
import { capacityOf, withOverrides, type ReplicaOverrides } from '../replica-capacity.js';
import type { Replicator } from '../replicator.js';
import { ReplicaNotFoundException } from './errors.js';
import { legacyGlobalTable } from './global-table-description.js';

/** DescribeGlobalTableSettings' request. */
export interface DescribeGlobalTableSettingsInput {
  GlobalTableName: string;
}

/** DescribeGlobalTableSettings' and UpdateGlobalTableSettings' response. */
export interface GlobalTableSettingsOutput {
  GlobalTableName: string;
  ReplicaSettings: Array<Record<string, unknown>>;
}

/** UpdateGlobalTableSettings' request. */
export interface UpdateGlobalTableSettingsInput {
  GlobalTableName: string;
  GlobalTableBillingMode?: string;
  GlobalTableProvisionedWriteCapacityUnits?: number;
  GlobalTableGlobalSecondaryIndexSettingsUpdate?: Array<{ IndexName: string; ProvisionedWriteCapacityUnits?: number }>;
  ReplicaSettingsUpdate?: Array<{
    RegionName: string;
    ReplicaProvisionedReadCapacityUnits?: number;
    ReplicaGlobalSecondaryIndexSettingsUpdate?: Array<{ IndexName: string; ProvisionedReadCapacityUnits?: number }>;
  }>;
}

/**
 * DescribeGlobalTableSettings (version 2017.11.29): each replica's billing mode and capacity. Billing mode
 * and write capacity are the same in every replica; a replica's read capacity is its override when it
 * has one (set by UpdateGlobalTableSettings), else this region's.
 */
export function describeGlobalTableSettings(ctx: ModuleContext, input: DescribeGlobalTableSettingsInput): GlobalTableSettingsOutput {
  const { table, state } = legacyGlobalTable(ctx, input.GlobalTableName);
  const { Table } = ctx.execute('DynamoDB_20120810', 'DescribeTable', { TableName: table.name }) as { Table: TableDescription };
  const base = capacityOf(Table);
  return {
    GlobalTableName: table.name,
    ReplicaSettings: [...state.replicas].map(([region, replica]) => {
      const units = region === ctx.region ? base : withOverrides(base, replica.overrides as ReplicaOverrides | undefined);
      return {
        RegionName: region,
        ReplicaStatus: replica.status,
        ReplicaBillingModeSummary: { BillingMode: units.billingMode },
        ReplicaProvisionedReadCapacityUnits: units.read,
        ReplicaProvisionedWriteCapacityUnits: units.write,
        ReplicaGlobalSecondaryIndexSettings: (Table.GlobalSecondaryIndexes ?? []).map((index) => ({
          IndexName: index.IndexName,
          IndexStatus: index.IndexStatus,
          ProvisionedReadCapacityUnits: units.indexes[index.IndexName]!.read,
          ProvisionedWriteCapacityUnits: units.indexes[index.IndexName]!.write,
        })),
      };
    }),
  };
}

/**
 * UpdateGlobalTableSettings (version 2017.11.29): checks the global table and the replicas named
 * (ReplicaNotFoundException), then changes capacity as one UpdateTable in this region: the billing mode
 * and write units (table and indexes) here, which every replica then takes (see settings-sync.ts); this
 * region's read units here; another replica's read units as that replica's override (ReplicaUpdates
 * Update), applied in its region. Auto scaling settings updates are not applied (use
 * UpdateTableReplicaAutoScaling).
 */
export function updateGlobalTableSettings(replicator: Replicator, input: UpdateGlobalTableSettingsInput): GlobalTableSettingsOutput {
  const ctx = replicator.ctx;
  const { table, state } = legacyGlobalTable(ctx, input.GlobalTableName);
  for (const update of input.ReplicaSettingsUpdate ?? []) {
    if (!state.replicas.has(update.RegionName)) throw new ReplicaNotFoundException(`Replica not found in region: ${update.RegionName}`);
  }
  const { Table } = ctx.execute('DynamoDB_20120810', 'DescribeTable', { TableName: table.name }) as { Table: TableDescription };
  const current = capacityOf(Table);
  const here = input.ReplicaSettingsUpdate?.find((update) => update.RegionName === ctx.region);
  const request: Record<string, unknown> = { TableName: table.name };
  if (input.GlobalTableBillingMode !== undefined && input.GlobalTableBillingMode !== current.billingMode) request.BillingMode = input.GlobalTableBillingMode;
  if (input.GlobalTableProvisionedWriteCapacityUnits !== undefined || here?.ReplicaProvisionedReadCapacityUnits !== undefined) {
    request.ProvisionedThroughput = {
      ReadCapacityUnits: here?.ReplicaProvisionedReadCapacityUnits ?? current.read,
      WriteCapacityUnits: input.GlobalTableProvisionedWriteCapacityUnits ?? current.write,
    };
  }
  const indexUpdates = Object.keys(current.indexes).flatMap((IndexName) => {
    const write = input.GlobalTableGlobalSecondaryIndexSettingsUpdate?.find((update) => update.IndexName === IndexName)?.ProvisionedWriteCapacityUnits;
    const read = here?.ReplicaGlobalSecondaryIndexSettingsUpdate?.find((update) => update.IndexName === IndexName)?.ProvisionedReadCapacityUnits;
    if (write === undefined && read === undefined) return [];
    const units = current.indexes[IndexName]!;
    return [{ Update: { IndexName, ProvisionedThroughput: { ReadCapacityUnits: read ?? units.read, WriteCapacityUnits: write ?? units.write } } }];
  });
  if (indexUpdates.length > 0) request.GlobalSecondaryIndexUpdates = indexUpdates;
  const replicaUpdates = (input.ReplicaSettingsUpdate ?? [])
    .filter((update) => update.RegionName !== ctx.region)
    .map((update) => ({
      Update: {
        RegionName: update.RegionName,
        ...(update.ReplicaProvisionedReadCapacityUnits === undefined ? {} : { ProvisionedThroughputOverride: { ReadCapacityUnits: update.ReplicaProvisionedReadCapacityUnits } }),
        ...(update.ReplicaGlobalSecondaryIndexSettingsUpdate === undefined
          ? {}
          : { GlobalSecondaryIndexes: update.ReplicaGlobalSecondaryIndexSettingsUpdate.map((index) => ({ IndexName: index.IndexName, ProvisionedThroughputOverride: { ReadCapacityUnits: index.ProvisionedReadCapacityUnits } })) }),
      },
    }));
  if (replicaUpdates.length > 0) request.ReplicaUpdates = replicaUpdates;
  if (Object.keys(request).length > 1) ctx.execute('DynamoDB_20120810', 'UpdateTable', request);
  if (here !== undefined) {
    // This region's read units are its own too: the other replicas learn them with the replica set.
    const replica = state.replicas.get(ctx.region)!;
    replica.overrides = {
      ...replica.overrides,
      ...(here.ReplicaProvisionedReadCapacityUnits === undefined ? {} : { ProvisionedThroughputOverride: { ReadCapacityUnits: here.ReplicaProvisionedReadCapacityUnits } }),
      ...(here.ReplicaGlobalSecondaryIndexSettingsUpdate === undefined
        ? {}
        : { GlobalSecondaryIndexes: here.ReplicaGlobalSecondaryIndexSettingsUpdate.map((index) => ({ IndexName: index.IndexName, ProvisionedThroughputOverride: { ReadCapacityUnits: index.ProvisionedReadCapacityUnits } })) }),
    };
    state.epoch = replicator.nextEpoch(state);
    replicator.broadcastReplicas(table.name, state);
  }
  return describeGlobalTableSettings(ctx, input);
}
