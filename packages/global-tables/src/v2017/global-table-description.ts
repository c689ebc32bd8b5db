import { beginConstraints, type ModuleContext, type TableView } from '@magneto/core';
import { globalTableStateOf, type GlobalTableState } from '../global-table-state.js';
import { GlobalTableNotFoundException } from './errors.js';

/** DynamoDB's GlobalTableDescription (version 2017.11.29). */
export interface GlobalTableDescription {
  ReplicationGroup: Array<{ RegionName: string; ReplicaStatus: string }>;
  GlobalTableArn: string;
  CreationDateTime: number;
  GlobalTableStatus: 'CREATING' | 'ACTIVE' | 'DELETING' | 'UPDATING';
  GlobalTableName: string;
}

/** The table of a version 2017.11.29 global table in this region, with its state; GlobalTableNotFoundException if none. */
export function legacyGlobalTable(ctx: ModuleContext, name: unknown): { table: TableView; state: GlobalTableState } {
  const c = beginConstraints();
  if (c.notNull('globalTableName', name)) c.tableName('globalTableName', name);
  c.finish();
  const table = ctx.getTable(name as string);
  const state = table === undefined ? undefined : globalTableStateOf(table);
  if (table === undefined || state === undefined || state.globalTableVersion !== '2017.11.29') {
    throw new GlobalTableNotFoundException(`Global table not found: Global table with name: '${name as string}' does not exist.`);
  }
  return { table, state };
}

/** A version 2017.11.29 global table as DescribeGlobalTable shows it. */
export function describeGlobalTableState(ctx: ModuleContext, table: TableView, state: GlobalTableState): GlobalTableDescription {
  const statuses = [...state.replicas.values()].map((replica) => replica.status);
  const status = statuses.includes('CREATING') ? 'CREATING' : statuses.includes('DELETING') ? 'UPDATING' : 'ACTIVE';
  return {
    ReplicationGroup: [...state.replicas].map(([region, replica]) => ({ RegionName: region, ReplicaStatus: replica.status })),
    GlobalTableArn: `arn:aws:dynamodb::${ctx.accountId}:global-table/${table.name}`,
    CreationDateTime: state.createdAt / 1000,
    GlobalTableStatus: status,
    GlobalTableName: table.name,
  };
}
