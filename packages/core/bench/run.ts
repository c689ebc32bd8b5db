/**
 * `pnpm bench`: PutItem, GetItem and UpdateItem on a table of 100,000 items of ~100 bytes, through `db.*` and
 * through the AWS SDK v3 (the in-process request handler alone, and a full DynamoDBClient.send),
 * with ops/s and p50/p99 latency, plus heap bytes per stored item.
 *
 * Timing lives here, never in the tests. The machine is noisy: compare ratios within one run.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Database, createRequestHandler, type Item } from '@magneto/core';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const TABLE = 'bench';

function itemFor(i: number): Item {
  // ~100 bytes as DynamoDB counts them.
  return {
    pk: { S: `user#${i.toString().padStart(8, '0')}` },
    name: { S: `name-${i}-abcdefghij` },
    email: { S: `user${i}@example.com` },
    visits: { N: String(i % 1000) },
    active: { BOOL: i % 2 === 0 },
    score: { N: `${i % 97}.5` },
  };
}

function keyFor(i: number) {
  return { pk: { S: `user#${i.toString().padStart(8, '0')}` } };
}

async function createDatabase(): Promise<Database> {
  const db = new Database();
  await db.createTable({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return db;
}

interface Result {
  name: string;
  ops: number;
  opsPerSecond: number;
  p50us: number;
  p99us: number;
}

/**
 * Runs `op(i)` `count` times sequentially (each awaited): once untimed for throughput, then again
 * timing every call for the latency percentiles (timing each call costs ~0.1 µs of its own).
 */
async function measure(name: string, count: number, op: (i: number) => Promise<unknown>): Promise<Result> {
  for (let i = 0; i < Math.min(count, 20_000); i++) await op(i); // warm up the JIT
  const start = performance.now();
  for (let i = 0; i < count; i++) await op(i);
  const elapsedMs = performance.now() - start;
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  samples.sort();
  return {
    name,
    ops: count,
    opsPerSecond: Math.round((count / elapsedMs) * 1000),
    p50us: round(samples[Math.floor(count * 0.5)]!),
    p99us: round(samples[Math.floor(count * 0.99)]!),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed;
};

async function main(): Promise<void> {
  const results: Result[] = [];

  // Heap per item: a fresh database loaded with ITEMS items.
  const before = heapUsed();
  const db = await createDatabase();
  for (let i = 0; i < ITEMS; i++) await db.putItem({ TableName: TABLE, Item: itemFor(i) });
  const heapPerItem = Math.round((heapUsed() - before) / ITEMS);

  const next = random(42);
  // Direct API: gets of random existing keys, puts overwriting random existing keys (table stays at ITEMS).
  results.push(
    await measure('db.getItem', 300_000, () => db.getItem({ TableName: TABLE, Key: keyFor(next() % ITEMS) })),
  );
  results.push(
    await measure('db.putItem (overwrite)', 200_000, (i) =>
      db.putItem({ TableName: TABLE, Item: itemFor((next() + i) % ITEMS) }),
    ),
  );
  // UpdateItem: a 3-action SET/ADD expression and a condition, on random existing items.
  results.push(
    await measure('db.updateItem (SET, SET +, ADD; condition)', 200_000, () =>
      db.updateItem({
        TableName: TABLE,
        Key: keyFor(next() % ITEMS),
        UpdateExpression: 'SET #name = :name, visits = visits + :one ADD score :half',
        ConditionExpression: 'attribute_exists(pk) AND visits >= :zero',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': { S: 'renamed' }, ':one': { N: '1' }, ':half': { N: '0.5' }, ':zero': { N: '0' } },
      }),
    ),
  );
  const fresh = await createDatabase();
  results.push(
    await measure('db.putItem (insert into a growing table)', ITEMS, (i) => fresh.putItem({ TableName: TABLE, Item: itemFor(i) })),
  );

  // The in-process SDK handler alone: JSON 1.0 decode, dispatch, encode.
  const handler = createRequestHandler(db);
  const encoder = new TextEncoder();
  results.push(
    await measure('handler GetItem (JSON 1.0)', 100_000, () =>
      handler.handle({
        headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' },
        body: encoder.encode(JSON.stringify({ TableName: TABLE, Key: keyFor(next() % ITEMS) })),
      }),
    ),
  );
  results.push(
    await measure('handler PutItem (JSON 1.0)', 100_000, () =>
      handler.handle({
        headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem' },
        body: encoder.encode(JSON.stringify({ TableName: TABLE, Item: itemFor(next() % ITEMS) })),
      }),
    ),
  );

  // Unchanged SDK code: DynamoDBClient.send through its whole middleware stack.
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: createRequestHandler(db),
  });
  results.push(
    await measure('SDK client.send(GetItemCommand)', 20_000, () =>
      client.send(new GetItemCommand({ TableName: TABLE, Key: keyFor(next() % ITEMS) })),
    ),
  );
  results.push(
    await measure('SDK client.send(PutItemCommand)', 20_000, () =>
      client.send(new PutItemCommand({ TableName: TABLE, Item: itemFor(next() % ITEMS) })),
    ),
  );

  console.log(`Magneto benchmark — ${ITEMS.toLocaleString('en')} items of ~100 bytes, Node ${process.version}`);
  console.table(
    results.map((r) => ({ operation: r.name, 'ops/s': r.opsPerSecond.toLocaleString('en'), 'p50 µs': r.p50us, 'p99 µs': r.p99us })),
  );
  console.log(`heap per stored item: ${heapPerItem} bytes`);
}

await main();
