/**
 * The stream is the table's complete history: replaying every record (all shards, each parent before its
 * children, from TRIM_HORIZON) onto an empty table reproduces the table exactly, across partition splits.
 */
import { Database, ManualClock, memoryStorage, type CreateTableInput, type Item } from '@magneto/core';
import { streams } from '@magneto/streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const STREAMS = 'DynamoDBStreams_20120810';

type Op =
  | { kind: 'put'; pk: number; sk: number; value: number }
  | { kind: 'update'; pk: number; sk: number; value: number }
  | { kind: 'delete'; pk: number; sk: number }
  | { kind: 'batch'; puts: Array<{ pk: number; sk: number; value: number }>; deletes: Array<{ pk: number; sk: number }> }
  | { kind: 'transact'; items: Array<{ pk: number; sk: number; value: number }> }
  | { kind: 'tick'; ms: number };

const key = fc.record({ pk: fc.integer({ min: 0, max: 60 }), sk: fc.integer({ min: 0, max: 3 }) });
const valued = fc.record({ pk: fc.integer({ min: 0, max: 60 }), sk: fc.integer({ min: 0, max: 3 }), value: fc.integer({ min: 0, max: 2 }) });
const uniqueBy = <T extends { pk: number; sk: number }>(items: T[]): T[] => {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = `${i.pk}/${i.sk}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: valued.map((v) => ({ kind: 'put' as const, ...v })) },
  { weight: 3, arbitrary: valued.map((v) => ({ kind: 'update' as const, ...v })) },
  { weight: 3, arbitrary: key.map((k) => ({ kind: 'delete' as const, ...k })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ puts: fc.array(valued, { maxLength: 8 }), deletes: fc.array(key, { maxLength: 4 }) })
      .map(({ puts, deletes }) => {
        const all = uniqueBy([...puts.map((p) => ({ ...p, del: false })), ...deletes.map((d) => ({ ...d, value: 0, del: true }))]);
        return {
          kind: 'batch' as const,
          puts: all.filter((a) => !a.del).map(({ pk, sk, value }) => ({ pk, sk, value })),
          deletes: all.filter((a) => a.del).map(({ pk, sk }) => ({ pk, sk })),
        };
      })
      .filter((b) => b.puts.length + b.deletes.length > 0),
  },
  { weight: 1, arbitrary: fc.array(valued, { minLength: 1, maxLength: 6 }).map((items) => ({ kind: 'transact' as const, items: uniqueBy(items) })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60_000 }).map((ms) => ({ kind: 'tick' as const, ms })) },
);

const tableInput = (TableName: string, extra: Record<string, unknown> = {}): CreateTableInput => ({
  TableName,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  ...extra,
});

const itemKey = (pk: number, sk: number): Item => ({ pk: { S: `p${pk}` }, sk: { N: String(sk) } });
// Values of several types and sizes, so images differ in shape, not just in one number.
const itemOf = (pk: number, sk: number, value: number): Item => ({
  ...itemKey(pk, sk),
  v: value === 0 ? { N: String(pk * 7 + sk) } : value === 1 ? { S: 'x'.repeat(pk) } : { L: [{ BOOL: true }, { SS: ['a', `b${sk}`] }] },
});

async function apply(db: Database, clock: ManualClock, o: Op): Promise<void> {
  switch (o.kind) {
    case 'put':
      await db.putItem({ TableName: 'src', Item: itemOf(o.pk, o.sk, o.value) });
      return;
    case 'update':
      await db.updateItem({
        TableName: 'src',
        Key: itemKey(o.pk, o.sk),
        UpdateExpression: 'SET u = :u ADD c :one',
        ExpressionAttributeValues: { ':u': { N: String(o.value) }, ':one': { N: '1' } },
      });
      return;
    case 'delete':
      await db.deleteItem({ TableName: 'src', Key: itemKey(o.pk, o.sk) });
      return;
    case 'batch':
      await db.batchWriteItem({
        RequestItems: {
          src: [
            ...o.puts.map((p) => ({ PutRequest: { Item: itemOf(p.pk, p.sk, p.value) } })),
            ...o.deletes.map((d) => ({ DeleteRequest: { Key: itemKey(d.pk, d.sk) } })),
          ],
        },
      });
      return;
    case 'transact':
      await db.transactWriteItems({ TransactItems: o.items.map((i) => ({ Put: { TableName: 'src', Item: itemOf(i.pk, i.sk, i.value) } })) });
      return;
    case 'tick':
      await clock.advance(o.ms);
  }
}

interface ShardInfo {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}
interface RecordInfo {
  eventName: string;
  dynamodb: { Keys: Item; NewImage?: Item; OldImage?: Item; SequenceNumber: string };
}

/** Every record of the stream, parents' shards before their children's, each shard from TRIM_HORIZON. */
async function readAll(db: Database, arn: string): Promise<{ shards: ShardInfo[]; records: RecordInfo[] }> {
  const described = (await db.execute(STREAMS, 'DescribeStream', { StreamArn: arn })) as { StreamDescription: { Shards: ShardInfo[] } };
  const shards = described.StreamDescription.Shards;
  const records: RecordInfo[] = [];
  const done = new Set<string>();
  const pending = [...shards];
  while (pending.length > 0) {
    const index = pending.findIndex((s) => s.ParentShardId === undefined || done.has(s.ParentShardId));
    expect(index).toBeGreaterThanOrEqual(0);
    const [shard] = pending.splice(index, 1) as [ShardInfo];
    const { ShardIterator } = (await db.execute(STREAMS, 'GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    })) as { ShardIterator: string };
    let iterator: string | undefined = ShardIterator;
    let previous = BigInt(shard.SequenceNumberRange.StartingSequenceNumber) - 1n;
    while (iterator !== undefined) {
      const page = (await db.execute(STREAMS, 'GetRecords', { ShardIterator: iterator, Limit: 7 })) as {
        Records: RecordInfo[];
        NextShardIterator?: string;
      };
      for (const record of page.Records) {
        // Sequence numbers increase within a shard and lie within its range.
        const sequence = BigInt(record.dynamodb.SequenceNumber);
        expect(sequence).toBeGreaterThan(previous);
        if (shard.SequenceNumberRange.EndingSequenceNumber !== undefined) {
          expect(sequence).toBeLessThanOrEqual(BigInt(shard.SequenceNumberRange.EndingSequenceNumber));
        }
        previous = sequence;
      }
      records.push(...page.Records);
      if (page.Records.length === 0) break;
      iterator = page.NextShardIterator;
    }
    // A closed shard read to its end has no next iterator.
    if (shard.SequenceNumberRange.EndingSequenceNumber !== undefined) expect(iterator).toBeUndefined();
    done.add(shard.ShardId);
  }
  return { shards, records };
}

const identity = (item: Item): string => `${(item.pk as { S: string }).S}/${(item.sk as { N: string }).N}`;

describe('replaying the stream reproduces the table', () => {
  it('random writes across partition splits', async () => {
    let runsWithSplits = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 250, size: 'max' }), async (ops) => {
        const clock = new ManualClock(Date.UTC(2026, 0, 1));
        const module = streams();
        const db = new Database({ clock, storage: memoryStorage({ partitionSplitItems: 16 }), modules: [module] });
        await db.createTable(tableInput('src', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
        for (const o of ops) await apply(db, clock, o);
        const arn = (await db.describeTable({ TableName: 'src' })).Table.LatestStreamArn as string;
        const { shards, records } = await readAll(db, arn);

        // Replay onto a model (checking each OldImage is the item as it was), then onto a real empty table.
        const model = new Map<string, Item>();
        for (const record of records) {
          const id = identity(record.dynamodb.Keys);
          expect(record.dynamodb.OldImage).toEqual(model.get(id));
          expect(record.eventName).toBe(record.dynamodb.NewImage === undefined ? 'REMOVE' : model.has(id) ? 'MODIFY' : 'INSERT');
          if (record.dynamodb.NewImage === undefined) model.delete(id);
          else model.set(id, record.dynamodb.NewImage);
        }
        const copy = new Database({ clock });
        await copy.createTable(tableInput('dst'));
        for (const record of records) {
          if (record.eventName === 'REMOVE') await copy.deleteItem({ TableName: 'dst', Key: record.dynamodb.Keys });
          else await copy.putItem({ TableName: 'dst', Item: record.dynamodb.NewImage! });
        }
        const source = (await db.scan({ TableName: 'src' })).Items;
        const replayed = (await copy.scan({ TableName: 'dst' })).Items;
        expect(replayed).toEqual(source);
        expect(new Map(source!.map((i) => [identity(i), i]))).toEqual(model);

        // Shard lineage mirrors the partitions: one open shard per partition, every parent closed.
        const open = shards.filter((s) => s.SequenceNumberRange.EndingSequenceNumber === undefined);
        const byId = new Map(shards.map((s) => [s.ShardId, s]));
        for (const shard of shards) {
          if (shard.ParentShardId !== undefined) expect(byId.get(shard.ParentShardId)!.SequenceNumberRange.EndingSequenceNumber).toBeDefined();
        }
        const children = new Map<string, number>();
        for (const shard of shards) if (shard.ParentShardId) children.set(shard.ParentShardId, (children.get(shard.ParentShardId) ?? 0) + 1);
        for (const count of children.values()) expect(count).toBeGreaterThanOrEqual(2);
        expect(open.length).toBe(shards.length - children.size);
        const partitionCount = module.store!.stream(arn)!.table.partitionCount;
        expect(open.length).toBe(partitionCount);
        if (partitionCount > 2) runsWithSplits++;
      }),
      { numRuns: 40 },
    );
    // The property must have exercised splits (more than one generation of shards), not just one shard.
    expect(runsWithSplits).toBeGreaterThan(5);
  }, 120_000);
});
