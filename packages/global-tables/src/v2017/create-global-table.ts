import { beginConstraints, checkShape, listOf, STRING, struct, ValidationException, type TableDescription } from '@magneto/core';
import { GlobalTableState, STATE_KEY, globalTableStateOf, type ReplicaState } from '../global-table-state.js';
import { replicaSetMessage, type Replicator } from '../replicator.js';
import { GlobalTableAlreadyExistsException, TableNotFoundException } from './errors.js';
import { describeGlobalTableState, type GlobalTableDescription } from './global-table-description.js';

/** CreateGlobalTable's request. */
export interface CreateGlobalTableInput {
  GlobalTableName: string;
  ReplicationGroup: Array<{ RegionName: string }>;
}

/** CreateGlobalTable's wire shape: a member of the wrong JSON type is a SerializationException, as on DynamoDB. */
const CREATE_GLOBAL_TABLE_SHAPE = struct('CreateGlobalTableInput', {
  GlobalTableName: STRING,
  ReplicationGroup: listOf(struct('Replica', { RegionName: STRING })),
});

/** CreateGlobalTable's response. */
export interface CreateGlobalTableOutput {
  GlobalTableDescription: GlobalTableDescription;
}

/**
 * CreateGlobalTable (version 2017.11.29): makes this region's table and the tables of the same name in
 * the other regions of ReplicationGroup one global table. Each must exist, have a stream of new and old
 * images and hold no item: this region's table is checked now, the others' in their regions (a replica
 * whose table does not qualify ends CREATION_FAILED).
 */
export function createGlobalTable(replicator: Replicator, input: CreateGlobalTableInput): CreateGlobalTableOutput {
  checkShape(input as unknown as Record<string, unknown>, CREATE_GLOBAL_TABLE_SHAPE);
  const c = beginConstraints();
  if (c.notNull('globalTableName', input.GlobalTableName)) c.tableName('globalTableName', input.GlobalTableName);
  c.notNull('replicationGroup', input.ReplicationGroup);
  c.finish();
  const regions = input.ReplicationGroup.map((member) => member.RegionName);
  const ctx = replicator.ctx;
  if (!regions.includes(ctx.region)) {
    throw new ValidationException(`One or more parameter values were invalid: the replication group must include the region of the request (${ctx.region})`);
  }
  const table = ctx.getTable(input.GlobalTableName);
  if (table === undefined) throw new TableNotFoundException(`Table: ${input.GlobalTableName} not found`);
  if (globalTableStateOf(table) !== undefined) throw new GlobalTableAlreadyExistsException(`Global table with this name already exists: ${input.GlobalTableName}`);
  checkJoinable(replicator, input.GlobalTableName);
  const replicas = new Map<string, ReplicaState>(regions.map((region) => [region, { status: region === ctx.region ? 'ACTIVE' : 'CREATING' }]));
  const state = new GlobalTableState(replicas, replicator.nextEpoch(), '2017.11.29', ctx.clock.now());
  table.setModuleState(STATE_KEY, state);
  for (const region of regions) {
    if (region === ctx.region) continue;
    replicator.coordinating.add(table.name);
    replicator.sendControl(region, { type: 'joinReplica', tableName: table.name, replicas: replicaSetMessage(state) }, 'lifecycle');
  }
  return { GlobalTableDescription: describeGlobalTableState(ctx, table, state) };
}

/**
 * Why this region's table cannot join a version 2017.11.29 global table (a ValidationException), or
 * nothing: it must have a stream of new and old images and hold no item.
 */
export function checkJoinable(replicator: Replicator, tableName: string): void {
  const { Table } = replicator.ctx.execute('DynamoDB_20120810', 'DescribeTable', { TableName: tableName }) as { Table: TableDescription };
  const stream = Table.StreamSpecification as { StreamEnabled?: boolean; StreamViewType?: string } | undefined;
  if (stream?.StreamEnabled !== true || stream.StreamViewType !== 'NEW_AND_OLD_IMAGES') {
    throw new ValidationException(`One or more parameter values were invalid: Table: ${tableName} must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES`);
  }
  if (replicator.ctx.getTable(tableName)!.itemCount > 0) {
    throw new ValidationException(`One or more parameter values were invalid: Table: ${tableName} must be empty to become a replica of a global table`);
  }
}
