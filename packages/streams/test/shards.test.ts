import { CreateTableCommand, DescribeTableCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type Shard } from '@aws-sdk/client-dynamodb-streams';
import { memoryStorage } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { allShards, readStream, setup, streamTable } from './support/clients.js';

describe('shards follow partitions', () => {
  it('a partition split closes its shard and opens two children', async () => {
    const { dynamodb, streamsClient } = setup({ storage: memoryStorage({ partitionSplitItems: 16 }) });
    await dynamodb.send(new CreateTableCommand(streamTable('split', 'KEYS_ONLY')));
    const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'split' }))).Table!.LatestStreamArn!;
    const [root] = await allShards(streamsClient, arn);
    for (let i = 0; i < 17; i++) await dynamodb.send(new PutItemCommand({ TableName: 'split', Item: { id: { S: `item-${i}` } } }));

    const shards = await allShards(streamsClient, arn);
    expect(shards).toHaveLength(3);
    const [parent, left, right] = shards as [Shard, Shard, Shard];
    expect(parent.ShardId).toBe(root!.ShardId);
    expect(parent.ParentShardId).toBeUndefined();
    const start = BigInt(parent.SequenceNumberRange!.StartingSequenceNumber!);
    const end = BigInt(parent.SequenceNumberRange!.EndingSequenceNumber!);
    expect(end).toBeGreaterThan(start);
    for (const child of [left, right]) {
      expect(child.ParentShardId).toBe(parent.ShardId);
      expect(child.ShardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
      expect(child.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();
      expect(BigInt(child.SequenceNumberRange!.StartingSequenceNumber!)).toBeGreaterThan(end);
    }
    expect(left.ShardId).not.toBe(right.ShardId);

    // The parent holds the writes before the split; reading it to its end gives no next iterator.
    const { ShardIterator } = await streamsClient.send(
      new GetShardIteratorCommand({ StreamArn: arn, ShardId: parent.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const page = await streamsClient.send(new GetRecordsCommand({ ShardIterator }));
    expect(page.Records).toHaveLength(16);
    expect(page.NextShardIterator).toBeUndefined();
    // The split-causing write and everything after land in the children.
    expect(await readStream(streamsClient, arn)).toHaveLength(17);

    // ShardFilter CHILD_SHARDS lists a shard's children.
    const children = await streamsClient.send(
      new DescribeStreamCommand({ StreamArn: arn, ShardFilter: { Type: 'CHILD_SHARDS', ShardId: parent.ShardId } }),
    );
    expect(children.StreamDescription!.Shards!.map((s) => s.ShardId)).toEqual([left.ShardId, right.ShardId]);
    // Limit and ExclusiveStartShardId page through the shards.
    const first = await streamsClient.send(new DescribeStreamCommand({ StreamArn: arn, Limit: 2 }));
    expect(first.StreamDescription!.Shards!.map((s) => s.ShardId)).toEqual([parent.ShardId, left.ShardId]);
    expect(first.StreamDescription!.LastEvaluatedShardId).toBe(left.ShardId);
    const second = await streamsClient.send(new DescribeStreamCommand({ StreamArn: arn, Limit: 2, ExclusiveStartShardId: left.ShardId }));
    expect(second.StreamDescription!.Shards!.map((s) => s.ShardId)).toEqual([right.ShardId]);
    expect(second.StreamDescription!.LastEvaluatedShardId).toBeUndefined();
  });

  it('a stream enabled on a table that already has several partitions opens one shard per partition', async () => {
    const { dynamodb, streamsClient } = setup({ storage: memoryStorage({ partitionSplitItems: 4 }) });
    await dynamodb.send(new CreateTableCommand(streamTable('grown', undefined)));
    for (let i = 0; i < 40; i++) await dynamodb.send(new PutItemCommand({ TableName: 'grown', Item: { id: { S: `g${i}` } } }));
    await dynamodb.send(new UpdateTableCommand({ TableName: 'grown', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'grown' }))).Table!.LatestStreamArn!;
    const shards = await allShards(streamsClient, arn);
    expect(shards.length).toBeGreaterThan(4);
    expect(shards.every((s) => s.ParentShardId === undefined && s.SequenceNumberRange!.EndingSequenceNumber === undefined)).toBe(true);
    expect(await readStream(streamsClient, arn)).toHaveLength(0);
  });
});
