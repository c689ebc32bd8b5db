import type { DatabaseModule, OperationEntry, PersistentModule } from '@magneto/core';
import { checkStrongConsistencyRequest } from './mrsc/mrsc-updates.js';
import { globalTableStateOf, persistGlobalTableState, restoreGlobalTableState, STATE_KEY, type PersistedGlobalTableState } from './global-table-state.js';
import type { LatencySummary } from './latency-stats.js';
import type { StrongConsistencyRecord, StrongConsistencySnapshot } from './mrsc/strong-consistency.js';
import { applyReplicaUpdates } from './replica-updates.js';
import { checkStreamSpecification } from './stream-specification.js';
import { Replicator, type LoggedVersion, type ReplicationError } from './replicator.js';
import type { Transport } from './transport.js';
import { createGlobalTable, type CreateGlobalTableInput } from './v2017/create-global-table.js';
import { describeGlobalTable, type DescribeGlobalTableInput } from './v2017/describe-global-table.js';
import { describeGlobalTableSettings, updateGlobalTableSettings, type DescribeGlobalTableSettingsInput, type UpdateGlobalTableSettingsInput } from './v2017/global-table-settings.js';
import { listGlobalTables, type ListGlobalTablesInput } from './v2017/list-global-tables.js';
import { updateGlobalTable, type UpdateGlobalTableInput } from './v2017/update-global-table.js';

/** Options of {@link globalTables}. */
export interface GlobalTablesOptions {
  /** How this region reaches the others: an InProcessNetwork shared by the regions of one process, an HTTP transport, … */
  transport: Transport;
  /** How long an unacknowledged entry waits before it is sent again (ms of the clock; doubles while unanswered). Default 1000. */
  retransmitMs?: number;
  /**
   * How long a deleted item's version is remembered (ms of the clock), so that an older write arriving
   * later cannot bring it back. Default 24 hours. A write delayed longer than this (a partition that long)
   * may resurrect an item.
   */
  tombstoneMs?: number;
  /**
   * Multi-Region strong consistency: how long a strongly consistent write or read waits for another
   * region's vote before it fails (ms of the clock; a region cut off from the others cannot write). Default 4 × retransmitMs.
   */
  strongTimeoutMs?: number;
  /** Called with each replicated write this region refused because it does not validate here. */
  onReplicationError?: (error: ReplicationError) => void;
}

