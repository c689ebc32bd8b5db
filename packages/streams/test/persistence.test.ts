/**
 * Streams on durable storage: stream settings, shards and records within retention survive close and
 * reopen (and a restart from the log alone, after a snapshot, or both), with the same SequenceNumbers
 * and eventIDs, so a consumer continues where it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeKinesisStreamingDestinationCommand,
  DescribeTableCommand,
  EnableKinesisStreamingDestinationCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { createRequestHandler, Database, ManualClock, ttl, type DatabaseModule, type StorageOptions } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { parseKinesisRecordData, streams, type StreamsModule, type StreamsOptions } from '@magneto/streams';
import { afterAll, describe, expect, it } from 'vitest';
import { allShards, readShard, readStream, REGION, streamTable } from './support/clients.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'magneto-streams-'));
  dirs.push(dir);
  return dir;
}

const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };

interface Opened {
  db: Database;
  module: StreamsModule;
  dynamodb: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
}

/** Opens (or reopens) the file store in `dir` with the streams module, on `clock`. */
async function open(
  dir: string,
  clock: ManualClock,
  options: StreamsOptions = {},
  layout?: StorageOptions,
  others: DatabaseModule[] = [],
): Promise<Opened> {
  const module = streams(options);
  const db = new Database({
    clock,
    modules: [module, ...others],
    storage: fileStorage(dir, layout === undefined ? { durability: 'none' } : { durability: 'none', layout }),
  });
  await db.open();
  expect(db.recoveryReport?.damage ?? []).toEqual([]);
  const requestHandler = createRequestHandler(db);
  return {
    db,
    module,
    dynamodb: new DynamoDBClient({ region: REGION, credentials: CREDENTIALS, requestHandler }),
    streamsClient: new DynamoDBStreamsClient({ region: REGION, credentials: CREDENTIALS, requestHandler }),
  };
}

/** What identifies a record to a consumer. */
const identity = (r: _Record) => ({
  eventID: r.eventID,
  eventName: r.eventName,
  SequenceNumber: r.dynamodb?.SequenceNumber,
  Keys: r.dynamodb?.Keys,
  NewImage: r.dynamodb?.NewImage,
  OldImage: r.dynamodb?.OldImage,
});

async function latestArn(dynamodb: DynamoDBClient, TableName: string): Promise<string> {
  return (await dynamodb.send(new DescribeTableCommand({ TableName }))).Table!.LatestStreamArn!;
}

async function put(dynamodb: DynamoDBClient, TableName: string, id: string, n: number): Promise<void> {
  await dynamodb.send(new PutItemCommand({ TableName, Item: { id: { S: id }, n: { N: String(n) } } }));
}

const startClock = (): ManualClock => new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0, 250));

