import { ValidationException, type TableDescription, type TableView } from '@magneto/core';
import { GlobalTableState, STATE_KEY, globalTableStateOf, type ReplicaState } from './global-table-state.js';
import { capacityOf, withOverrides, type ReplicaOverrides } from './replica-capacity.js';
import { replicaSetMessage, type Replicator } from './replicator.js';

/** DynamoDB refuses a provisioned table without write auto scaling as a global table. */
export const MSG_WRITE_CAPACITY = 'Table write capacity should either be Pay-Per-Request or AutoScaled.';

/** One element of UpdateTable's ReplicaUpdates (ReplicationGroupUpdate). */
interface ReplicationGroupUpdate {
  Create?: ReplicaAction;
  Update?: ReplicaAction;
  Delete?: ReplicaAction;
}

/** CreateReplicationGroupMemberAction / UpdateReplicationGroupMemberAction / DeleteReplicationGroupMemberAction. */
interface ReplicaAction {
  RegionName?: unknown;
  ProvisionedThroughputOverride?: unknown;
  OnDemandThroughputOverride?: unknown;
  GlobalSecondaryIndexes?: unknown;
  TableClassOverride?: unknown;
}

/** DynamoDB refuses ReplicaUpdates that name the region the request is sent to. */
export const MSG_LOCAL_REGION = 'Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.';

/**
 * UpdateTable's ReplicaUpdates (global tables version 2019.11.21): Create adds a replica in another
 * region (CREATING until its table exists there and this region's copy of the items is acknowledged, then
 * ACTIVE), Delete removes one (DELETING until its region has deleted its table), Update keeps per-replica
 * settings. Everything is checked before anything changes.
 */
export function applyReplicaUpdates(replicator: Replicator, table: TableView, value: unknown): void {
  const updates = parseReplicaUpdates(value);
  const ctx = replicator.ctx;
  const state = globalTableStateOf(table);
  const description = (ctx.execute('DynamoDB_20120810', 'DescribeTable', { TableName: table.name }) as { Table: TableDescription }).Table;
  const known = new Set(state?.replicas.keys() ?? [ctx.region]);
  for (const { action, region } of updates) {
    if (region === ctx.region) throw new ValidationException(MSG_LOCAL_REGION);
    if (action === 'Create') {
      if (known.has(region)) {
        throw new ValidationException(`Failed to create a the new replica of table with name: '${table.name}' because one or more replicas already existed as tables.`);
      }
      if (replicator.pendingStrong === undefined) checkCanReplicate(replicator, table, description);
      known.add(region);
    } else if (!known.has(region)) {
      throw new ValidationException(`Replica specified in the Replica Update or Replica Delete action of the request was not found: ${region}`);
    }
  }
  const current = state ?? new GlobalTableState(new Map<string, ReplicaState>([[ctx.region, { status: 'ACTIVE' }]]), replicator.nextEpoch(), '2019.11.21');
  const strong = state === undefined ? replicator.pendingStrong : undefined;
  if (strong !== undefined) {
    current.consistency = 'STRONG';
    // A witness holds no table: nothing to create or copy, it votes from the start.
    if (strong.witness !== undefined) current.replicas.set(strong.witness, { status: 'ACTIVE', witness: true });
    replicator.strong.activate();
  }
  const creating: string[] = [];
  const deleting: string[] = [];
  for (const { action, region, member } of updates) {
    if (action === 'Create') {
      current.replicas.set(region, { status: 'CREATING', overrides: overridesOf(member, undefined) });
      creating.push(region);
    } else if (action === 'Delete') {
      current.replicas.get(region)!.status = 'DELETING';
      deleting.push(region);
    } else {
      const replica = current.replicas.get(region)!;
      replica.overrides = overridesOf(member, replica.overrides);
    }
  }
  current.epoch = replicator.nextEpoch(current);
  table.setModuleState(STATE_KEY, current);
  if (strong?.witness !== undefined) replicator.sendControl(strong.witness, { type: 'createWitness', tableName: table.name, keySchema: description.KeySchema }, 'lifecycle');
  for (const region of creating) {
    replicator.coordinating.add(table.name);
    const definition = replicaDefinition(description, current.replicas.get(region)!.overrides as ReplicaOverrides | undefined, current.consistency === 'STRONG');
    replicator.sendControl(region, { type: 'createReplica', tableName: table.name, definition, replicas: replicaSetMessage(current) }, 'lifecycle');
    replicator.syncTable(region, table, current);
  }
  for (const region of deleting) replicator.sendControl(region, { type: 'deleteReplica', tableName: table.name }, 'lifecycle');
  replicator.broadcastReplicas(table.name, current);
}

/**
 * The preconditions DynamoDB checks before a table gets a replica: a stream of new and old images, and
 * write capacity on demand or auto scaled (a provisioned table needs capacity()'s write auto scaling).
 */