/** The global-tables module of one region, as `globalTables()` returns it. */
export interface GlobalTablesModule extends DatabaseModule, PersistentModule {
  readonly name: 'globalTables';
  /** ReplicationLatency of writes from `sourceRegion` applied in this region, or undefined before the first. Throws if not installed. */
  replicationLatency(sourceRegion: string): LatencySummary | undefined;
  /**
   * Work in flight: writes and control messages this region sent that no peer has acknowledged yet, plus
   * replica tables this region is creating (0: nothing left to do here). Throws if not installed.
   */
  readonly pendingCount: number;
  /** Replicated writes this region refused (they did not validate here). Throws if not installed. */
  readonly errors: readonly ReplicationError[];
  /** Detaches this region from its transport. */
  close(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * DynamoDB global tables (version 2019.11.21, multi-region eventual consistency) between Magneto
 * databases, one per region: UpdateTable's ReplicaUpdates creates and deletes replicas, DescribeTable
 * shows Replicas and GlobalTableVersion, and every write is replicated item by item from the change feed
 * to every other replica, where the last writer (by the write's timestamp, then region name) wins. Each
 * replica's stream shows the writes replicated into it. Needs the `streams()` module in every region.
 *
 * @example
 * const clock = new ManualClock();
 * const network = new InProcessNetwork({ clock, latencyMs: 100 });
 * const regions = ['us-east-1', 'eu-west-1'].map((region) =>
 *   new Database({ region, clock, modules: [streams(), globalTables({ transport: network })] }));
 * await regions[0].createTable({ ...definition, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
 * await regions[0].updateTable({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] });
 * await clock.advance(1000); // the replica is ACTIVE, with a copy of the items
 */
export function globalTables(options: GlobalTablesOptions): GlobalTablesModule {
  let replicator: Replicator | undefined;
  const installed = (): Replicator => {
    if (replicator === undefined) throw new Error('globalTables(): the module is not installed in a Database yet');
    return replicator;
  };
  return {
    name: 'globalTables',
    install(ctx) {
      const retransmitMs = options.retransmitMs ?? 1000;
      const runtime = new Replicator(ctx, options.transport, {
        retransmitMs,
        tombstoneMs: options.tombstoneMs ?? DAY_MS,
        strongTimeoutMs: options.strongTimeoutMs ?? 4 * retransmitMs,
        onReplicationError: options.onReplicationError,
      });
      replicator = runtime;
      ctx.handleTableParameter('ReplicaUpdates', {
        apply: (table, value, operation) => {
          if (operation === 'UpdateTable') applyReplicaUpdates(runtime, table, value);
        },
      });
      // Version 2017.11.29: a global table is named like its tables.
      const SERVICE = 'DynamoDB_20120810';
      const tablesOf = (input: Readonly<Record<string, unknown>>) => (typeof input.GlobalTableName === 'string' ? [input.GlobalTableName] : undefined);
      ctx.registerOperation({ service: SERVICE, name: 'CreateGlobalTable', effect: 'catalog', tablesOf, handler: (input: CreateGlobalTableInput) => createGlobalTable(runtime, input) });
      ctx.registerOperation({ service: SERVICE, name: 'UpdateGlobalTable', effect: 'catalog', tablesOf, handler: (input: UpdateGlobalTableInput) => updateGlobalTable(runtime, input) });
      ctx.registerOperation({ service: SERVICE, name: 'DescribeGlobalTable', effect: 'read', tablesOf, handler: (input: DescribeGlobalTableInput) => describeGlobalTable(ctx, input) });
      ctx.registerOperation({ service: SERVICE, name: 'ListGlobalTables', effect: 'read', tablesOf: () => undefined, handler: (input: ListGlobalTablesInput) => listGlobalTables(ctx, input) });
      ctx.registerOperation({ service: SERVICE, name: 'DescribeGlobalTableSettings', effect: 'read', tablesOf, handler: (input: DescribeGlobalTableSettingsInput) => describeGlobalTableSettings(ctx, input) });
      ctx.registerOperation({ service: SERVICE, name: 'UpdateGlobalTableSettings', effect: 'catalog', tablesOf, handler: (input: UpdateGlobalTableSettingsInput) => updateGlobalTableSettings(runtime, input) });
      // UpdateTable keeps a replica's stream on, and checks MultiRegionConsistency and GlobalTableWitnessUpdates
      // with its ReplicaUpdates before anything changes (ReplicaUpdates then creates what they ask for).
      const updateTable = ctx.getOperation(SERVICE, 'UpdateTable') as OperationEntry;
      ctx.registerOperation({
        ...updateTable,
        handler: (input: Record<string, unknown>) => {
          checkStreamSpecification(ctx, input);
          runtime.pendingStrong = checkStrongConsistencyRequest(ctx, input);
          try {
            return updateTable.handler(input);
          } finally {
            runtime.pendingStrong = undefined;
          }
        },
      });
      for (const parameter of ['MultiRegionConsistency', 'GlobalTableWitnessUpdates']) ctx.handleTableParameter(parameter, { apply: () => undefined });
      ctx.contributeTableDescription((table, description) => {
        const state = globalTableStateOf(table);
        if (state === undefined) return;
        const replicas: Array<Record<string, unknown>> = [];
        const witnesses: Array<Record<string, unknown>> = [];
        for (const [region, replica] of state.replicas) {
          if (region === ctx.region) continue;
          if (replica.witness === true) {
            witnesses.push({ RegionName: region, WitnessStatus: replica.status });
            continue;
          }
          const entry: Record<string, unknown> = { RegionName: region, ReplicaStatus: replica.status };
          if (replica.description !== undefined) entry.ReplicaStatusDescription = replica.description;
          Object.assign(entry, replica.overrides);
          replicas.push(entry);
        }
        description.GlobalTableVersion = state.globalTableVersion;
        description.Replicas = replicas;
        if (state.consistency === 'STRONG') {
          description.MultiRegionConsistency = 'STRONG';
          if (witnesses.length > 0) description.GlobalTableWitnesses = witnesses;
        }
      });
    },
    replicationLatency: (sourceRegion) => installed().latencyFrom(sourceRegion)?.summary(),
    get pendingCount() {
      return installed().pendingCount;
    },
    get errors() {
      return installed().errors;
    },
    close: () => replicator?.close(),
    // Durable storage: each global table's replica set and item versions persist with the table (at
    // catalog operations and snapshots); writes logged after that are replayed to rebuild the versions,
    // and once recovered this region sends its own latest writes again (acknowledgements are not kept).
    persistTableState: (table) => {
      const state = globalTableStateOf(table);
      return state === undefined ? undefined : persistGlobalTableState(state);
    },
    restoreTableState: (table, persisted) => {
      const state = restoreGlobalTableState(persisted as PersistedGlobalTableState);
      if (state.consistency === 'STRONG') replicator?.strong.activate();
      table.setModuleState(STATE_KEY, state);
    },
    replayChanges: (batch) => replicator?.replay(batch),
    replayRecord: (record) => replicator?.replayRecord(record as LoggedVersion | StrongConsistencyRecord),
    // Multi-Region strong consistency's item locks and witness tables (no table holds them).
    snapshotState: () => replicator?.strong.snapshotState(),
    restoreState: (state) => replicator?.strong.restoreState(state as StrongConsistencySnapshot),
    recovered: () => replicator?.recovered(),
  };
}
