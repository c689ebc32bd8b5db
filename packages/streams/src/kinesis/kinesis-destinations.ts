import { ResourceInUseException, ResourceNotFoundException, ValidationException, type ModuleContext, type OperationEffect } from '@magneto/core';
import { describeKinesisStreamingDestination } from './describe-kinesis-streaming-destination.js';
import { DestinationsRuntime } from './destinations-runtime.js';
import { disableKinesisStreamingDestination } from './disable-kinesis-streaming-destination.js';
import { enableKinesisStreamingDestination } from './enable-kinesis-streaming-destination.js';
import { StreamConsumer, type KinesisConsumer, type KinesisStartingPosition } from './kinesis-consumer.js';
import { KinesisStream } from './kinesis-stream.js';
import { kinesisStreamArn, parseArn } from './stream-arn.js';
import { updateKinesisStreamingDestination } from './update-kinesis-streaming-destination.js';

/** Options of {@link installKinesisDestinations}. */
export interface KinesisDestinationsOptions {
  /** How long streams keep records, in ms of the database clock (each stream may set its own). Default 1 year. */
  retentionMs?: number;
}

/** Options of {@link KinesisDestinations.createStream}. */
export interface CreateKinesisStreamOptions {
  /** How long this stream keeps records, in ms of the database clock. Default: the module's `retentionMs`. */
  retentionMs?: number;
  /** How many shards split the hash key space. Default 1. */
  shardCount?: number;
}

/** Options of {@link KinesisDestinations.consumer}. */
export interface KinesisConsumerOptions {
  /** Where a consumer of a new name starts. Default `TRIM_HORIZON`. Ignored when the name resumes. */
  startingPosition?: KinesisStartingPosition;
}

/** DescribeStream's view of an in-process stream. */
export interface KinesisStreamDescription {
  StreamName: string;
  StreamARN: string;
  StreamStatus: 'ACTIVE';
  RetentionPeriodHours: number;
  StreamCreationTimestamp: Date;
  Shards: { ShardId: string; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } }[];
}

/**
 * The in-process Kinesis data streams a database's tables can stream their changes to, and their consumers.
 *
 * @example
 * let kinesis!: KinesisDestinations;
 * const db = new Database({ modules: [{ name: 'kinesis', install(ctx) { kinesis = installKinesisDestinations(ctx, {}); } }] });
 * const StreamArn = kinesis.createStream('orders-changes');
 * await client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
 * const consumer = kinesis.consumer(StreamArn, 'analytics');
 * const records = consumer.read();
 */
export interface KinesisDestinations {
  /** Creates a stream; returns its ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`). */
  createStream(name: string, options?: CreateKinesisStreamOptions): string;
  /** Deletes a stream with its records and consumers' positions. Destinations on it stay ACTIVE and write nothing, as on AWS. */
  deleteStream(streamArn: string): void;
  describeStream(streamArn: string): KinesisStreamDescription;
  /** A named consumer with its own position; a name that was used before resumes where it stopped. */
  consumer(streamArn: string, consumerName: string, options?: KinesisConsumerOptions): KinesisConsumer;
}

/** Each installed KinesisDestinations' runtime, for durable storage (see destinations-persistence.ts). */
const runtimes = new WeakMap<KinesisDestinations, DestinationsRuntime>();

/** The runtime behind `destinations` (internal to this package). */
export function runtimeOf(destinations: KinesisDestinations): DestinationsRuntime {
  return runtimes.get(destinations)!;
}

const DEFAULT_RETENTION_MS = 365 * 24 * 60 * 60 * 1000;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * Installs the Kinesis destination operations (EnableKinesisStreamingDestination,
 * DisableKinesisStreamingDestination, DescribeKinesisStreamingDestination,
 * UpdateKinesisStreamingDestination) into a database and returns its stream store. Until a destination
 * is ACTIVE the module does not listen to the change feed, so it costs writes nothing.
 *
 * @example
 * const module: DatabaseModule = { name: 'kinesis', install(ctx) { destinations = installKinesisDestinations(ctx, { retentionMs: 7 * 86_400_000 }); } };
 */
