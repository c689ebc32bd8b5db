import type { ModuleContext } from '@magneto/core';
import { defer } from './defer.js';
import { InvalidParameterValueException } from './errors.js';
import { failureRecord, type TriggerFailureCondition } from './failure-record.js';
import { Lane, type PendingRecord } from './lane.js';
import { toLambdaRecord, type DynamoDBStreamEvent, type StreamsApiRecord } from './lambda-record.js';
import type { ResolvedTriggerOptions } from './options.js';
import { formatSequenceNumber, parseSequenceNumber } from '../sequence-number.js';

const DYNAMODB = 'DynamoDB_20120810';
const STREAMS = 'DynamoDBStreams_20120810';
/** DynamoDB Streams keeps records 24 hours: with maximumRecordAgeSeconds -1 a record is retried until then. */
const RETENTION_MS = 24 * 60 * 60 * 1000;
/** GetRecords' own maximum. */
const READ_LIMIT = 1000;
/**
 * GetRecords also stops before 1 MB. A record is at most two 400 KB images plus its key (~800 KB), so an
 * answer of fewer than READ_LIMIT records totalling less than this stopped at the shard's end, not at 1 MB:
 * the reader is caught up without asking again (one GetRecords per shard per wake, not two).
 */
const CAUGHT_UP_BYTES = 200 * 1024;
/** Retries back off on the database clock: 100 ms, 200 ms, … up to a minute (no busy loop on a poison record). */
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 60_000;

/** What a handler may return: ReportBatchItemFailures' response (`itemIdentifier` is a SequenceNumber). */
export interface TriggerResponse {
  batchItemFailures?: { itemIdentifier?: string | null | undefined }[] | null | undefined;
}

/** A trigger's function: receives Lambda's DynamoDB-stream event; throwing (or rejecting) fails the batch. */
export type TriggerHandler = (
  event: DynamoDBStreamEvent,
) => void | TriggerResponse | null | undefined | Promise<void | TriggerResponse | null | undefined>;

/** Counters a trigger keeps. */
export interface TriggerStats {
  /** Records handled successfully. */
  delivered: number;
  /** Records discarded after their retries or age ran out (each went to onFailure, when set). */
  failed: number;
  /** Records dropped because they matched no filter. */
  filtered: number;
  /** Handler invocations, retries included. */
  invocations: number;
  /** Invocations that retried a failed batch (bisection does not count, as on Lambda). */
  retries: number;
  /** The last error a handler threw, or that reading the stream raised. */
  lastError: unknown;
}

/**
 * A running in-process trigger: a Lambda event-source mapping on one table's stream.
 *
 * @example
 * const events = streams();
 * const db = new Database({ modules: [events] });
 * await db.createTable({
 *   TableName: 'users',
 *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
 *   BillingMode: 'PAY_PER_REQUEST',
 *   StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
 * });
 * const trigger = events.onChange('users', async (event) => { for (const r of event.Records) send(r); });
 * await db.putItem({ TableName: 'users', Item: { id: { S: 'u1' } } });
 * await trigger.drained(); // the record has been handled
 * trigger.stop();
 */
export interface Trigger {
  readonly tableName: string;
  /** The stream the trigger reads (records' `eventSourceARN`). */
  readonly streamArn: string;
  /** A snapshot of the trigger's counters. */
  readonly stats: Readonly<TriggerStats>;
  readonly stopped: boolean;
  /** Stops reading and invoking; an invocation already running finishes unobserved. */
  stop(): void;
  /**
   * Resolves when the trigger has nothing left to do: every record appended so far has been delivered,
   * filtered out or discarded. Retries and batching windows wait on the database clock: with a ManualClock,
   * let the trigger read first (it reads in a later macrotask than the write, e.g. `await new Promise((r) =>
   * setTimeout(r, 0))`), then `advance` the clock. Under a never-ending stream of writes it may never resolve.
   * On the real clock a waiting window or retry keeps a Node process alive, so a script may end with it.
   */
  drained(): Promise<void>;
  /** Same as `drained()`. */
  idle(): Promise<void>;
}

interface ShardDescription {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange?: { StartingSequenceNumber?: string; EndingSequenceNumber?: string };
}

/** Records read from a shard whose writes were not yet durable when read (strict storage). */
interface HeldRead {
  readonly records: readonly StreamsApiRecord[];
  readonly readMs: number;
}

