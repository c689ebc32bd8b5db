import type { ModuleContext, OperationEntry } from '@magneto/core';
import { globalTableStateOf, type GlobalTableState } from './global-table-state.js';
import type { ControlMessage } from './transport.js';

/** The auto-scaling control message between the replicas of a global table. */
export type AutoScalingMessage = Extract<ControlMessage, { type: 'autoScaling' }>;

type Input = Record<string, unknown>;
type Handler = (input: Input) => unknown;

/** One replica's ReplicaAutoScalingDescription. */
type ReplicaDescription = Record<string, unknown> & { RegionName: string };

const SERVICE = 'DynamoDB_20120810';

/**
 * DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling over every replica of a global table,
 * on top of capacity()'s single-region operations (packages/core/src/capacity/replica-auto-scaling.ts),
 * which each region runs for its own replica. An update applies write auto scaling (table and indexes)
 * in every replica, as DynamoDB keeps write capacity equal, and each ReplicaUpdates entry in its own
 * region; every replica then tells the others its new settings, which Describe shows (as last told:
 * settings changed through Application Auto Scaling's API directly are not sent, and peers' settings are
 * not kept across a restart until they change again). Without capacity() nothing is wrapped.
 */
export class ReplicaAutoScaling {
  private describeHere: Handler | undefined;
  private updateHere: Handler | undefined;
  private updates = 0;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly send: (peer: string, message: AutoScalingMessage, slot: string) => void,
  ) {}

  /** Wraps capacity()'s operations once they exist (capacity() may be installed after this module). O(1) after. */
  wrap(): void {
    if (this.describeHere !== undefined) return;
    const describe = this.ctx.getOperation(SERVICE, 'DescribeTableReplicaAutoScaling') as OperationEntry | undefined;
    const update = this.ctx.getOperation(SERVICE, 'UpdateTableReplicaAutoScaling') as OperationEntry | undefined;
    if (describe === undefined || update === undefined) return;
    this.describeHere = describe.handler as Handler;
    this.updateHere = update.handler as Handler;
    this.ctx.registerOperation({ ...describe, handler: (input: Input) => this.describe(input) });
    this.ctx.registerOperation({ ...update, handler: (input: Input) => this.update(input) });
  }

  private stateOf(input: Input): GlobalTableState | undefined {
    const table = typeof input.TableName === 'string' ? this.ctx.getTable(this.ctx.tableNameOf(input.TableName)) : undefined;
    return table === undefined ? undefined : globalTableStateOf(table);
  }

  /** This region's replica as capacity() describes it, with every other replica as it last told its settings. */
  private describe(input: Input): unknown {
    const output = this.describeHere!(input) as { TableAutoScalingDescription: { Replicas: ReplicaDescription[] } };
    const state = this.stateOf(input);
    if (state === undefined) return output;
    const here = output.TableAutoScalingDescription.Replicas[0]!;
    output.TableAutoScalingDescription.Replicas = [...state.replicas]
      .filter(([, replica]) => replica.witness !== true)
      .map(([region, replica]) => (region === this.ctx.region ? here : { ...state.autoScaling.get(region), RegionName: region, ReplicaStatus: replica.status }));
    return output;
  }

  /**
   * Applies what concerns this region here and sends every other replica its part: write auto scaling to
   * all, each ReplicaUpdates entry to its region. A region that is no replica is refused as capacity()
   * refuses it.
   */
  private update(input: Input): unknown {
    const state = this.stateOf(input);
    if (state === undefined) return this.updateHere!(input);
    const replicaUpdates = Array.isArray(input.ReplicaUpdates) ? (input.ReplicaUpdates as Array<{ RegionName?: unknown } | null>) : [];
    const known = (region: unknown) => typeof region === 'string' && state.replicas.has(region) && state.replicas.get(region)!.witness !== true;
    const unknown = replicaUpdates.find((update) => !known(update?.RegionName));
    // capacity() answers an unknown region with its own refusal, before anything changes.
    const local = unknown === undefined ? replicaUpdates.filter((update) => update?.RegionName === this.ctx.region) : replicaUpdates;
    this.updateHere!({ ...input, ReplicaUpdates: local });
    const tableName = this.ctx.tableNameOf(input.TableName as string);
    for (const peer of state.peersOf(this.ctx.region)) {
      if (state.replicas.get(peer)!.witness === true) continue;
      const update: Input = {
        ProvisionedWriteCapacityAutoScalingUpdate: input.ProvisionedWriteCapacityAutoScalingUpdate,
        GlobalSecondaryIndexUpdates: input.GlobalSecondaryIndexUpdates,
        ReplicaUpdates: replicaUpdates.filter((entry) => entry?.RegionName === peer),
      };
      this.send(peer, { type: 'autoScaling', tableName, update }, `autoScaling update ${++this.updates}`);
    }
    this.tell(tableName, state);
    return this.describe(input);
  }

  /** Tells every other replica this region's auto-scaling settings of the table. */
  tell(tableName: string, state: GlobalTableState): void {
    if (this.describeHere === undefined) return;
    const { TableAutoScalingDescription } = this.describeHere({ TableName: tableName }) as { TableAutoScalingDescription: { Replicas: ReplicaDescription[] } };
    const description = TableAutoScalingDescription.Replicas[0]!;
    for (const peer of state.peersOf(this.ctx.region)) {
      if (state.replicas.get(peer)!.witness !== true) this.send(peer, { type: 'autoScaling', tableName, description }, 'autoScalingDescription');
    }
  }

  /** Another replica's update to apply here, or its settings to show. */
  receive(from: string, message: AutoScalingMessage, state: GlobalTableState): void {
    if (message.description !== undefined) state.autoScaling.set(from, message.description);
    if (message.update === undefined || this.updateHere === undefined) return;
    try {
      this.updateHere({ TableName: message.tableName, ...message.update });
    } finally {
      this.tell(message.tableName, state);
    }
  }
}