function checkCanReplicate(replicator: Replicator, table: TableView, description: TableDescription): void {
  const stream = description.StreamSpecification as { StreamEnabled?: boolean; StreamViewType?: string } | undefined;
  if (stream?.StreamEnabled !== true || stream.StreamViewType !== 'NEW_AND_OLD_IMAGES') {
    throw new ValidationException(
      `Table: ${table.name} must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES to have replicas`,
    );
  }
  if (description.BillingModeSummary.BillingMode !== 'PAY_PER_REQUEST' && !writeAutoScaled(replicator, table.name)) throw new ValidationException(MSG_WRITE_CAPACITY);
}

/** Whether the table's write capacity has auto scaling (capacity()'s DescribeTableReplicaAutoScaling; none without the module). */
function writeAutoScaled(replicator: Replicator, tableName: string): boolean {
  try {
    const { TableAutoScalingDescription } = replicator.ctx.execute('DynamoDB_20120810', 'DescribeTableReplicaAutoScaling', { TableName: tableName }) as {
      TableAutoScalingDescription: { Replicas: Array<{ RegionName: string; ReplicaProvisionedWriteCapacityAutoScalingSettings?: { AutoScalingDisabled?: boolean } }> };
    };
    const settings = TableAutoScalingDescription.Replicas.find((replica) => replica.RegionName === replicator.ctx.region)?.ReplicaProvisionedWriteCapacityAutoScalingSettings;
    return settings !== undefined && settings.AutoScalingDisabled !== true;
  } catch {
    // No capacity() module: no auto scaling.
    return false;
  }
}

/** A replica's settings after a Create or Update action (DescribeTable's ReplicaDescription members). */
function overridesOf(member: ReplicaAction, before: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const overrides: Record<string, unknown> = { ...before };
  if (member.ProvisionedThroughputOverride != null) overrides.ProvisionedThroughputOverride = member.ProvisionedThroughputOverride;
  if (member.OnDemandThroughputOverride != null) overrides.OnDemandThroughputOverride = member.OnDemandThroughputOverride;
  if (member.GlobalSecondaryIndexes != null) overrides.GlobalSecondaryIndexes = member.GlobalSecondaryIndexes;
  if (member.TableClassOverride != null) overrides.ReplicaTableClassSummary = { TableClass: member.TableClassOverride };
  return Object.keys(overrides).length === 0 ? undefined : overrides;
}

function parseReplicaUpdates(value: unknown): Array<{ action: 'Create' | 'Update' | 'Delete'; region: string; member: ReplicaAction }> {
  if (!Array.isArray(value)) throw new ValidationException('1 validation error detected: Value null at \'replicaUpdates\' failed to satisfy constraint: Member must not be null');
  return (value as ReplicationGroupUpdate[]).map((update, i) => {
    const actions = (['Create', 'Update', 'Delete'] as const).filter((action) => update?.[action] !== undefined && update[action] !== null);
    if (actions.length !== 1) {
      throw new ValidationException(`One or more parameter values were invalid: Only one of Create, Update or Delete can be specified in replicaUpdates.${i + 1}`);
    }
    const action = actions[0]!;
    const region = update[action]!.RegionName;
    if (typeof region !== 'string' || region.length === 0) {
      throw new ValidationException(`1 validation error detected: Value null at 'replicaUpdates.${i + 1}.member.${action.toLowerCase()}.regionName' failed to satisfy constraint: Member must not be null`);
    }
    return { action, region, member: update[action]! };
  });
}

/**
 * The CreateTable request that makes a replica of a table in another region: the same key schema,
 * indexes, billing mode and capacity, with the replica's own overrides (read capacity, table class) in
 * place. A multi-Region eventually consistent replica has a stream of new and old images, as DynamoDB
 * requires; a strongly consistent one has the table's stream settings (replication does not use it).
 */
export function replicaDefinition(description: TableDescription, overrides: ReplicaOverrides | undefined, strong: boolean): Record<string, unknown> {
  const capacity = withOverrides(capacityOf(description), overrides);
  const provisioned = capacity.billingMode === 'PROVISIONED';
  const stream = description.StreamSpecification as { StreamEnabled?: boolean; StreamViewType?: string } | undefined;
  const definition: Record<string, unknown> = {
    TableName: description.TableName,
    KeySchema: description.KeySchema,
    AttributeDefinitions: description.AttributeDefinitions,
    BillingMode: capacity.billingMode,
    TableClass: overrides?.ReplicaTableClassSummary?.TableClass ?? description.TableClassSummary.TableClass,
  };
  if (!strong) definition.StreamSpecification = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' };
  else if (stream?.StreamEnabled === true) definition.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType };
  if (provisioned) definition.ProvisionedThroughput = { ReadCapacityUnits: capacity.read, WriteCapacityUnits: capacity.write };
  else if (capacity.onDemand !== undefined) definition.OnDemandThroughput = capacity.onDemand;
  if (description.GlobalSecondaryIndexes !== undefined) {
    definition.GlobalSecondaryIndexes = description.GlobalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      ...(provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: capacity.indexes[index.IndexName]!.read, WriteCapacityUnits: capacity.indexes[index.IndexName]!.write } } : {}),
    }));
  }
  if (description.LocalSecondaryIndexes !== undefined) {
    definition.LocalSecondaryIndexes = description.LocalSecondaryIndexes.map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection }));
  }
  return definition;
}