/** A trigger's position in one shard. */
class ShardReader {
  iterator: string | undefined;
  /** The last record read: a fresh iterator resumes after it. */
  lastSequenceNumber: string | undefined;
  /** Started at LATEST and nothing read yet: on an expired iterator, skip records older than this. */
  latestSinceMs: number | undefined;
  skipBeforeMs: number | undefined;
  started = false;
  /** No NextShardIterator: the shard is closed and fully read. */
  ended = false;
  /**
   * Everything appended to the shard so far has been read. A wake naming the shard clears it; a read
   * stopped by GetRecords' limits, or the trigger's own buffer limit, leaves it false (backlog).
   */
  caughtUp = false;
  /** Ended and every lane is empty: the shard's children may start. */
  done = false;
  readonly lanes: Lane[];
  /** Read, in order, and waiting for their writes to be durable before they enter the lanes. */
  held: HeldRead[] = [];

  constructor(
    readonly shardId: string,
    readonly parentShardId: string | undefined,
    lanes: number,
  ) {
    this.lanes = Array.from({ length: lanes }, () => new Lane());
  }

  get buffered(): number {
    let total = 0;
    for (const held of this.held) total += held.records.length;
    for (const lane of this.lanes) total += lane.length;
    return total;
  }

  /** Nothing read waits for durability or its handler. */
  get lanesIdle(): boolean {
    return this.held.length === 0 && this.lanes.every((lane) => lane.length === 0 && !lane.busy && lane.timer === undefined);
  }
}

