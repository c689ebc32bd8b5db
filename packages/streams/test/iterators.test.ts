import { CreateTableCommand, DescribeTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { setup, streamTable } from './support/clients.js';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

async function rejects(promise: Promise<unknown>, name: string, message?: string): Promise<Error> {
  const error = (await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  )) as Error;
  expect(error.name).toBe(name);
  if (message !== undefined) expect(error.message).toBe(message);
  return error;
}

async function oneShardTable(viewType: 'KEYS_ONLY' | 'NEW_IMAGE' = 'KEYS_ONLY', retentionMs?: number) {
  const s = setup({}, retentionMs === undefined ? {} : { retentionMs });
  await s.dynamodb.send(new CreateTableCommand(streamTable('items', viewType)));
  const arn = (await s.dynamodb.send(new DescribeTableCommand({ TableName: 'items' }))).Table!.LatestStreamArn!;
  const shardId = (await s.streamsClient.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
  return { ...s, arn, shardId };
}

const put = (dynamodb: DynamoDBClient, id: string, extra: Record<string, { S: string }> = {}) =>
  dynamodb.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: id }, ...extra } }));

async function iterator(
  client: DynamoDBStreamsClient,
  StreamArn: string,
  ShardId: string,
  ShardIteratorType: 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER',
  SequenceNumber?: string,
): Promise<string> {
  const out = await client.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType, SequenceNumber }));
  return out.ShardIterator!;
}

const ids = (records: _Record[] | undefined) => (records ?? []).map((r) => r.dynamodb!.Keys!.id!.S);

