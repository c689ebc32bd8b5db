/**
 * `pnpm bench`: PutItem, GetItem and UpdateItem on a table of 100,000 items of ~100 bytes, through `db.*` and
 * through the AWS SDK v3 (the in-process request handler alone, and a full DynamoDBClient.send),
 * with ops/s and p50/p99 latency, plus heap bytes per stored item. Then, on a table of 1,000,000 items
 * (50,000 partition keys × 20 sort keys): heap per item, Query of one 20-item collection, a full paged
 * Scan; and PutItem throughput with 0, 1 and 2 GSIs. Query/Scan parts are skipped (with a note) when the
 * build has no Query/Scan.
 *
 * Sizes: BENCH_ITEMS (100,000), BENCH_BIG_ITEMS (1,000,000), BENCH_BIG_SORT_KEYS (20 items per partition
 * key), BENCH_QUERIES (200,000), BENCH_GSI_ITEMS (200,000). A quick run:
 * `BENCH_ITEMS=20000 BENCH_BIG_ITEMS=100000 BENCH_QUERIES=50000 BENCH_GSI_ITEMS=50000 pnpm bench`.
 *
 * Timing lives here, never in the tests. The machine is noisy: compare ratios within one run.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Database, createRequestHandler, type AttributeValue, type Item } from '@magneto/core';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const BIG_ITEMS = Number(process.env.BENCH_BIG_ITEMS ?? 1_000_000);
const BIG_SORT_KEYS = Number(process.env.BENCH_BIG_SORT_KEYS ?? 20);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200_000);
const GSI_ITEMS = Number(process.env.BENCH_GSI_ITEMS ?? 200_000);
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
  // BatchWriteItem: 25 puts overwriting 25 consecutive existing items (target: 20,000 batches/s).
  results.push(
    await measure('db.batchWriteItem (25 puts)', 40_000, (i) => {
      const start = ((next() + i) % Math.max(1, ITEMS - 25));
      const requests = new Array(25);
      for (let k = 0; k < 25; k++) requests[k] = { PutRequest: { Item: itemFor(start + k) } };
      return db.batchWriteItem({ RequestItems: { [TABLE]: requests } });
    }),
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
  // TransactWriteItems: 4 conditional updates of distinct random existing items, all or nothing (target ≥ 25,000 tx/s).
  results.push(
    await measure('db.transactWriteItems (4 updates; condition)', 100_000, () => {
      const first = next() % ITEMS;
      return db.transactWriteItems({
        TransactItems: [0, 1, 2, 3].map((offset) => ({
          Update: {
            TableName: TABLE,
            Key: keyFor((first + offset) % ITEMS),
            UpdateExpression: 'SET visits = visits + :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        })),
      });
    }),
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

// ---------------------------------------------------------------------------------------------------------
// Query and Scan on a big table; GSI cost on PutItem
// ---------------------------------------------------------------------------------------------------------

/** Query/Scan through the direct API, typed loosely so this file compiles (and runs) with or without them. */
interface ReadPage {
  Items?: Item[];
  Count?: number;
  ScannedCount?: number;
  LastEvaluatedKey?: Record<string, AttributeValue>;
}
interface ReadApi {
  query?: (input: Record<string, unknown>) => Promise<ReadPage>;
  scan?: (input: Record<string, unknown>) => Promise<ReadPage>;
}

const BIG_TABLE = 'big';

function bigPartitionKey(p: number): AttributeValue {
  return { S: `part#${p.toString().padStart(7, '0')}` };
}

