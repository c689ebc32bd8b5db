import type { ModuleContext, TableDescription } from '@magneto/core';
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
  ReplicaSettingsUpdate?: Array<{ RegionName: string }>;
}

/**
 * DescribeGlobalTableSettings (version 2017.11.29): each replica's billing mode and capacity. The replicas
 * of a 2017.11.29 global table have the same settings, so every region shows this region's table's.
 */
export function describeGlobalTableSettings(ctx: ModuleContext, input: DescribeGlobalTableSettingsInput): GlobalTableSettingsOutput {
  const { table, state } = legacyGlobalTable(ctx, input.GlobalTableName);
  const { Table } = ctx.execute('DynamoDB_20120810', 'DescribeTable', { TableName: table.name }) as { Table: TableDescription };
  return {
    GlobalTableName: table.name,
    ReplicaSettings: [...state.replicas].map(([region, replica]) => ({
      RegionName: region,
      ReplicaStatus: replica.status,
      ReplicaBillingModeSummary: { BillingMode: Table.BillingModeSummary.BillingMode },
      ReplicaProvisionedReadCapacityUnits: Table.ProvisionedThroughput.ReadCapacityUnits,
      ReplicaProvisionedWriteCapacityUnits: Table.ProvisionedThroughput.WriteCapacityUnits,
      ReplicaGlobalSecondaryIndexSettings: (Table.GlobalSecondaryIndexes ?? []).map((index) => ({
        IndexName: index.IndexName,
        IndexStatus: index.IndexStatus,
        ProvisionedReadCapacityUnits: index.ProvisionedThroughput.ReadCapacityUnits,
        ProvisionedWriteCapacityUnits: index.ProvisionedThroughput.WriteCapacityUnits,
      })),
    })),
  };
}

/**
 * UpdateGlobalTableSettings (version 2017.11.29): checks the global table and the replicas named
 * (ReplicaNotFoundException), and answers the settings. Magneto does not change capacity settings
 * through it: use UpdateTable in each region.
 */
export function updateGlobalTableSettings(ctx: ModuleContext, input: UpdateGlobalTableSettingsInput): GlobalTableSettingsOutput {
  const { state } = legacyGlobalTable(ctx, input.GlobalTableName);
  for (const update of input.ReplicaSettingsUpdate ?? []) {
    if (!state.replicas.has(update.RegionName)) throw new ReplicaNotFoundException(`Replica not found in region: ${update.RegionName}`);
  }
  return describeGlobalTableSettings(ctx, input);
}
