/**
 * What a trigger reads when it wakes: the change feed tells it which shards received records, so a write
 * to a table with many shards costs one GetRecords on the shard it landed in, not one per open shard.
 * GetRecords calls are counted through a ModuleContext wrapped around the database's.
 */
import { describe, expect, it } from 'vitest';
import { Database, ManualClock, memoryStorage, type ModuleContext } from '@magneto/core';
import { streams, TriggerManager, type DynamoDBStreamEvent } from '@magneto/streams';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const STREAMS = 'DynamoDBStreams_20120810';

/** Lets the trigger read and invoke (it does so in a later macrotask than the write). */
const tick = async () => {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  await new Promise<void>((resolve) => setImmediate(resolve));
};

interface ShardInfo {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange: { EndingSequenceNumber?: string };
}

/** A table split into many partitions (and its stream into many shards), and a trigger manager whose reads are counted. */
async function manyShards(items = 400, partitionSplitItems = 16) {
  const clock = new ManualClock(T0);
  const module = streams();
  const db = new Database({ clock, modules: [module], storage: memoryStorage({ partitionSplitItems }) });
  await db.createTable({
    TableName: 'orders',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  } as Parameters<Database['createTable']>[0]);
  for (let i = 0; i < items; i++) await db.putItem({ TableName: 'orders', Item: { id: { S: `fill${i}` } } });
  const store = module.store!;
  const counted = { GetRecords: 0, DescribeStream: 0 };
  const context: ModuleContext = {
    ...store.context,
    execute: (service, operation, input) => {
      if (operation === 'GetRecords' || operation === 'DescribeStream') counted[operation]++;
      return store.context.execute(service, operation, input);
    },
  };
  const manager = new TriggerManager({ context, onRecordsAppended: (listener) => store.onRecordsAppended(listener) });
  const shards = async (StreamArn: string): Promise<ShardInfo[]> => {
    const out = (await db.execute(STREAMS, 'DescribeStream', { StreamArn })) as { StreamDescription: { Shards: ShardInfo[] } };
    return out.StreamDescription.Shards;
  };
  /** The shards each write batch appended to, as the stream store reports them. */
  const appended: string[][] = [];
  store.onRecordsAppended((_table, _arn, shardIds) => appended.push([...shardIds]));
  return { db, clock, manager, counted, shards, appended };
}

function keysOf(events: DynamoDBStreamEvent[]): string[] {
  return events.flatMap((e) => e.Records.map((r) => (r.dynamodb.Keys.id as { S: string }).S));
}

describe('triggers: what a wake reads', () => {
  it('a write to a table with many shards reads only the shard it landed in', async () => {
    const { db, manager, counted, shards } = await manyShards();
    const events: DynamoDBStreamEvent[] = [];
    const trigger = manager.onChange('orders', (event) => void events.push(event));
    const open = (await shards(trigger.streamArn)).filter((s) => s.SequenceNumberRange.EndingSequenceNumber === undefined);
    expect(open.length).toBeGreaterThanOrEqual(16);
    await tick();
    counted.GetRecords = 0;
    for (let i = 0; i < 20; i++) {
      await db.putItem({ TableName: 'orders', Item: { id: { S: `fill${i * 7}` }, v: { N: String(i) } } });
      await trigger.drained();
      expect(counted.GetRecords).toBe(i + 1);
    }
    expect(keysOf(events)).toEqual(Array.from({ length: 20 }, (_, i) => `fill${i * 7}`));
    expect(trigger.stats.lastError).toBeUndefined();
    trigger.stop();
  });

  it('a batch spanning several shards reads each of those shards once', async () => {
    const { db, manager, counted, appended } = await manyShards();
    const events: DynamoDBStreamEvent[] = [];
    const trigger = manager.onChange('orders', (event) => void events.push(event), { batchSize: 100 });
    await tick();
    counted.GetRecords = 0;
    appended.length = 0;
    const ids = Array.from({ length: 25 }, (_, i) => `fill${i * 13}`);
    await db.batchWriteItem({ RequestItems: { orders: ids.map((id) => ({ PutRequest: { Item: { id: { S: id }, v: { N: '1' } } } })) } });
    await trigger.drained();
    const touched = new Set(appended.flat());
    expect(touched.size).toBeGreaterThan(1);
    expect(counted.GetRecords).toBe(touched.size);
    expect(keysOf(events).sort()).toEqual([...ids].sort());
    trigger.stop();
  });

  it('an idle trigger reads nothing, however long the clock runs', async () => {
    const { db, clock, manager, counted } = await manyShards(100);
    const trigger = manager.onChange('orders', () => undefined, { startingPosition: 'TRIM_HORIZON' });
    await trigger.drained();
    expect(trigger.stats.delivered).toBe(100);
    counted.GetRecords = 0;
    counted.DescribeStream = 0;
    await clock.advance(60 * 60_000);
    await tick();
    expect(counted).toEqual({ GetRecords: 0, DescribeStream: 0 });
    await db.putItem({ TableName: 'orders', Item: { id: { S: 'late' } } });
    await trigger.drained();
    expect(trigger.stats.delivered).toBe(101);
    trigger.stop();
  });

  it('a wake naming a shard opened by a split finds it and reads its closed parent to the end first', async () => {
    const { db, manager, counted, shards } = await manyShards(40, 8);
    const seen: string[] = [];
    const trigger = manager.onChange(
      'orders',
      (event) => {
        for (const r of event.Records) seen.push(`${(r.dynamodb.Keys.id as { S: string }).S}:${(r.dynamodb.NewImage!.v as { N: string }).N}`);
      },
      { batchSize: 3 },
    );
    const before = new Set((await shards(trigger.streamArn)).map((s) => s.ShardId));
    counted.DescribeStream = 0;
    // Rewrite the same keys (no split), then add keys until partitions split again.
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 40; k++) await db.putItem({ TableName: 'orders', Item: { id: { S: `k${k}` }, v: { N: String(round) } } });
    }
    await trigger.drained();
    const after = await shards(trigger.streamArn);
    const children = after.filter((s) => !before.has(s.ShardId));
    expect(children.some((s) => s.ParentShardId !== undefined && before.has(s.ParentShardId))).toBe(true); // it split meanwhile
    expect(counted.DescribeStream).toBeGreaterThan(0);
    expect(seen).toHaveLength(120);
    for (let k = 0; k < 40; k++) expect(seen.filter((s) => s.startsWith(`k${k}:`))).toEqual([`k${k}:0`, `k${k}:1`, `k${k}:2`]);
    expect(trigger.stats.lastError).toBeUndefined();
    trigger.stop();
  });

  it('wakes of another stream of the same table are ignored (the trigger reads the stream it started on)', async () => {
    const { db, manager, counted } = await manyShards(20);
    const trigger = manager.onChange('orders', () => undefined);
    await db.updateTable({ TableName: 'orders', StreamSpecification: { StreamEnabled: false } } as Parameters<Database['updateTable']>[0]);
    await db.updateTable({
      TableName: 'orders',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    } as Parameters<Database['updateTable']>[0]);
    await tick();
    counted.GetRecords = 0;
    counted.DescribeStream = 0;
    await db.putItem({ TableName: 'orders', Item: { id: { S: 'new' } } });
    await tick();
    expect(counted).toEqual({ GetRecords: 0, DescribeStream: 0 });
    trigger.stop();
  });
});
