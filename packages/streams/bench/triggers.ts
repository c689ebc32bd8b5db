/**
 * Trigger delivery latency on the real clock: how long from a PutItem until the trigger's handler sees the
 * record, idle (one write at a time) and under a steady write load; and what a trigger costs the writer.
 *
 *   node --import tsx packages/streams/bench/triggers.ts      (from the repository root)
 */
import { Database, memoryStorage } from '@magneto/core';
import { streams, type DynamoDBStreamEvent } from '@magneto/streams';
import { performance } from 'node:perf_hooks';

const ITEM = (i: number) => ({ id: { S: `user#${i % 5000}` }, n: { N: String(i) }, name: { S: 'Ada Lovelace' }, active: { BOOL: true } });

async function database(withStream: boolean, partitionSplitItems?: number) {
  const module = streams();
  const db = new Database({ modules: [module], ...(partitionSplitItems === undefined ? {} : { storage: memoryStorage({ partitionSplitItems }) }) });
  await db.createTable({
    TableName: 'users',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  } as Parameters<Database['createTable']>[0]);
  return { db, module };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(
    `${label.padEnd(44)} n=${String(sorted.length).padStart(6)}  p50 ${us(percentile(sorted, 50)).padStart(10)}  p99 ${us(percentile(sorted, 99)).padStart(10)}  max ${us(sorted[sorted.length - 1] ?? 0).padStart(10)}`,
  );
}

/** One write at a time, each waiting for its delivery: the latency of an idle trigger. */
async function idleLatency(count: number): Promise<void> {
  const { db, module } = await database(true);
  let startedAt = 0;
  let resolvedAt = 0;
  let wake: (() => void) | undefined;
  const fromCall: number[] = [];
  const fromResolve: number[] = [];
  const trigger = module.onChange('users', () => {
    const now = performance.now();
    fromCall.push(now - startedAt);
    fromResolve.push(now - resolvedAt); // the handler runs in a later turn than the writer's resumption
    wake?.();
  });
  for (let i = 0; i < count; i++) {
    const delivered = new Promise<void>((resolve) => (wake = resolve));
    startedAt = performance.now();
    await db.putItem({ TableName: 'users', Item: ITEM(i) });
    resolvedAt = performance.now();
    await delivered;
  }
  trigger.stop();
  summary('idle: putItem call → handler', fromCall.slice(count / 10));
  summary('idle: putItem resolved → handler', fromResolve.slice(count / 10));
}

/**
 * A steady stream of writes, each in its own event-loop turn as requests to a server would arrive, while
 * the trigger keeps up: latency includes the batching that load causes.
 */
async function loadedLatency(count: number, batchSize: number, partitionSplitItems?: number): Promise<void> {
  const { db, module } = await database(true, partitionSplitItems);
  // Fill the table first so it has split into partitions (and the stream into shards) before measuring.
  if (partitionSplitItems !== undefined) for (let i = 0; i < 5000; i++) await db.putItem({ TableName: 'users', Item: ITEM(i) });
  const writtenAt = new Map<string, number>();
  const latency: number[] = [];
  let batches = 0;
  const trigger = module.onChange(
    'users',
    (event: DynamoDBStreamEvent) => {
      const now = performance.now();
      batches++;
      for (const r of event.Records) latency.push(now - (writtenAt.get((r.dynamodb.NewImage!.n as { N: string }).N) ?? now));
    },
    { batchSize },
  );
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    writtenAt.set(String(i), performance.now());
    await db.putItem({ TableName: 'users', Item: ITEM(i) });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await trigger.drained();
  const seconds = (performance.now() - start) / 1000;
  trigger.stop();
  const shards = partitionSplitItems === undefined ? '' : `, ${await shardCount(db, trigger.streamArn)} shards`;
  summary(`loaded (batchSize ${batchSize}${shards}): putItem → handler`, latency.slice(count / 10));
  console.log(`${''.padEnd(44)} ${Math.round(count / seconds)} writes/s delivered, ${(count / batches).toFixed(1)} records/batch`);
}

/** How many shards the stream has (open and closed), following DescribeStream's pages. */
async function shardCount(db: Database, StreamArn: string): Promise<number> {
  let count = 0;
  let start: string | undefined;
  do {
    const { StreamDescription } = (await db.execute('DynamoDBStreams_20120810', 'DescribeStream', {
      StreamArn,
      ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
    })) as { StreamDescription: { Shards: unknown[]; LastEvaluatedShardId?: string } };
    count += StreamDescription.Shards.length;
    start = StreamDescription.LastEvaluatedShardId;
  } while (start !== undefined);
  return count;
}

/** PutItem throughput without a stream, with a stream, and with a stream plus a trigger. */
async function writeCost(count: number): Promise<void> {
  const rate = async (label: string, withStream: boolean, withTrigger: boolean) => {
    const { db, module } = await database(withStream);
    let seen = 0;
    const trigger = withTrigger ? module.onChange('users', (e) => void (seen += e.Records.length)) : undefined;
    for (let i = 0; i < count / 10; i++) await db.putItem({ TableName: 'users', Item: ITEM(i) }); // warm up
    const start = performance.now();
    for (let i = 0; i < count; i++) await db.putItem({ TableName: 'users', Item: ITEM(i + 1) });
    const ms = performance.now() - start;
    await trigger?.drained();
    trigger?.stop();
    console.log(`${label.padEnd(44)} ${Math.round(count / (ms / 1000)).toLocaleString('en-US').padStart(10)} puts/s${withTrigger ? ` (handler saw ${seen})` : ''}`);
  };
  await rate('putItem, no stream', false, false);
  await rate('putItem, stream enabled', true, false);
  await rate('putItem, stream + trigger', true, true);
}

console.log(`node ${process.version}, real clock\n`);
await idleLatency(5000);
await loadedLatency(50_000, 100);
await loadedLatency(50_000, 10);
await loadedLatency(20_000, 100, 250);
console.log();
await writeCost(50_000);