/** One trigger: reads the stream through the DynamoDB Streams API as Lambda's poller does and invokes the handler. */
export class TableTrigger implements Trigger {
  readonly streamArn: string;
  private readonly hashKey: string | undefined;
  private readonly functionArn: string;
  private readonly shards = new Map<string, ShardReader>();
  private readonly counters: TriggerStats = { delivered: 0, failed: 0, filtered: 0, invocations: 0, retries: 0, lastError: undefined };
  private scheduled = false;
  /** A wake named a shard this trigger does not know (a split opened it): list the stream's shards again. */
  private rediscover = false;
  private isStopped = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly context: ModuleContext,
    readonly tableName: string,
    private readonly handler: TriggerHandler,
    private readonly options: ResolvedTriggerOptions,
    private readonly onStop: () => void,
  ) {
    const table = (context.execute(DYNAMODB, 'DescribeTable', { TableName: tableName }) as { Table?: Record<string, unknown> }).Table ?? {};
    const streamArn = table.LatestStreamArn;
    if (typeof streamArn !== 'string') {
      throw new InvalidParameterValueException(
        `Table ${tableName} has no stream: enable one (StreamSpecification: { StreamEnabled: true, StreamViewType }) before onChange`,
      );
    }
    this.streamArn = streamArn;
    const keySchema = (table.KeySchema ?? []) as { AttributeName: string; KeyType: string }[];
    this.hashKey = keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const name = handler.name && /^[A-Za-z0-9_-]{1,64}$/.test(handler.name) ? handler.name : `${tableName}-trigger`;
    this.functionArn = `arn:aws:lambda:${context.region}:${context.accountId}:function:${name}`.slice(0, 140);
    const now = context.clock.now();
    // The starting position is fixed now, synchronously, so LATEST means "after onChange returned".
    for (const shard of this.describeShards()) {
      const reader = this.addShard(shard);
      if (options.startingPosition !== 'LATEST') continue;
      if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) {
        reader.done = true; // a closed shard holds only records from before LATEST
      } else {
        reader.iterator = this.shardIterator(reader.shardId, 'LATEST');
        reader.started = true;
        reader.caughtUp = true;
        reader.latestSinceMs = now;
      }
    }
    if (options.startingPosition === 'TRIM_HORIZON') this.schedule();
  }

  get stats(): Readonly<TriggerStats> {
    return { ...this.counters };
  }

  get stopped(): boolean {
    return this.isStopped;
  }

  stop(): void {
    if (this.isStopped) return;
    this.isStopped = true;
    for (const reader of this.shards.values()) for (const lane of reader.lanes) lane.cancelTimer();
    this.onStop();
    this.notifyIdle();
  }

  drained(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  idle(): Promise<void> {
    return this.drained();
  }

  /**
   * After `db.rollback()`: the stream is back as it was at the savepoint, and the records undone are gone
   * (their sequence numbers will be drawn again). Each shard's position moves back to the last record the
   * shard still holds if it was past it, so the records written after the rollback are all delivered;
   * records read before the rollback are still handed to the handler. `lastRecordOf` gives a shard's last
   * record's sequence number (null: none) and whether it is open, or undefined when it no longer exists.
   */
  rewind(lastRecordOf: (shardId: string) => { readonly last: number | null; readonly open: boolean } | undefined): void {
    if (this.isStopped) return;
    for (const [shardId, reader] of this.shards) {
      const shard = lastRecordOf(shardId);
      if (shard === undefined) {
        // Opened since the savepoint: the shard is gone (whatever it held was undone).
        if (reader.lanesIdle) this.shards.delete(shardId);
        continue;
      }
      const position = reader.lastSequenceNumber === undefined ? undefined : parseSequenceNumber(reader.lastSequenceNumber);
      if (position !== undefined && (shard.last === null || position > shard.last)) {
        reader.lastSequenceNumber = shard.last === null ? undefined : formatSequenceNumber(shard.last);
      }
      reader.iterator = undefined;
      reader.caughtUp = false;
      if (shard.open) {
        reader.ended = false;
        reader.done = false;
      }
    }
    this.rediscover = true;
    this.schedule();
  }

  /**
   * Called when records land in shards of this table's stream: reads those shards soon, never inside the
   * writer's call. Other shards are not read on this wake (they have nothing new).
   */
  wake(streamArn: string, shardIds: readonly string[]): void {
    if (this.isStopped || streamArn !== this.streamArn) return;
    for (let i = 0; i < shardIds.length; i++) {
      const reader = this.shards.get(shardIds[i]!);
      if (reader === undefined) this.rediscover = true;
      else reader.caughtUp = false;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.isStopped) return;
    this.scheduled = true;
    defer(() => this.pump());
  }

  /**
   * Reads the shards that have something new and may be read (parents first), hands records to lanes and
   * starts batches; shards finished with (closed, read and handled) let their children start.
   */
  private pump(): void {
    this.scheduled = false;
    if (this.isStopped) return;
    try {
      if (this.rediscover) {
        this.rediscover = false;
        this.discoverShards();
      }
      const readLimit = this.readLimit;
      for (let progress = true; progress; ) {
        progress = false;
        for (const reader of this.shards.values()) {
          if (reader.done) continue;
          if (!reader.started) {
            const parent = reader.parentShardId === undefined ? undefined : this.shards.get(reader.parentShardId);
            if (parent !== undefined && !parent.done) continue;
            reader.started = true;
          }
          if (!reader.ended && !reader.caughtUp && reader.buffered < readLimit) this.read(reader);
          for (const lane of reader.lanes) if (lane.length > 0) this.runLane(reader, lane);
          if (reader.ended && reader.lanesIdle) {
            reader.done = true;
            progress = true;
          }
        }
        // A finished shard may have children we have not seen yet.
        if (progress) this.discoverShards();
      }
    } catch (error) {
      this.counters.lastError = error;
    }
    this.notifyIdle();
  }

  /**
   * Adds the stream's shards this trigger does not know yet, and has the known shards that closed since
   * (a split) read to their end: no wake names a closed shard, yet its children wait for it.
   */
  private discoverShards(): void {
    for (const shard of this.describeShards()) {
      const known = this.shards.get(shard.ShardId);
      if (known === undefined) this.addShard(shard);
      else if (!known.ended && shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) known.caughtUp = false;
    }
  }

  private describeShards(): ShardDescription[] {
    const shards: ShardDescription[] = [];
    let start: string | undefined;
    do {
      const out = this.context.execute(STREAMS, 'DescribeStream', {
        StreamArn: this.streamArn,
        ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
      }) as { StreamDescription?: { Shards?: ShardDescription[]; LastEvaluatedShardId?: string } };
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return shards;
  }

  private addShard(shard: ShardDescription): ShardReader {
    const reader = new ShardReader(shard.ShardId, shard.ParentShardId, this.options.parallelizationFactor);
    this.shards.set(shard.ShardId, reader);
    return reader;
  }

  private shardIterator(shardId: string, type: string, sequenceNumber?: string): string {
    const out = this.context.execute(STREAMS, 'GetShardIterator', {
      StreamArn: this.streamArn,
      ShardId: shardId,
      ShardIteratorType: type,
      ...(sequenceNumber === undefined ? {} : { SequenceNumber: sequenceNumber }),
    }) as { ShardIterator?: string };
    if (out.ShardIterator === undefined) throw new Error(`GetShardIterator returned no iterator for ${shardId}`);
    return out.ShardIterator;
  }

  /** A new iterator at the reader's position (its iterator expired, or it has none yet). */
  private reposition(reader: ShardReader): string {
    if (reader.lastSequenceNumber !== undefined) {
      try {
        return this.shardIterator(reader.shardId, 'AFTER_SEQUENCE_NUMBER', reader.lastSequenceNumber);
      } catch (error) {
        if (nameOf(error) !== 'TrimmedDataAccessException') throw error;
      }
    } else if (reader.latestSinceMs !== undefined) {
      // LATEST with nothing read yet holds no sequence number: re-read the shard and skip what predates the
      // trigger (to the second: a record of that second may come twice, never not at all).
      reader.skipBeforeMs = Math.floor(reader.latestSinceMs / 1000) * 1000;
    }
    return this.shardIterator(reader.shardId, 'TRIM_HORIZON');
  }

  private getRecords(reader: ShardReader): { Records?: StreamsApiRecord[]; NextShardIterator?: string } {
    reader.iterator ??= this.reposition(reader);
    for (let attempt = 0; ; attempt++) {
      try {
        return this.context.execute(STREAMS, 'GetRecords', { ShardIterator: reader.iterator, Limit: READ_LIMIT }) as {
          Records?: StreamsApiRecord[];
          NextShardIterator?: string;
        };
      } catch (error) {
        const name = nameOf(error);
        if (attempt > 0 || (name !== 'ExpiredIteratorException' && name !== 'TrimmedDataAccessException')) throw error;
        // Past retention: carry on from the oldest record still there, as Lambda does.
        if (name === 'TrimmedDataAccessException') reader.lastSequenceNumber = undefined;
        reader.iterator = name === 'ExpiredIteratorException' ? this.reposition(reader) : this.shardIterator(reader.shardId, 'TRIM_HORIZON');
      }
    }
  }

  /** How many records a shard may hold read but unhandled: reading stops there until handlers catch up. */
  private get readLimit(): number {
    return this.options.batchSize * this.options.parallelizationFactor + READ_LIMIT;
  }

  /** Reads the shard until caught up (or enough is buffered). */
  private read(reader: ShardReader): void {
    const limit = this.readLimit;
    while (!reader.ended && reader.buffered < limit) {
      const out = this.getRecords(reader);
      const records = out.Records ?? [];
      let bytes = 0;
      for (const record of records) {
        reader.lastSequenceNumber = record.dynamodb.SequenceNumber;
        bytes += record.dynamodb.SizeBytes;
      }
      this.admit(reader, records);
      if (out.NextShardIterator === undefined) {
        reader.iterator = undefined;
        reader.ended = true;
      } else {
        reader.iterator = out.NextShardIterator;
      }
      if (records.length > 0) reader.latestSinceMs = undefined; // from now on the position is lastSequenceNumber
      reader.caughtUp = records.length < READ_LIMIT && bytes < CAUGHT_UP_BYTES;
      if (reader.caughtUp) break;
    }
  }

  /**
   * Hands records just read to the lanes once the writes that made them are durable: under strict
   * storage a handler never sees a change that a crash could still lose (DynamoDB shows no write
   * before it is durable). Records read while nothing is pending go straight in, in read order.
   */
  private admit(reader: ShardReader, records: readonly StreamsApiRecord[]): void {
    if (records.length === 0) return;
    const now = this.context.clock.now();
    const durable = this.context.whenDurable();
    if (durable === undefined && reader.held.length === 0) {
      for (const record of records) this.enqueue(reader, record, now);
      return;
    }
    const held: HeldRead = { records, readMs: now };
    reader.held.push(held);
    if (durable === undefined) return this.release(reader, held);
    durable.then(
      () => {
        if (this.isStopped) return;
        this.release(reader, held);
        this.schedule();
      },
      (error: unknown) => {
        // The store failed: these writes were never acknowledged, so they are never delivered; dropping
        // them (and what was read before them) lets drained() settle instead of waiting forever.
        this.counters.lastError = error;
        const last = reader.held.indexOf(held);
        if (last >= 0) reader.held.splice(0, last + 1);
        this.notifyIdle();
      },
    );
  }

  /** `held` is durable, and so is everything read before it: moves them all to the lanes, in order (once). */
  private release(reader: ShardReader, held: HeldRead): void {
    const last = reader.held.indexOf(held);
    for (const read of reader.held.splice(0, last + 1)) for (const record of read.records) this.enqueue(reader, record, read.readMs);
  }

  private enqueue(reader: ShardReader, raw: StreamsApiRecord, now: number): void {
    const created = raw.dynamodb.ApproximateCreationDateTime;
    const createdMs = created instanceof Date ? created.getTime() : created * 1000;
    if (reader.skipBeforeMs !== undefined) {
      if (createdMs < reader.skipBeforeMs) return;
      reader.skipBeforeMs = undefined; // records come in time order: the rest are all newer
    }
    const record = toLambdaRecord(raw, this.streamArn);
    if (this.options.filters !== undefined && !this.options.filters(record)) {
      this.counters.filtered++;
      return;
    }
    const lane = reader.lanes.length === 1 ? reader.lanes[0] : reader.lanes[this.laneOf(record.dynamodb.Keys)];
    lane?.push({ record, createdMs, readMs: now });
  }

  // The partition key picks the lane, so one key's records stay in order under parallelization.
  private laneOf(keys: Record<string, unknown>): number {
    const value = this.hashKey === undefined ? keys : keys[this.hashKey];
    const text = JSON.stringify(value) ?? '';
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % this.options.parallelizationFactor;
  }

  /** Starts the lane's next batch if it may run now; otherwise leaves a timer or waits for the running one. */
  private runLane(reader: ShardReader, lane: Lane): void {
    if (this.isStopped || lane.busy) return;
    const { batchSize, maximumBatchingWindowMs } = this.options;
    if (lane.timer !== undefined) {
      // A full batch need not wait out the window; a retry always waits its backoff.
      if (lane.timer.kind === 'retry' || lane.length < batchSize) return;
      lane.cancelTimer();
    }
    this.expire(reader, lane);
    if (lane.length === 0) return;
    const now = this.context.clock.now();
    let size = lane.plan[0];
    if (size === undefined) {
      size = Math.min(batchSize, lane.length);
      const first = lane.at(0) as PendingRecord;
      const wait = first.readMs + maximumBatchingWindowMs - now;
      if (size < batchSize && wait > 0) {
        lane.timer = { kind: 'window', cancel: this.setTimer(wait, reader, lane) };
        return;
      }
    }
    this.invoke(reader, lane, Math.min(size, lane.length));
  }

  /**
   * A lane's batching-window or retry timer. It keeps a Node process alive (`keepAlive`) while it waits, so a
   * script's `await trigger.drained()` returns rather than the process exiting with the work undone; an idle
   * trigger holds no timer, and `stop()` cancels them, so neither keeps a process open.
   */
  private setTimer(delayMs: number, reader: ShardReader, lane: Lane): () => void {
    return this.context.clock.setTimer(delayMs, () => this.timerFired(reader, lane), { keepAlive: true });
  }

  private timerFired(reader: ShardReader, lane: Lane): void {
    lane.timer = undefined;
    this.runLane(reader, lane);
    this.notifyIdle();
  }

  /** Discards the head records older than maximumRecordAgeSeconds (or the stream's retention). */
  private expire(reader: ShardReader, lane: Lane): void {
    const maxAgeMs = this.options.maximumRecordAgeSeconds === -1 ? RETENTION_MS : this.options.maximumRecordAgeSeconds * 1000;
    const now = this.context.clock.now();
    let count = 0;
    while (count < lane.length && now - (lane.at(count) as PendingRecord).createdMs > maxAgeMs) count++;
    if (count === 0) return;
    const expired = lane.take(count);
    const invocations = lane.invocations;
    lane.drop(count);
    lane.plan = [];
    lane.retries = 0;
    lane.invocations = 0;
    this.discard(reader, expired, 'RecordAgeExceeded', invocations, invocations > 0 && lane.lastThrew);
  }

  private invoke(reader: ShardReader, lane: Lane, size: number): void {
    const batch = lane.take(size);
    lane.busy = true;
    lane.invocations++;
    this.counters.invocations++;
    const event: DynamoDBStreamEvent = { Records: batch.map((p) => p.record) };
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(this.handler(event));
    } catch (error) {
      result = Promise.reject(error);
    }
    result
      .then(
        (response) => this.settle(reader, lane, batch, response, false, undefined),
        (error: unknown) => this.settle(reader, lane, batch, undefined, true, error),
      )
      .catch((error: unknown) => {
        this.counters.lastError = error;
      });
  }

  private settle(reader: ShardReader, lane: Lane, batch: PendingRecord[], response: unknown, threw: boolean, error: unknown): void {
    if (this.isStopped) return;
    lane.busy = false;
    const failedAt = threw ? 0 : firstReportedFailure(batch, response);
    if (threw) this.counters.lastError = error;
    if (failedAt === -1) {
      lane.drop(batch.length);
      lane.plan.shift();
      lane.retries = 0;
      lane.invocations = 0;
      this.counters.delivered += batch.length;
    } else {
      if (failedAt > 0) {
        // ReportBatchItemFailures: checkpoint before the first failed record; the retry starts there.
        lane.drop(failedAt);
        this.counters.delivered += failedAt;
      }
      this.fail(reader, lane, batch.slice(failedAt), threw);
    }
    this.runLane(reader, lane);
    // A shard that has more to read, or has ended, needs the pump (to read on, or to start its children).
    if (!reader.caughtUp || reader.ended) this.schedule();
    this.notifyIdle();
  }

  private fail(reader: ShardReader, lane: Lane, failed: PendingRecord[], threw: boolean): void {
    lane.lastThrew = threw;
    const { bisectBatchOnFunctionError, retryAttempts } = this.options;
    if (threw && bisectBatchOnFunctionError && failed.length > 1) {
      // Split in two and run the halves in turn; splitting uses up no retry attempts.
      const first = Math.ceil(failed.length / 2);
      lane.plan.splice(0, 1, first, failed.length - first);
      return;
    }
    if (retryAttempts !== -1 && lane.retries >= retryAttempts) {
      const invocations = lane.invocations;
      lane.drop(failed.length);
      lane.plan.shift();
      lane.retries = 0;
      lane.invocations = 0;
      this.discard(reader, failed, 'RetryAttemptsExhausted', invocations, threw);
      return;
    }
    lane.retries++;
    this.counters.retries++;
    lane.plan.splice(0, 1, failed.length);
    const delay = Math.min(RETRY_BASE_MS * 2 ** (lane.retries - 1), RETRY_MAX_MS);
    lane.timer = { kind: 'retry', cancel: this.setTimer(delay, reader, lane) };
  }

  private discard(reader: ShardReader, records: PendingRecord[], condition: TriggerFailureCondition, invocations: number, threw: boolean): void {
    this.counters.failed += records.length;
    const onFailure = this.options.onFailure;
    if (onFailure === undefined) return;
    const lambdaRecords = records.map((p) => p.record);
    const failure = failureRecord({
      records: lambdaRecords,
      condition,
      invokeCount: invocations,
      handlerThrew: threw,
      shardId: reader.shardId,
      streamArn: this.streamArn,
      functionArn: this.functionArn,
      nowMs: this.context.clock.now(),
    });
    try {
      Promise.resolve(onFailure(failure, lambdaRecords)).catch((error: unknown) => {
        this.counters.lastError = error;
      });
    } catch (error) {
      this.counters.lastError = error;
    }
  }

  private isIdle(): boolean {
    if (this.isStopped) return true;
    if (this.scheduled) return false;
    for (const reader of this.shards.values()) {
      if (reader.done) continue;
      if (!reader.started) {
        const parent = reader.parentShardId === undefined ? undefined : this.shards.get(reader.parentShardId);
        if (parent === undefined || parent.done) return false;
        continue;
      }
      if (!(reader.caughtUp || reader.ended) || !reader.lanesIdle) return false;
    }
    return true;
  }

  private notifyIdle(): void {
    if (this.waiters.length === 0 || !this.isIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Reads a ReportBatchItemFailures response: -1 for success (no response, no or an empty list), otherwise the
 * index of the earliest failed record. A malformed entry or an unknown itemIdentifier fails the whole batch.
 */
function firstReportedFailure(batch: readonly PendingRecord[], response: unknown): number {
  if (response === null || typeof response !== 'object') return -1;
  const failures = (response as TriggerResponse).batchItemFailures;
  if (failures === undefined || failures === null) return -1;
  if (!Array.isArray(failures)) return 0;
  if (failures.length === 0) return -1;
  let earliest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return 0;
    const index = batch.findIndex((p) => p.record.dynamodb.SequenceNumber === id);
    if (index === -1) return 0;
    earliest = Math.min(earliest, index);
  }
  return earliest;
}

function nameOf(error: unknown): string | undefined {
  return error !== null && typeof error === 'object' ? (error as { name?: string }).name : undefined;
}
