import { STATE_KEY } from '../global-table-state.js';
import { replicaSetMessage, type Replicator } from '../replicator.js';
import { ReplicaAlreadyExistsException, ReplicaNotFoundException } from './errors.js';
import { describeGlobalTableState, legacyGlobalTable, type GlobalTableDescription } from './global-table-description.js';

/** UpdateGlobalTable's request. */
export interface UpdateGlobalTableInput {
  GlobalTableName: string;
  ReplicaUpdates: Array<{ Create?: { RegionName: string }; Delete?: { RegionName: string } }>;
}

/** UpdateGlobalTable's response. */
export interface UpdateGlobalTableOutput {
  GlobalTableDescription: GlobalTableDescription;
}

/**
 * UpdateGlobalTable (version 2017.11.29): Create adds the empty table of the same name in another region
 * (CREATING until that region accepts it); Delete takes a region out (its table stays, unreplicated).
 */
export function updateGlobalTable(replicator: Replicator, input: UpdateGlobalTableInput): UpdateGlobalTableOutput {
  const ctx = replicator.ctx;
  const { table, state } = legacyGlobalTable(ctx, input.GlobalTableName);
  const updates = Array.isArray(input.ReplicaUpdates) ? input.ReplicaUpdates : [];
  for (const update of updates) {
    if (update.Create !== undefined && state.replicas.has(update.Create.RegionName)) {
      throw new ReplicaAlreadyExistsException(`Replica already exists in region: ${update.Create.RegionName}`);
    }
    if (update.Delete !== undefined && !state.replicas.has(update.Delete.RegionName)) {
      throw new ReplicaNotFoundException(`Replica not found in region: ${update.Delete.RegionName}`);
    }
  }
  const removed: string[] = [];
  for (const update of updates) {
    if (update.Create !== undefined) state.replicas.set(update.Create.RegionName, { status: 'CREATING' });
    if (update.Delete !== undefined) {
      state.replicas.delete(update.Delete.RegionName);
      removed.push(update.Delete.RegionName);
    }
  }
  state.epoch = replicator.nextEpoch(state);
  for (const update of updates) {
    if (update.Create === undefined) continue;
    replicator.coordinating.add(table.name);
    replicator.sendControl(update.Create.RegionName, { type: 'joinReplica', tableName: table.name, replicas: replicaSetMessage(state) }, 'lifecycle');
  }
  // The removed regions hear the new set too: they stop replicating.
  replicator.broadcastReplicas(table.name, state, removed);
  const description = describeGlobalTableState(ctx, table, state);
  if (!state.replicas.has(ctx.region) || state.replicas.size <= 1) table.setModuleState(STATE_KEY, undefined);
  return { GlobalTableDescription: description };
}
