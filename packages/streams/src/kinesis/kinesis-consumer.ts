import type { Clock } from '@magneto/core';
import type { KinesisRecord } from './kinesis-record.js';
import type { ConsumerCheckpoint, KinesisStream } from './kinesis-stream.js';

/** Where a new consumer starts: the oldest retained record, the next record written, or the first record that arrived at or after a time. */
export type KinesisStartingPosition = 'TRIM_HORIZON' | 'LATEST' | { readonly atTimestamp: Date };

/** Receives a batch of records, in stream order; the consumer moves past them once it returns (or its promise resolves). */
export type KinesisRecordHandler = (records: readonly KinesisRecord[]) => void | Promise<void>;

/** Options of {@link KinesisConsumer.subscribe}. */
export interface KinesisSubscribeOptions {
  /** The most records per handler call. Default 100 (Lambda's default batch size for Kinesis). */
  batchSize?: number;
  /**
   * Called when the handler throws or rejects. The batch is not consumed: it is delivered again when the
   * next record arrives (or on the next `subscribe`).
   */
  onError?: (error: unknown, records: readonly KinesisRecord[]) => void;
}

/**
 * A named reader of one Kinesis stream with its own position. Consumers of one stream are independent;
 * a consumer re-created under the same name resumes where the last one stopped.
 *
 * @example
 * const consumer = destinations.consumer(streamArn, 'indexer', { startingPosition: 'TRIM_HORIZON' });
 * const batch = consumer.read(100);                    // pull, and advance
 * const stop = consumer.subscribe(async (records) => { // or push, in order, never blocking writers
 *   for (const record of records) await index(parseKinesisRecordData(record));
 * });
 * await consumer.idle();                               // everything delivered so far has been handled
 * consumer.close();
 */
export interface KinesisConsumer {
  readonly name: string;
  readonly streamArn: string;
  /** The SequenceNumber of the last record this consumer has moved past (undefined before the stream's first record). */
  readonly position: string | undefined;
  /**
   * The next records (at most `limit`, default 10,000 as Kinesis's GetRecords), moving the position past them.
   * Synchronous, so under strict storage it may return a record whose write still awaits its fsync (a crash
   * could lose it); `subscribe` delivers only durable records.
   */
  read(limit?: number): KinesisRecord[];
  /** Delivers records to `handler` asynchronously as they arrive (the backlog first); returns a function that stops it. One subscription per consumer. */
  subscribe(handler: KinesisRecordHandler, options?: KinesisSubscribeOptions): () => void;
  /** Resolves once push delivery has caught up (or stopped on a handler error). */
  idle(): Promise<void>;
  /** Stops delivery and releases the name; the position is kept for the next consumer of that name. */
  close(): void;
}

interface Subscription {
  readonly handler: KinesisRecordHandler;
  readonly batchSize: number;
  readonly onError: ((error: unknown, records: readonly KinesisRecord[]) => void) | undefined;
}

/** A consumer handle over its stream's checkpoint for its name. */
export class StreamConsumer implements KinesisConsumer {
  private subscription: Subscription | undefined;
  private pumping = false;
  private waiters: Array<() => void> = [];
  private closed = false;
  private readonly wake = (): void => this.schedule();

  constructor(
    private readonly stream: KinesisStream,
    readonly name: string,
    private readonly checkpoint: ConsumerCheckpoint,
    private readonly clock: Clock,
    /** ModuleContext.whenDurable: push delivery waits for it, so a handler never sees a change a crash could lose. */
    private readonly whenDurable: () => Promise<void> | undefined,
  ) {}

  get streamArn(): string {
    return this.stream.arn;
  }

  get position(): string | undefined {
    const next = this.checkpoint.nextOrdinal;
    return next === 0 ? undefined : this.stream.sequenceNumber(next - 1);
  }

  read(limit = 10_000): KinesisRecord[] {
    this.assertOpen();
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`read: limit must be a positive integer, got ${limit}`);
    const start = this.stream.startOrdinal(this.clock.now());
    // Records trimmed before this consumer read them are gone: it continues at the oldest retained one.
    if (this.checkpoint.nextOrdinal < start) this.checkpoint.nextOrdinal = start;
    const records = this.stream.slice(this.checkpoint.nextOrdinal, limit);
    this.checkpoint.nextOrdinal += records.length;
    return records;
  }

  subscribe(handler: KinesisRecordHandler, options: KinesisSubscribeOptions = {}): () => void {
    this.assertOpen();
    if (this.subscription) throw new Error(`Consumer ${this.name} of ${this.stream.arn} already has a subscription`);
    const batchSize = options.batchSize ?? 100;
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`subscribe: batchSize must be a positive integer, got ${batchSize}`);
    const subscription: Subscription = { handler, batchSize, onError: options.onError };
    this.subscription = subscription;
    this.stream.wakers.add(this.wake);
    this.schedule();
    return () => {
      if (this.subscription !== subscription) return;
      this.subscription = undefined;
      this.stream.wakers.delete(this.wake);
    };
  }

  idle(): Promise<void> {
    if (!this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.subscription = undefined;
    this.stream.wakers.delete(this.wake);
    this.checkpoint.open = false;
  }

  /** Starts the delivery loop on a microtask, so the write that appended a record returns first. */
  private schedule(): void {
    if (this.pumping || !this.subscription) return;
    this.pumping = true;
    queueMicrotask(() => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const subscription = this.subscription;
        if (!subscription || this.closed || this.stream.deleted) break;
        const from = this.checkpoint.nextOrdinal;
        const records = this.read(subscription.batchSize);
        if (records.length === 0) break;
        try {
          // Under strict storage the records' writes may still await their fsync: deliver them once it is done.
          const durable = this.whenDurable();
          if (durable !== undefined) await durable;
          await subscription.handler(records);
        } catch (error) {
          // Not consumed: rewind (unless a read moved on meanwhile) and wait for the next record to retry.
          if (this.checkpoint.nextOrdinal === from + records.length) this.checkpoint.nextOrdinal = from;
          subscription.onError?.(error, records);
          break;
        }
      }
    } finally {
      this.pumping = false;
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`Consumer ${this.name} of ${this.stream.arn} is closed`);
    if (this.stream.deleted) throw new Error(`Stream ${this.stream.name} was deleted`);
  }
}