/** ~100 bytes as DynamoDB counts them (names + values). */
function bigItem(p: number, s: number): Item {
  const i = p * BIG_SORT_KEYS + s;
  return {
    pk: bigPartitionKey(p),
    sk: { N: String(s) },
    name: { S: `name-${i}-abcdefghij` },
    email: { S: `user${i}@example.com` },
    visits: { N: String(i % 1000) },
    active: { BOOL: i % 2 === 0 },
    score: { N: `${i % 97}.5` },
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function queryAndScan(): Promise<void> {
  const partitions = Math.max(1, Math.floor(BIG_ITEMS / BIG_SORT_KEYS));
  const total = partitions * BIG_SORT_KEYS;
  console.log(`\nBig table — ${total.toLocaleString('en')} items (${partitions.toLocaleString('en')} partition keys × ${BIG_SORT_KEYS} sort keys)`);

  const before = heapUsed();
  const db = new Database();
  await db.createTable({
    TableName: BIG_TABLE,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const loadStart = performance.now();
  // Insert in a scattered order, as real traffic would.
  for (let s = 0; s < BIG_SORT_KEYS; s++) {
    for (let p = 0; p < partitions; p++) await db.putItem({ TableName: BIG_TABLE, Item: bigItem(p, s) });
  }
  const loadMs = performance.now() - loadStart;
  const heap = heapUsed() - before;
  console.log(
    `load: ${Math.round(loadMs)} ms (${Math.round((total / loadMs) * 1000).toLocaleString('en')} puts/s); ` +
      `heap: ${mb(heap)} total, ${Math.round(heap / total)} bytes per item (target: < 250 MB at 1,000,000 items)`,
  );

  const api = db as unknown as ReadApi;
  if (typeof api.query !== 'function' || typeof api.scan !== 'function') {
    console.log('Query/Scan: skipped — this build has no db.query / db.scan.');
    return;
  }
  const query = api.query.bind(db);
  const scan = api.scan.bind(db);

  const check = await query({
    TableName: BIG_TABLE,
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': bigPartitionKey(0) },
  });
  if (check.Count !== BIG_SORT_KEYS) throw new Error(`Query returned ${check.Count} items, expected ${BIG_SORT_KEYS}`);

  const next = random(7);
  const results: Result[] = [];
  results.push(
    await measure(`db.query (${BIG_SORT_KEYS} items: pk = :p)`, QUERIES, () =>
      query({
        TableName: BIG_TABLE,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': bigPartitionKey(next() % partitions) },
      }),
    ),
  );
  results.push(
    await measure(`db.query (sk BETWEEN, backwards, Limit 10)`, QUERIES, () =>
      query({
        TableName: BIG_TABLE,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':p': bigPartitionKey(next() % partitions), ':lo': { N: '2' }, ':hi': { N: '17' } },
        ScanIndexForward: false,
        Limit: 10,
      }),
    ),
  );
  console.table(
    results.map((r) => ({ operation: r.name, 'ops/s': r.opsPerSecond.toLocaleString('en'), 'p50 µs': r.p50us, 'p99 µs': r.p99us })),
  );
  console.log('target: ≥ 100,000 queries/s for the 20-item Query');

  // Full Scan, paging until done (each page stops at DynamoDB's 1 MB). Twice: the second is warm.
  for (const run of ['cold', 'warm']) {
    const start = performance.now();
    let items = 0;
    let pages = 0;
    let exclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await scan({ TableName: BIG_TABLE, ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}) });
      items += page.Count ?? 0;
      pages++;
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
    const ms = performance.now() - start;
    if (items !== total) throw new Error(`Scan returned ${items} items, expected ${total}`);
    console.log(
      `full Scan (${run}): ${items.toLocaleString('en')} items in ${pages} pages, ${Math.round(ms)} ms, ` +
        `${Math.round((items / ms) * 1000).toLocaleString('en')} items/s`,
    );
  }
}

/** PutItem throughput (inserts, then overwrites that move every GSI key) with 0, 1 and 2 GSIs (projection ALL). */
async function gsiCost(): Promise<void> {
  const gsiItem = (i: number, round: number): Item => ({
    ...itemFor(i),
    cat: { S: `cat#${(i + round) % 100}` },
    rank: { N: String((i * 7 + round) % 1000) },
  });
  const gsis = [
    {
      IndexName: 'byCat',
      KeySchema: [
        { AttributeName: 'cat', KeyType: 'HASH' },
        { AttributeName: 'rank', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    { IndexName: 'byEmail', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
  ] as const;
  const create = async (count: number): Promise<Database> => {
    const db = new Database();
    await db.createTable({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        ...(count >= 1
          ? [
              { AttributeName: 'cat', AttributeType: 'S' },
              { AttributeName: 'rank', AttributeType: 'N' },
            ]
          : []),
        ...(count >= 2 ? [{ AttributeName: 'email', AttributeType: 'S' }] : []),
      ],
      BillingMode: 'PAY_PER_REQUEST',
      ...(count > 0 ? { GlobalSecondaryIndexes: gsis.slice(0, count).map((g) => ({ ...g, KeySchema: [...g.KeySchema] })) } : {}),
    } as Parameters<Database['createTable']>[0]);
    return db;
  };
  let indexesSupported = true;
  try {
    const probe = await create(1);
    await probe.putItem({ TableName: TABLE, Item: gsiItem(0, 0) });
  } catch (error) {
    indexesSupported = false;
    console.log(`\nGSI cost: skipped — this build cannot create a table with a GSI (${(error as Error).message})`);
  }
  if (!indexesSupported) return;

  const rows: Array<Record<string, string>> = [];
  const baseline: number[] = [];
  for (const count of [0, 1, 2]) {
    // Warm-up on a throwaway table, so every configuration runs JIT-compiled.
    const warm = await create(count);
    for (let i = 0; i < 20_000; i++) await warm.putItem({ TableName: TABLE, Item: gsiItem(i, 0) });
    const db = await create(count);
    let start = performance.now();
    for (let i = 0; i < GSI_ITEMS; i++) await db.putItem({ TableName: TABLE, Item: gsiItem(i, 0) });
    const insert = (GSI_ITEMS / (performance.now() - start)) * 1000;
    start = performance.now();
    for (let i = 0; i < GSI_ITEMS; i++) await db.putItem({ TableName: TABLE, Item: gsiItem(i, 1) });
    const overwrite = (GSI_ITEMS / (performance.now() - start)) * 1000;
    if (count === 0) baseline.push(insert, overwrite);
    rows.push({
      GSIs: String(count),
      'insert puts/s': Math.round(insert).toLocaleString('en'),
      'insert vs 0 GSIs': `${Math.round((insert / baseline[0]!) * 100)}%`,
      'overwrite puts/s (byCat key moves)': Math.round(overwrite).toLocaleString('en'),
      'overwrite vs 0 GSIs': `${Math.round((overwrite / baseline[1]!) * 100)}%`,
    });
  }
  console.log(`\nPutItem with 0, 1, 2 GSIs (projection ALL) — ${GSI_ITEMS.toLocaleString('en')} items`);
  console.table(rows);
}

await main();
await queryAndScan();
await gsiCost();
