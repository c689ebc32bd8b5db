import type { LambdaStreamRecord } from './lambda-record.js';

/** A record read from a shard and waiting for its handler. */
export interface PendingRecord {
  readonly record: LambdaStreamRecord;
  /** ApproximateCreationDateTime in milliseconds: the record's age counts from it. */
  readonly createdMs: number;
  /** When the trigger read it (database clock): the batching window counts from it. */
  readonly readMs: number;
}

/**
 * One ordered line of work within a shard. With a parallelization factor of N a shard has N lanes and each
 * partition key always maps to the same lane, so records of one key stay in order while lanes run concurrently.
 * The head of `queue` is the lane's checkpoint: everything before it has been handled.
 */
export class Lane {
  private queue: PendingRecord[] = [];
  private head = 0;
  /** Sizes of the next batches when a failure narrowed them (a bisected batch's halves, a retry's records). */
  plan: number[] = [];
  /** Retries used by the batch at the head. */
  retries = 0;
  /** Invocations that included the head record (approximateInvokeCount). */
  invocations = 0;
  /** Whether the handler threw on the last failed invocation (as opposed to reporting batchItemFailures). */
  lastThrew = false;
  /** A handler invocation is running. */
  busy = false;
  /** A batching-window or retry timer is waiting, and its cancel function. */
  timer: { kind: 'window' | 'retry'; cancel: () => void } | undefined;

  get length(): number {
    return this.queue.length - this.head;
  }

  push(record: PendingRecord): void {
    this.queue.push(record);
  }

  at(index: number): PendingRecord | undefined {
    return this.queue[this.head + index];
  }

  /** The first `count` records, oldest first. */
  take(count: number): PendingRecord[] {
    return this.queue.slice(this.head, this.head + count);
  }

  /** Checkpoints past the first `count` records. */
  drop(count: number): void {
    this.head += count;
    // Compact now and then so a long-running lane does not keep every record it ever handled.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
