import { ResourceNotFoundException, type ChangeBatch, type ModuleContext, type TableView } from '@magneto/core';
import { destinationsOf, isDelivering, liveDestination, type Destination } from './destination-state.js';
import type { KinesisStream } from './kinesis-stream.js';

/**
 * What the four operations and the stream store share: the streams by ARN, table lookup, the timing of
 * destination transitions, and the change-feed subscription, held only while some destination is
 * delivering, so a database with no destination enabled does no work on writes (the engine builds no
 * change records when nothing listens).
 */
export class DestinationsRuntime {
  readonly streams = new Map<string, KinesisStream>();
  /** Tables with an ACTIVE or UPDATING destination (as they were when it became so). */
  private readonly delivering = new Set<TableView>();
  private unsubscribe: (() => void) | undefined;

  constructor(readonly context: ModuleContext) {}

  /** The table `nameOrArn` names, whatever its status except CREATING; ResourceNotFoundException otherwise. */
  table(nameOrArn: string): TableView {
    const name = this.context.tableNameOf(nameOrArn);
    const table = name === '' ? undefined : this.context.getTable(name);
    // While a table is being created DynamoDB answers these operations as if it did not exist.
    if (!table || table.status === 'CREATING') {
      throw new ResourceNotFoundException(`Requested resource not found: Table: ${nameOrArn} not found`);
    }
    return table;
  }

  /**
   * Moves `destination` to its next status after the database's `tableTransitionMs` (at once when 0),
   * replacing any pending transition.
   */
  transition(table: TableView, destination: Destination, settle: () => void): void {
    destination.cancelTransition?.();
    destination.cancelTransition = undefined;
    const run = (): void => {
      destination.cancelTransition = undefined;
      settle();
      this.refresh(table);
      // Settled on a timer, outside any operation: durable storage logs the table's catalog entry.
      if (delay > 0) this.context.catalogChanged(table.name);
    };
    const delay = this.context.tableTransitionMs;
    if (delay <= 0) run();
    else destination.cancelTransition = this.context.clock.setTimer(delay, run);
  }

  /** Re-reads whether `table` delivers to a stream, and subscribes to or leaves the change feed accordingly. */
  refresh(table: TableView): void {
    const live = liveDestination(destinationsOf(table));
    const current = this.context.getTable(table.name) === table;
    if (current && live && isDelivering(live.status)) this.delivering.add(table);
    else this.delivering.delete(table);
    this.updateSubscription();
  }

  private updateSubscription(): void {
    if (this.delivering.size > 0 && !this.unsubscribe) this.unsubscribe = this.context.onChange((batch) => this.deliver(batch));
    else if (this.delivering.size === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = undefined;
    }
  }

  /** The change-feed listener: appends each change of a delivering table to its destination's stream. */
  private deliver(batch: ChangeBatch): void {
    const now = this.context.clock.now();
    let stale = false;
    for (const change of batch.records) {
      const table = this.context.getTable(change.tableName);
      if (!table || !this.delivering.has(table)) {
        stale = true;
        continue;
      }
      const state = destinationsOf(table)!;
      const live = liveDestination(state);
      if (!live || !isDelivering(live.status)) continue;
      // A deleted Kinesis stream leaves the destination ACTIVE on DynamoDB; its changes go nowhere.
      const stream = this.streams.get(live.streamArn);
      if (stream) stream.append(change, state.partitionKeyName, live.precision ?? 'MILLISECOND', now);
    }
    if (stale) this.prune();
  }

  /** Forgets delivering tables that were deleted (their state went with them). */
  private prune(): void {
    for (const table of this.delivering) if (this.context.getTable(table.name) !== table) this.delivering.delete(table);
    this.updateSubscription();
  }
}