export function installKinesisDestinations(context: ModuleContext, options: KinesisDestinationsOptions): KinesisDestinations {
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  assertPositive('retentionMs', retentionMs);
  const runtime = new DestinationsRuntime(context);
  const register = <I extends object>(name: string, effect: OperationEffect, run: (runtime: DestinationsRuntime, input: I) => unknown): void => {
    context.registerOperation({ service: 'DynamoDB_20120810', name, effect, handler: (input: I) => run(runtime, input) });
  };
  register('EnableKinesisStreamingDestination', 'catalog', enableKinesisStreamingDestination);
  register('DisableKinesisStreamingDestination', 'catalog', disableKinesisStreamingDestination);
  register('DescribeKinesisStreamingDestination', 'read', describeKinesisStreamingDestination);
  register('UpdateKinesisStreamingDestination', 'catalog', updateKinesisStreamingDestination);

  const { region, accountId, clock } = context;
  const newEventId = (): string => globalThis.crypto.randomUUID();
  const streamOf = (streamArn: string): KinesisStream => {
    const stream = runtime.streams.get(streamArn);
    if (!stream) {
      const name = parseArn(streamArn)?.resource.replace(/^stream\//, '') ?? streamArn;
      throw new ResourceNotFoundException(`Stream ${name} under account ${accountId} not found.`);
    }
    return stream;
  };

  const destinations: KinesisDestinations = {
    createStream(name, streamOptions = {}) {
      if (typeof name !== 'string' || !STREAM_NAME.test(name)) {
        throw new ValidationException(
          `1 validation error detected: Value '${String(name)}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length 1 to 128`,
        );
      }
      const arn = kinesisStreamArn(region, accountId, name);
      if (runtime.streams.has(arn)) throw new ResourceInUseException(`Stream ${name} under account ${accountId} already exists.`);
      const streamRetention = streamOptions.retentionMs ?? retentionMs;
      const shardCount = streamOptions.shardCount ?? 1;
      assertPositive('retentionMs', streamRetention);
      if (!Number.isInteger(shardCount) || shardCount < 1) throw new RangeError(`shardCount must be a positive integer, got ${shardCount}`);
      runtime.streams.set(arn, new KinesisStream(name, arn, streamRetention, shardCount, clock.now(), region, newEventId));
      return arn;
    },

    deleteStream(streamArn) {
      const stream = streamOf(streamArn);
      stream.deleted = true;
      stream.wakers.clear();
      runtime.streams.delete(streamArn);
    },

    describeStream(streamArn) {
      const stream = streamOf(streamArn);
      return {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: 'ACTIVE',
        RetentionPeriodHours: stream.retentionMs / 3_600_000,
        StreamCreationTimestamp: new Date(stream.createdAt),
        Shards: stream.shards(),
      };
    },

    consumer(streamArn, consumerName, consumerOptions = {}) {
      const stream = streamOf(streamArn);
      let checkpoint = stream.checkpoints.get(consumerName);
      if (checkpoint?.open) throw new ResourceInUseException(`Consumer ${consumerName} of stream ${stream.name} is already open.`);
      if (!checkpoint) {
        checkpoint = { nextOrdinal: startOrdinal(stream, consumerOptions.startingPosition ?? 'TRIM_HORIZON', clock.now()), open: true };
        stream.checkpoints.set(consumerName, checkpoint);
      }
      checkpoint.open = true;
      return new StreamConsumer(stream, consumerName, checkpoint, clock, () => context.whenDurable());
    },
  };
  runtimes.set(destinations, runtime);
  return destinations;
}

function startOrdinal(stream: KinesisStream, position: KinesisStartingPosition, now: number): number {
  if (position === 'TRIM_HORIZON') return stream.startOrdinal(now);
  if (position === 'LATEST') return stream.endOrdinal;
  return stream.ordinalAtTimestamp(position.atTimestamp.getTime(), now);
}

function assertPositive(name: string, value: number): void {
  if (!(typeof value === 'number' && value > 0)) throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`);
}
