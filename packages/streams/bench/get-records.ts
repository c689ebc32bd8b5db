/**
 * GetRecords' own cost per call, in process (no HTTP, no SDK): on a stream of 63 shards, reading one
 * record per call by following NextShardIterator, and polling shards that have nothing new. This is what
 * a trigger pays per shard it reads on a wake.
 *
 *   node --import tsx packages/streams/bench/get-records.ts      (from the repository root)
 */
import { Database, memoryStorage } from '@magneto/core';
import { streams } from '@magneto/streams';
import { performance } from 'node:perf_hooks';

const STREAMS = 'DynamoDBStreams_20120810';
const module = streams();
const db = new Database({ modules: [module], storage: memoryStorage({ partitionSplitItems: 250 }) });
await db.createTable({
  TableName: 'users',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
} as Parameters<Database['createTable']>[0]);
for (let i = 0; i < 5000; i++) await db.putItem({ TableName: 'users', Item: { id: { S: `user#${i}` }, n: { N: String(i) } } });

const context = module.store!.context;
const StreamArn = module.store!.list()[0]!.arn;
const { Shards } = (context.execute(STREAMS, 'DescribeStream', { StreamArn }) as { StreamDescription: { Shards: { ShardId: string }[] } })
  .StreamDescription;
const iterators = (type: string) =>
  Shards.map(({ ShardId }) => (context.execute(STREAMS, 'GetShardIterator', { StreamArn, ShardId, ShardIteratorType: type }) as { ShardIterator: string }).ShardIterator);

/** µs per GetRecords call, following each shard's NextShardIterator `rounds` times. */
function perCall(start: (string | undefined)[], Limit: number, rounds: number): number {
  const its = [...start];
  let calls = 0;
  const t0 = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (let j = 0; j < its.length; j++) {
      const ShardIterator = its[j];
      if (ShardIterator === undefined) continue;
      its[j] = (context.execute(STREAMS, 'GetRecords', { ShardIterator, Limit }) as { NextShardIterator?: string }).NextShardIterator;
      calls++;
    }
  }
  return ((performance.now() - t0) * 1000) / calls;
}

console.log(`node ${process.version}, ${Shards.length} shards\n`);
const oneRecord: number[] = [];
const empty: number[] = [];
for (let run = 0; run < 15; run++) {
  oneRecord.push(perCall(iterators('TRIM_HORIZON'), 1, 40));
  empty.push(perCall(iterators('LATEST'), 1000, 40));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!.toFixed(2);
console.log(`GetRecords, 1 record per call    median ${median(oneRecord).padStart(6)} µs/call`);
console.log(`GetRecords, nothing new          median ${median(empty).padStart(6)} µs/call`);