describe('shard iterators', () => {
  it('TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER', async () => {
    const { dynamodb, streamsClient, arn, shardId } = await oneShardTable();
    await put(dynamodb, 'a');
    await put(dynamodb, 'b');
    const latest = await iterator(streamsClient, arn, shardId, 'LATEST');
    await put(dynamodb, 'c');
    const all = await streamsClient.send(new GetRecordsCommand({ ShardIterator: await iterator(streamsClient, arn, shardId, 'TRIM_HORIZON') }));
    expect(ids(all.Records)).toEqual(['a', 'b', 'c']);
    expect(all.NextShardIterator).toBeDefined();
    expect(ids((await streamsClient.send(new GetRecordsCommand({ ShardIterator: latest }))).Records)).toEqual(['c']);
    const second = all.Records![1]!.dynamodb!.SequenceNumber!;
    const at = await iterator(streamsClient, arn, shardId, 'AT_SEQUENCE_NUMBER', second);
    const after = await iterator(streamsClient, arn, shardId, 'AFTER_SEQUENCE_NUMBER', second);
    expect(ids((await streamsClient.send(new GetRecordsCommand({ ShardIterator: at }))).Records)).toEqual(['b', 'c']);
    expect(ids((await streamsClient.send(new GetRecordsCommand({ ShardIterator: after }))).Records)).toEqual(['c']);
    // An open shard always has a next iterator; it sees records written later.
    const next = all.NextShardIterator!;
    expect((await streamsClient.send(new GetRecordsCommand({ ShardIterator: next }))).Records).toEqual([]);
    await put(dynamodb, 'd');
    expect(ids((await streamsClient.send(new GetRecordsCommand({ ShardIterator: next }))).Records)).toEqual(['d']);
  });

  it('Limit pages through a shard, at most 1,000 records per call', async () => {
    const { dynamodb, streamsClient, arn, shardId } = await oneShardTable();
    for (let i = 0; i < 1005; i++) await put(dynamodb, `k${i}`);
    let page = await streamsClient.send(new GetRecordsCommand({ ShardIterator: await iterator(streamsClient, arn, shardId, 'TRIM_HORIZON'), Limit: 2 }));
    expect(ids(page.Records)).toEqual(['k0', 'k1']);
    page = await streamsClient.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator! }));
    expect(page.Records).toHaveLength(1000);
    expect(page.Records![0]!.dynamodb!.Keys!.id!.S).toBe('k2');
    page = await streamsClient.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator! }));
    expect(ids(page.Records)).toEqual(['k1002', 'k1003', 'k1004']);
    await rejects(
      streamsClient.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator!, Limit: 1001 })),
      'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });

  it('a page holds at most 1 MB of records', async () => {
    const { dynamodb, streamsClient, arn, shardId } = await oneShardTable('NEW_IMAGE');
    const big = 'x'.repeat(300 * 1024);
    for (let i = 0; i < 5; i++) await put(dynamodb, `big${i}`, { v: { S: big } });
    const page = await streamsClient.send(new GetRecordsCommand({ ShardIterator: await iterator(streamsClient, arn, shardId, 'TRIM_HORIZON') }));
    expect(ids(page.Records)).toEqual(['big0', 'big1', 'big2']);
    const rest = await streamsClient.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator! }));
    expect(ids(rest.Records)).toEqual(['big3', 'big4']);
  });

  it('an iterator expires 15 minutes after it was issued (database clock)', async () => {
    const { dynamodb, streamsClient, arn, shardId, clock } = await oneShardTable();
    await put(dynamodb, 'a');
    const it1 = await iterator(streamsClient, arn, shardId, 'TRIM_HORIZON');
    await clock.advance(15 * MINUTE);
    const page = await streamsClient.send(new GetRecordsCommand({ ShardIterator: it1 }));
    expect(ids(page.Records)).toEqual(['a']);
    await clock.advance(1);
    const error = await rejects(streamsClient.send(new GetRecordsCommand({ ShardIterator: it1 })), 'ExpiredIteratorException', 'Shard iterator has expired');
    expect(error).toBeInstanceOf(ExpiredIteratorException);
    // NextShardIterator is a fresh iterator with its own 15 minutes.
    await clock.advance(14 * MINUTE);
    expect((await streamsClient.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator! }))).Records).toEqual([]);
  });

  it('records older than the retention period are trimmed; reading them is TrimmedDataAccessException', async () => {
    const { dynamodb, streamsClient, arn, shardId, clock } = await oneShardTable('KEYS_ONLY', 10 * MINUTE);
    await put(dynamodb, 'old');
    const first = await streamsClient.send(new GetRecordsCommand({ ShardIterator: await iterator(streamsClient, arn, shardId, 'TRIM_HORIZON') }));
    const oldSequence = first.Records![0]!.dynamodb!.SequenceNumber!;
    await clock.advance(5 * MINUTE);
    await put(dynamodb, 'new');
    const horizon = await iterator(streamsClient, arn, shardId, 'TRIM_HORIZON');
    await clock.advance(5 * MINUTE);
    // 'old' is now 10 minutes old, past retention: the iterator issued at it reads trimmed data.
    const error = await rejects(
      streamsClient.send(new GetRecordsCommand({ ShardIterator: horizon })),
      'TrimmedDataAccessException',
      'The operation attempted to read past the oldest stream record in a shard.',
    );
    expect(error).toBeInstanceOf(TrimmedDataAccessException);
    await rejects(
      streamsClient.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: oldSequence })),
      'TrimmedDataAccessException',
    );
    const trimmed = await streamsClient.send(new GetRecordsCommand({ ShardIterator: await iterator(streamsClient, arn, shardId, 'TRIM_HORIZON') }));
    expect(ids(trimmed.Records)).toEqual(['new']);
  });

  it('memory stays bounded on a long-running table: trimmed records are dropped', async () => {
    const { module, db, clock, arn } = await oneShardTable('KEYS_ONLY', HOUR);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 200; i++) await db.putItem({ TableName: 'items', Item: { id: { S: `r${round}-${i}` } } });
      await clock.advance(HOUR);
    }
    const shard = module.store!.stream(arn)!.shards[0]!;
    expect(shard.records.end - shard.records.head).toBe(0);
    expect(shard.records.held).toBeLessThanOrEqual(400);
  });

  it('malformed iterators, unknown streams and shards', async () => {
    const { streamsClient, arn, shardId } = await oneShardTable();
    const good = await iterator(streamsClient, arn, shardId, 'TRIM_HORIZON');
    await rejects(streamsClient.send(new GetRecordsCommand({ ShardIterator: 'garbage' })), 'ValidationException', 'Invalid ShardIterator');
    await rejects(streamsClient.send(new GetRecordsCommand({ ShardIterator: good.slice(0, -4) + 'AAAA' })), 'ValidationException', 'Invalid ShardIterator');
    const otherShard = shardId.replace(/-[0-9a-f]{8}$/, '-00000000');
    const error = await rejects(
      streamsClient.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: otherShard, ShardIteratorType: 'LATEST' })),
      'ResourceNotFoundException',
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    await rejects(
      streamsClient.send(new GetShardIteratorCommand({ StreamArn: arn.replace('items', 'other'), ShardId: shardId, ShardIteratorType: 'LATEST' })),
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${arn.replace('items', 'other')} not found`,
    );
    await rejects(
      streamsClient.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })),
      'ValidationException',
    );
    await rejects(
      streamsClient.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'short', ShardIteratorType: 'LATEST' })),
      'ValidationException',
      "1 validation error detected: Value 'short' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 28",
    );
  });
});