describe('streams on durable storage', () => {
  for (const checkpoint of ['none', 'before', 'middle', 'after'] as const) {
    it(`records survive close and reopen with the same SequenceNumbers and eventIDs (snapshot: ${checkpoint})`, async () => {
      const dir = temporaryDirectory();
      const clock = startClock();
      let { db, dynamodb, streamsClient } = await open(dir, clock);
      await dynamodb.send(new CreateTableCommand(streamTable('users', 'NEW_AND_OLD_IMAGES')));
      if (checkpoint === 'before') await db.checkpoint();
      for (let i = 0; i < 6; i++) {
        if (checkpoint === 'middle' && i === 3) await db.checkpoint();
        await put(dynamodb, 'users', `u${i % 4}`, i);
        clock.advance(1000);
      }
      await dynamodb.send(new DeleteItemCommand({ TableName: 'users', Key: { id: { S: 'u1' } } }));
      await dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'users', Item: { id: { S: 't1' } } } },
            { Put: { TableName: 'users', Item: { id: { S: 't2' } } } },
          ],
        }),
      );
      if (checkpoint === 'after') await db.checkpoint();
      const arn = await latestArn(dynamodb, 'users');
      const before = (await readStream(streamsClient, arn)).map(identity);
      const shardsBefore = await allShards(streamsClient, arn);
      expect(before).toHaveLength(9);
      const description = (await dynamodb.send(new DescribeTableCommand({ TableName: 'users' }))).Table!;

      await db.close();
      ({ db, dynamodb, streamsClient } = await open(dir, clock));

      const after = (await dynamodb.send(new DescribeTableCommand({ TableName: 'users' }))).Table!;
      expect(after.StreamSpecification).toEqual(description.StreamSpecification);
      expect(after.LatestStreamArn).toBe(arn);
      expect(after.LatestStreamLabel).toBe(description.LatestStreamLabel);
      expect(await allShards(streamsClient, arn)).toEqual(shardsBefore);
      expect((await readStream(streamsClient, arn)).map(identity)).toEqual(before);

      // New writes continue the sequence: after every record from before, none reused.
      await put(dynamodb, 'users', 'u9', 9);
      const all = (await readStream(streamsClient, arn)).map(identity);
      expect(all.slice(0, before.length)).toEqual(before);
      expect(all).toHaveLength(before.length + 1);
      expect(BigInt(all.at(-1)!.SequenceNumber!)).toBeGreaterThan(BigInt(before.at(-1)!.SequenceNumber!));
      expect(new Set(all.map((r) => r.eventID)).size).toBe(all.length);
      await db.close();
    });
  }

  it('a consumer continues with AFTER_SEQUENCE_NUMBER, and an iterator from before stays valid', async () => {
    const dir = temporaryDirectory();
    const clock = startClock();
    let { db, dynamodb, streamsClient } = await open(dir, clock);
    await dynamodb.send(new CreateTableCommand(streamTable('orders', 'KEYS_ONLY')));
    for (let i = 0; i < 3; i++) await put(dynamodb, 'orders', `o${i}`, i);
    const arn = await latestArn(dynamodb, 'orders');
    const [shard] = await allShards(streamsClient, arn);
    const { ShardIterator } = await streamsClient.send(
      new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const first = await streamsClient.send(new GetRecordsCommand({ ShardIterator, Limit: 2 }));
    expect(first.Records).toHaveLength(2);
    const checkpointed = first.Records![1]!.dynamodb!.SequenceNumber!;
    await db.checkpoint();
    await put(dynamodb, 'orders', 'o3', 3);

    await db.close();
    ({ db, dynamodb, streamsClient } = await open(dir, clock));
    await put(dynamodb, 'orders', 'o4', 4);

    const resumed = await streamsClient.send(
      new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard!.ShardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpointed }),
    );
    const rest = await streamsClient.send(new GetRecordsCommand({ ShardIterator: resumed.ShardIterator }));
    expect(rest.Records!.map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['o2', 'o3', 'o4']);
    // The NextShardIterator handed out before the restart reads on from where it was.
    const next = await streamsClient.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(next.Records!.map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['o2', 'o3', 'o4']);
    await db.close();
  });

  it('retention still trims on the clock after reopen, and a disabled stream expires on time', async () => {
    const dir = temporaryDirectory();
    const clock = startClock();
    const retentionMs = 60_000;
    let { db, dynamodb, streamsClient } = await open(dir, clock, { retentionMs });
    await dynamodb.send(new CreateTableCommand(streamTable('events', 'NEW_IMAGE')));
    await put(dynamodb, 'events', 'old', 1);
    clock.advance(40_000);
    await db.checkpoint();
    await put(dynamodb, 'events', 'young', 2);
    const arn = await latestArn(dynamodb, 'events');
    await db.close();

    clock.advance(30_000); // 'old' is now 70 s old, 'young' 30 s
    ({ db, dynamodb, streamsClient } = await open(dir, clock, { retentionMs }));
    expect((await readStream(streamsClient, arn)).map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['young']);

    await dynamodb.send(new UpdateTableCommand({ TableName: 'events', StreamSpecification: { StreamEnabled: false } }));
    await db.close();
    clock.advance(30_000);
    ({ db, dynamodb, streamsClient } = await open(dir, clock, { retentionMs }));
    const listed = await streamsClient.send(new ListStreamsCommand({ TableName: 'events' }));
    expect(listed.Streams!.map((s) => s.StreamArn)).toEqual([arn]);
    clock.advance(30_000); // 60 s after it was disabled
    expect((await streamsClient.send(new ListStreamsCommand({ TableName: 'events' }))).Streams).toEqual([]);
    // LatestStreamArn outlives the stream, as on DynamoDB.
    expect(await latestArn(dynamodb, 'events')).toBe(arn);
    await db.close();
  });

  for (const checkpoint of [false, true]) {
    it(`a disabled stream, and the stream of a deleted table, stay readable after reopen (snapshot: ${checkpoint})`, async () => {
      const dir = temporaryDirectory();
      const clock = startClock();
      let { db, dynamodb, streamsClient } = await open(dir, clock);
      await dynamodb.send(new CreateTableCommand(streamTable('tbl-a', 'NEW_IMAGE')));
      await dynamodb.send(new CreateTableCommand(streamTable('tbl-b', 'KEYS_ONLY')));
      await put(dynamodb, 'tbl-a', 'x', 1);
      await put(dynamodb, 'tbl-b', 'y', 2);
      const arnA = await latestArn(dynamodb, 'tbl-a');
      const arnB = await latestArn(dynamodb, 'tbl-b');
      clock.advance(5);
      await dynamodb.send(new UpdateTableCommand({ TableName: 'tbl-a', StreamSpecification: { StreamEnabled: false } }));
      await dynamodb.send(new DeleteTableCommand({ TableName: 'tbl-b' }));
      await put(dynamodb, 'tbl-a', 'z', 3); // no stream: not recorded
      if (checkpoint) await db.checkpoint();
      const describeA = (await streamsClient.send(new DescribeStreamCommand({ StreamArn: arnA }))).StreamDescription;
      const describeB = (await streamsClient.send(new DescribeStreamCommand({ StreamArn: arnB }))).StreamDescription;
      expect(describeA!.StreamStatus).toBe('DISABLED');
      expect(describeB!.StreamStatus).toBe('DISABLED');

      await db.close();
      ({ db, dynamodb, streamsClient } = await open(dir, clock));
      expect((await streamsClient.send(new DescribeStreamCommand({ StreamArn: arnA }))).StreamDescription).toEqual(describeA);
      expect((await streamsClient.send(new DescribeStreamCommand({ StreamArn: arnB }))).StreamDescription).toEqual(describeB);
      expect((await readStream(streamsClient, arnA)).map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['x']);
      expect((await readStream(streamsClient, arnB)).map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['y']);
      const tableA = (await dynamodb.send(new DescribeTableCommand({ TableName: 'tbl-a' }))).Table!;
      expect(tableA.StreamSpecification).toBeUndefined();
      expect(tableA.LatestStreamArn).toBe(arnA);

      // Enabling again after the restart starts a new stream; the disabled one stays as it was.
      await dynamodb.send(
        new UpdateTableCommand({ TableName: 'tbl-a', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }),
      );
      await put(dynamodb, 'tbl-a', 'w', 4);
      const arnA2 = await latestArn(dynamodb, 'tbl-a');
      expect(arnA2).not.toBe(arnA);
      expect((await readStream(streamsClient, arnA2)).map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['w']);
      expect((await readStream(streamsClient, arnA)).map((r) => r.dynamodb!.Keys!.id!.S)).toEqual(['x']);
      await db.close();
    });
  }

  for (const checkpoint of ['before-split', 'after-split'] as const) {
    it(`a split table's shard lineage survives (snapshot ${checkpoint})`, async () => {
      const dir = temporaryDirectory();
      const clock = startClock();
      const layout = { partitionSplitItems: 16 };
      let { db, dynamodb, streamsClient } = await open(dir, clock, {}, layout);
      await dynamodb.send(new CreateTableCommand(streamTable('split', 'KEYS_ONLY')));
      if (checkpoint === 'before-split') await db.checkpoint();
      for (let i = 0; i < 20; i++) await put(dynamodb, 'split', `item-${i}`, i);
      if (checkpoint === 'after-split') await db.checkpoint();
      const arn = await latestArn(dynamodb, 'split');
      const shards = await allShards(streamsClient, arn);
      expect(shards.length).toBeGreaterThanOrEqual(3);
      const records = (await readStream(streamsClient, arn)).map(identity);
      expect(records).toHaveLength(20);

      await db.close();
      ({ db, dynamodb, streamsClient } = await open(dir, clock, {}, layout));
      expect(await allShards(streamsClient, arn)).toEqual(shards);
      expect((await readStream(streamsClient, arn)).map(identity)).toEqual(records);
      await put(dynamodb, 'split', 'item-20', 20);
      const all = await readStream(streamsClient, arn);
      expect(all.map(identity).slice(0, 20)).toEqual(records);
      expect(all).toHaveLength(21);
      await db.close();
    });
  }

  it('records written after a snapshot are replayed from the log once, across repeated reopens', async () => {
    const dir = temporaryDirectory();
    const clock = startClock();
    let { db, dynamodb, streamsClient } = await open(dir, clock);
    await dynamodb.send(new CreateTableCommand(streamTable('log', 'NEW_AND_OLD_IMAGES')));
    const arn = await latestArn(dynamodb, 'log');
    let expected: ReturnType<typeof identity>[] = [];
    for (let round = 0; round < 4; round++) {
      await put(dynamodb, 'log', `k${round}`, round);
      if (round % 2 === 0) await db.checkpoint();
      await put(dynamodb, 'log', `k${round}`, round + 100);
      clock.advance(10);
      expected = (await readStream(streamsClient, arn)).map(identity);
      await db.close();
      ({ db, dynamodb, streamsClient } = await open(dir, clock));
      const reread = (await readStream(streamsClient, arn)).map(identity);
      expect(reread).toEqual(expected);
      expect(reread).toHaveLength(2 * (round + 1));
    }
    const [shard] = await allShards(streamsClient, arn);
    expect(await readShard(streamsClient, arn, shard!.ShardId!)).toHaveLength(expected.length);
    await db.close();
  });

  for (const checkpoint of [false, true]) {
    it(`Kinesis destinations keep their settings (a transition caught by the restart completes); their stream is created again (snapshot: ${checkpoint})`, async () => {
      const dir = temporaryDirectory();
      const clock = startClock();
      let { db, dynamodb, module } = await open(dir, clock);
      await dynamodb.send(new CreateTableCommand(streamTable('kin', undefined)));
      const StreamArn = module.kinesis!.createStream('kin-changes');
      const enabled = await dynamodb.send(
        new EnableKinesisStreamingDestinationCommand({
          TableName: 'kin',
          StreamArn,
          EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' },
        }),
      );
      expect(enabled.DestinationStatus).toBe('ENABLING');
      if (checkpoint) await db.checkpoint();
      await db.close();

      ({ db, dynamodb, module } = await open(dir, clock));
      const described = await dynamodb.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'kin' }));
      expect(described.KinesisDataStreamDestinations).toEqual([
        { StreamArn, DestinationStatus: 'ACTIVE', ApproximateCreationDateTimePrecision: 'MICROSECOND' },
      ]);
      // Triggers and Kinesis data streams are in-process: they are set up again after opening.
      expect(module.kinesis!.createStream('kin-changes')).toBe(StreamArn);
      const consumer = module.kinesis!.consumer(StreamArn, 'reader');
      await put(dynamodb, 'kin', 'k1', 1);
      const data = consumer.read().map((r) => parseKinesisRecordData(r));
      expect(data.map((d) => [d.eventName, d.dynamodb.Keys, d.dynamodb.ApproximateCreationDateTimePrecision])).toEqual([
        ['INSERT', { id: { S: 'k1' } }, 'MICROSECOND'],
      ]);
      await db.close();
    });
  }

  it('records keep attribute names msgpack would mangle (__proto__) through a snapshot', async () => {
    const dir = temporaryDirectory();
    const clock = startClock();
    let { db, dynamodb, streamsClient } = await open(dir, clock);
    await dynamodb.send(new CreateTableCommand(streamTable('names', 'NEW_AND_OLD_IMAGES')));
    // Built with JSON.parse so `__proto__` is an own attribute name, not the object's prototype.
    const item = JSON.parse('{"id":{"S":"a"},"__proto__":{"M":{"__proto__":{"S":"x"},"\\u0001y":{"L":[{"M":{"__proto__":{"N":"1"}}}]}}}}');
    await db.putItem({ TableName: 'names', Item: item });
    await db.putItem({ TableName: 'names', Item: { id: { S: 'a' } } });
    await db.checkpoint();
    const arn = await latestArn(dynamodb, 'names');
    const before = await readStream(streamsClient, arn);
    expect(Object.keys(before[0]!.dynamodb!.NewImage!)).toContain('__proto__');
    await db.close();
    ({ db, dynamodb, streamsClient } = await open(dir, clock));
    const after = await readStream(streamsClient, arn);
    expect(after).toEqual(before);
    expect(JSON.stringify(after.map((r) => [r.dynamodb!.NewImage, r.dynamodb!.OldImage]))).toBe(
      JSON.stringify(before.map((r) => [r.dynamodb!.NewImage, r.dynamodb!.OldImage])),
    );
    await db.close();
  });

  it('a table whose items shrank after splits keeps its partitions, so records after the snapshot replay into the same shards', async () => {
    const dir = temporaryDirectory();
    const clock = startClock();
    const layout = { partitionSplitItems: 6 };
    let { db, dynamodb, streamsClient } = await open(dir, clock, {}, layout);
    await dynamodb.send(new CreateTableCommand(streamTable('shrunk', 'KEYS_ONLY')));
    for (let i = 0; i < 30; i++) await put(dynamodb, 'shrunk', `item-${i}`, i);
    for (let i = 0; i < 28; i++) await dynamodb.send(new DeleteItemCommand({ TableName: 'shrunk', Key: { id: { S: `item-${i}` } } }));
    await db.checkpoint();
    for (let i = 30; i < 36; i++) await put(dynamodb, 'shrunk', `item-${i}`, i);
    const arn = await latestArn(dynamodb, 'shrunk');
    const shards = await allShards(streamsClient, arn);
    expect(shards.filter((s) => s.SequenceNumberRange!.EndingSequenceNumber === undefined).length).toBeGreaterThan(1);
    const records = (await readStream(streamsClient, arn)).map(identity);

    await db.close();
    ({ db, dynamodb, streamsClient } = await open(dir, clock, {}, layout));
    expect(await allShards(streamsClient, arn)).toEqual(shards);
    expect((await readStream(streamsClient, arn)).map(identity)).toEqual(records);
    await put(dynamodb, 'shrunk', 'item-99', 99);
    expect(await allShards(streamsClient, arn)).toEqual(shards);
    await db.close();
  });

  for (const checkpoint of [false, true]) {
    it(`TTL deletions keep their records and userIdentity (snapshot: ${checkpoint})`, async () => {
      const dir = temporaryDirectory();
      const clock = startClock();
      const withTtl = (): DatabaseModule[] => [ttl({ sweepIntervalMs: 1000, transitionMs: 0 })];
      let { db, dynamodb, streamsClient } = await open(dir, clock, {}, undefined, withTtl());
      await dynamodb.send(new CreateTableCommand(streamTable('sessions', 'OLD_IMAGE')));
      await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
      const expiresAt = String(Math.floor(clock.now() / 1000) + 60);
      await dynamodb.send(new PutItemCommand({ TableName: 'sessions', Item: { id: { S: 's1' }, exp: { N: expiresAt } } }));
      await clock.advance(2 * 60 * 1000);
      if (checkpoint) await db.checkpoint();
      const arn = await latestArn(dynamodb, 'sessions');
      const before = await readStream(streamsClient, arn);
      expect(before.map((r) => [r.eventName, r.userIdentity !== undefined])).toEqual([
        ['INSERT', false],
        ['REMOVE', true],
      ]);
      await db.close();
      ({ db, dynamodb, streamsClient } = await open(dir, clock, {}, undefined, withTtl()));
      expect(await readStream(streamsClient, arn)).toEqual(before);
      await db.close();
    });
  }
});
