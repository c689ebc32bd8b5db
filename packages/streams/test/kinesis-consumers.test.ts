/**
 * The in-process Kinesis streams behind destinations: independent named consumers (pull and push),
 * starting positions, resuming, retention on the database clock, disabled destinations, and what the
 * module costs writes when no destination is enabled.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DisableKinesisStreamingDestinationCommand,
  DynamoDBClient,
  EnableKinesisStreamingDestinationCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database, ManualClock } from '@magneto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { installKinesisDestinations, parseKinesisRecordData, type KinesisDestinations, type KinesisRecord } from '../src/kinesis/index.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0, 250);
const HOUR = 3_600_000;

async function setup(retentionMs?: number) {
  const clock = new ManualClock(START);
  let destinations!: KinesisDestinations;
  const db = new Database({
    clock,
    modules: [{ name: 'kinesis-test', install: (ctx) => void (destinations = installKinesisDestinations(ctx, retentionMs === undefined ? {} : { retentionMs })) }],
  });
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db) });
  const createTable = (TableName: string) =>
    client.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  await createTable('orders');
  const StreamArn = destinations.createStream('orders-changes');
  const enable = () => client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
  let version = 0;
  // Each put changes its item (an identical put writes no record, as on DynamoDB).
  const put = (id: string, table = 'orders') =>
    client.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, version: { N: String(++version) } } }));
  return { db, clock, client, destinations, StreamArn, enable, put, createTable };
}

const ids = (records: readonly KinesisRecord[]) => records.map((r) => (parseKinesisRecordData(r).dynamodb.Keys.id as { S: string }).S);

describe('Kinesis stream consumers', () => {
  it('gives two consumers the same records independently, each at its own position', async () => {
    const { destinations, StreamArn, enable, put } = await setup();
    await enable();
    const a = destinations.consumer(StreamArn, 'a');
    const b = destinations.consumer(StreamArn, 'b');
    for (const id of ['1', '2', '3']) await put(id);
    expect(a.position).toBeUndefined();
    const first = a.read(2);
    expect(ids(first)).toEqual(['1', '2']);
    expect(a.position).toBe(first[1]!.SequenceNumber);
    const all = b.read();
    expect(ids(all)).toEqual(['1', '2', '3']);
    // The same records: same sequence numbers, same bytes (same eventIDs).
    expect(all.slice(0, 2)).toEqual(first);
    await put('4');
    expect(ids(a.read())).toEqual(['3', '4']);
    expect(ids(b.read())).toEqual(['4']);
    expect(a.read()).toEqual([]);
  });

  it('starts at TRIM_HORIZON (default), LATEST or a timestamp; a consumer re-created under its name resumes', async () => {
    const { destinations, StreamArn, enable, put, clock } = await setup();
    await enable();
    await put('1');
    await clock.advance(1000);
    await put('2');
    const latest = destinations.consumer(StreamArn, 'latest', { startingPosition: 'LATEST' });
    const at = destinations.consumer(StreamArn, 'at', { startingPosition: { atTimestamp: new Date(START + 1000) } });
    const horizon = destinations.consumer(StreamArn, 'horizon');
    await put('3');
    expect(ids(latest.read())).toEqual(['3']);
    expect(ids(at.read())).toEqual(['2', '3']);
    expect(ids(horizon.read(1))).toEqual(['1']);

    expect(() => destinations.consumer(StreamArn, 'horizon')).toThrow('Consumer horizon of stream orders-changes is already open.');
    horizon.close();
    expect(() => horizon.read()).toThrow('closed');
    await put('4');
    const resumed = destinations.consumer(StreamArn, 'horizon', { startingPosition: 'LATEST' });
    expect(ids(resumed.read())).toEqual(['2', '3', '4']);
    expect(() => destinations.consumer('arn:aws:kinesis:us-east-1:000000000000:stream/nope', 'x')).toThrow(
      'Stream nope under account 000000000000 not found.',
    );
  });

  it('pushes records in order without blocking writers; a slow handler delays only its own consumer', async () => {
    const { destinations, StreamArn, enable, put } = await setup();
    await enable();
    const consumer = destinations.consumer(StreamArn, 'push');
    const puller = destinations.consumer(StreamArn, 'pull');
    const delivered: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    consumer.subscribe(
      async (records) => {
        delivered.push(ids(records));
        await gate;
      },
      { batchSize: 2 },
    );
    for (const id of ['1', '2', '3', '4', '5']) await put(id); // completes although the handler has not returned
    expect(ids(puller.read())).toEqual(['1', '2', '3', '4', '5']);
    expect(delivered).toEqual([['1']]);
    release();
    await consumer.idle();
    expect(delivered).toEqual([['1'], ['2', '3'], ['4', '5']]);
    await put('6');
    await consumer.idle();
    expect(delivered.at(-1)).toEqual(['6']);
  });

  it('redelivers a batch whose handler failed once the next record arrives (at least once, in order)', async () => {
    const { destinations, StreamArn, enable, put } = await setup();
    await enable();
    const consumer = destinations.consumer(StreamArn, 'flaky');
    const seen: string[] = [];
    const errors: unknown[] = [];
    let failures = 1;
    const unsubscribe = consumer.subscribe(
      (records) => {
        if (failures-- > 0) throw new Error('boom');
        seen.push(...ids(records));
      },
      { onError: (error) => errors.push(error) },
    );
    await put('1');
    await consumer.idle();
    expect(seen).toEqual([]);
    expect(errors).toHaveLength(1);
    await put('2');
    await consumer.idle();
    expect(seen).toEqual(['1', '2']);
    unsubscribe();
    await put('3');
    await consumer.idle();
    expect(seen).toEqual(['1', '2']);
    expect(ids(consumer.read())).toEqual(['3']);
  });

  it('trims records older than the retention period on the database clock; lagging consumers continue at the oldest kept', async () => {
    const { destinations, StreamArn, enable, put, clock } = await setup(24 * HOUR);
    await enable();
    const lagging = destinations.consumer(StreamArn, 'lagging');
    const late = destinations.createStream('short-lived', { retentionMs: HOUR });
    expect(destinations.describeStream(late).RetentionPeriodHours).toBe(1);
    expect(destinations.describeStream(StreamArn).RetentionPeriodHours).toBe(24);
    await put('old');
    await clock.advance(12 * HOUR);
    await put('newer');
    await clock.advance(12 * HOUR); // 'old' is exactly 24 h old: still kept
    expect(ids(destinations.consumer(StreamArn, 'probe-1').read())).toEqual(['old', 'newer']);
    await clock.advance(1);
    expect(ids(lagging.read())).toEqual(['newer']);
    expect(ids(destinations.consumer(StreamArn, 'fresh').read())).toEqual(['newer']);
    await clock.advance(12 * HOUR);
    expect(destinations.consumer(StreamArn, 'empty').read()).toEqual([]);
  });

  it('defaults to one year of retention', async () => {
    const { destinations, StreamArn, enable, put, clock } = await setup();
    expect(destinations.describeStream(StreamArn).RetentionPeriodHours).toBe(365 * 24);
    await enable();
    await put('1');
    await clock.advance(365 * 24 * HOUR);
    const consumer = destinations.consumer(StreamArn, 'c');
    expect(ids(consumer.read())).toEqual(['1']);
    await clock.advance(1);
    expect(destinations.consumer(StreamArn, 'd').read()).toEqual([]);
  });

  it('stops receiving once the destination is disabled, and again after re-enabling', async () => {
    const { client, destinations, StreamArn, enable, put } = await setup();
    await enable();
    const consumer = destinations.consumer(StreamArn, 'c');
    await put('1');
    await client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    await put('2');
    expect(ids(consumer.read())).toEqual(['1']);
    await enable();
    await put('3');
    expect(ids(consumer.read())).toEqual(['3']);
  });

  it('costs writes nothing while no destination delivers: it listens to the change feed only meanwhile', async () => {
    const { db, client, destinations, StreamArn, enable, put, createTable } = await setup();
    const listening = () => db.engine.hasChangeListeners;
    await put('1');
    expect(listening()).toBe(false);
    expect(destinations.consumer(StreamArn, 'c').read()).toEqual([]);
    await enable();
    expect(listening()).toBe(true);
    await client.send(new DisableKinesisStreamingDestinationCommand({ TableName: 'orders', StreamArn }));
    expect(listening()).toBe(false);
    await enable();
    expect(listening()).toBe(true);
    // A deleted table takes its destination with it; the feed is left at the next write elsewhere.
    await createTable('other');
    await client.send(new DeleteTableCommand({ TableName: 'orders' }));
    await put('x', 'other');
    expect(listening()).toBe(false);
  });

  it('a deleted Kinesis stream receives nothing; consumers of it fail', async () => {
    const { destinations, StreamArn, enable, put } = await setup();
    await enable();
    const consumer = destinations.consumer(StreamArn, 'c');
    destinations.deleteStream(StreamArn);
    await put('1');
    expect(() => consumer.read()).toThrow('Stream orders-changes was deleted');
    destinations.createStream('orders-changes');
    await put('2');
    expect(ids(destinations.consumer(StreamArn, 'c').read())).toEqual(['2']);
  });

  it('describes its shards splitting the 128-bit hash key space evenly', async () => {
    const { destinations } = await setup();
    const arn = destinations.createStream('sharded', { shardCount: 3 });
    const { Shards, StreamName, StreamStatus } = destinations.describeStream(arn);
    expect({ StreamName, StreamStatus }).toEqual({ StreamName: 'sharded', StreamStatus: 'ACTIVE' });
    expect(Shards.map((s) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    expect(Shards[0]!.HashKeyRange.StartingHashKey).toBe('0');
    expect(Shards[2]!.HashKeyRange.EndingHashKey).toBe(String((1n << 128n) - 1n));
    for (let i = 1; i < 3; i++) expect(BigInt(Shards[i]!.HashKeyRange.StartingHashKey)).toBe(BigInt(Shards[i - 1]!.HashKeyRange.EndingHashKey) + 1n);
    expect(() => destinations.createStream('sharded')).toThrow('Stream sharded under account 000000000000 already exists.');
  });

  it('property: every consumer sees exactly the writes since its start, in order, whatever the interleaving of writes, reads and restarts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('put' as const), id: fc.string({ minLength: 1, maxLength: 3 }) }),
            fc.record({ kind: fc.constant('read' as const), consumer: fc.integer({ min: 0, max: 2 }), limit: fc.integer({ min: 1, max: 4 }) }),
            fc.record({ kind: fc.constant('restart' as const), consumer: fc.integer({ min: 0, max: 2 }) }),
          ),
          { maxLength: 40 },
        ),
        async (steps) => {
          const { destinations, StreamArn, enable, put } = await setup();
          await enable();
          const written: string[] = [];
          const handles = [0, 1, 2].map((i) => destinations.consumer(StreamArn, `c${i}`));
          const model = [0, 0, 0]; // index into `written` of each consumer's next record
          for (const step of steps) {
            if (step.kind === 'put') {
              await put(step.id);
              written.push(step.id);
            } else if (step.kind === 'read') {
              const got = ids(handles[step.consumer]!.read(step.limit));
              const expected = written.slice(model[step.consumer], model[step.consumer]! + step.limit);
              expect(got).toEqual(expected);
              model[step.consumer]! += got.length;
            } else {
              handles[step.consumer]!.close();
              handles[step.consumer] = destinations.consumer(StreamArn, `c${step.consumer}`, { startingPosition: 'LATEST' });
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
