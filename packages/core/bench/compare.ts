/**
 * `node --import tsx packages/core/bench/compare.ts <other core dist/index.js>`: GetItem, PutItem and
 * Query(20) of this build against another build of core (e.g. `node scripts/bench-baseline.mjs`, the
 * object layout before compact item storage), in one process, alternating rounds, so the two are compared
 * under the same machine noise. Prints the median CPU µs per operation of each (process.cpuUsage: on a
 * loaded machine wall time mostly measures waiting) and their ratio; BENCH_OPERATIONS picks some of them.
 * The plain operations read a 40,000-item table over and over (its items stay in the decoded-item cache);
 * the "cold" ones read random keys of a table of BENCH_COLD_ITEMS items (400,000; 0 skips them), so most
 * items read were not read recently and are decoded. With `--expose-gc`, first the heap each build takes
 * per item after a full GC, on BENCH_HEAP_ITEMS items of ~100 bytes (100,000; 0 skips it): e.g. this
 * build's encoded storage beside an older build's object layout. `pnpm bench` runs it against 635e2f1.
 */
import { pathToFileURL } from 'node:url';

type Db = {
  createTable(input: unknown): Promise<unknown>;
  putItem(input: unknown): Promise<unknown>;
  updateItem(input: unknown): Promise<unknown>;
  deleteItem(input: unknown): Promise<unknown>;
  getItem(input: unknown): Promise<unknown>;
  query(input: unknown): Promise<unknown>;
  scan(input: unknown): Promise<unknown>;
};
type Core = { Database: new () => Db };

const other = process.argv[2];
if (!other) throw new Error('usage: compare.ts <path to another core dist/index.js>');
const builds: Array<[string, Core]> = [
  ['this', (await import(new URL('../dist/index.js', import.meta.url).href)) as Core],
  ['other', (await import(pathToFileURL(other).href)) as Core],
];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const OPS = Number(process.env.BENCH_OPS ?? 50_000);
const PARTITIONS = 2_000;

async function prepare(core: Core): Promise<Db> {
  const db = new core.Database();
  await db.createTable({
    TableName: 'bench',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let p = 0; p < PARTITIONS; p++) {
    for (let s = 0; s < 20; s++) await db.putItem({ TableName: 'bench', Item: item(p, s) });
  }
  if (COLD_ITEMS > 0 && Object.keys(operations).some((name) => name in coldOperations)) {
    await db.createTable({
      TableName: 'cold',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let p = 0; p < COLD_PARTITIONS; p++) {
      for (let s = 0; s < 20; s++) await db.putItem({ TableName: 'cold', Item: item(p, s) });
    }
  }
  return db;
}

function item(p: number, s: number) {
  return { pk: { S: `user#${p}` }, sk: { N: String(s) }, name: { S: `name-${p}-${s}-abcdefghij` }, visits: { N: String(s * 7) }, active: { BOOL: s % 2 === 0 } };
}

const allOperations: Record<string, (db: Db, i: number) => Promise<unknown>> = {
  GetItem: (db, i) => db.getItem({ TableName: 'bench', Key: { pk: { S: `user#${i % PARTITIONS}` }, sk: { N: String(i % 20) } } }),
  PutItem: (db, i) => db.putItem({ TableName: 'bench', Item: item(i % PARTITIONS, i % 20) }),
  'Query(20)': (db, i) => db.query({ TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `user#${i % PARTITIONS}` } } }),
  'GetItem projection': (db, i) => db.getItem({ TableName: 'bench', Key: { pk: { S: `user#${i % PARTITIONS}` }, sk: { N: String(i % 20) } }, ProjectionExpression: 'sk, visits' }),
  'Query(20) projection': (db, i) =>
    db.query({ TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `user#${i % PARTITIONS}` } }, ProjectionExpression: 'sk, #v', ExpressionAttributeNames: { '#v': 'visits' } }),
  UpdateItem: (db, i) =>
    db.updateItem({ TableName: 'bench', Key: { pk: { S: `user#${i % PARTITIONS}` }, sk: { N: String(i % 20) } }, UpdateExpression: 'SET visits = visits + :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': { N: '1' } } }),
  // Keys never written: the condition holds and nothing is deleted, so every round does the same work.
  DeleteItem: (db, i) =>
    db.deleteItem({ TableName: 'bench', Key: { pk: { S: `user#${i % PARTITIONS}` }, sk: { N: String(100 + (i % 20)) } }, ConditionExpression: 'attribute_not_exists(#n)', ExpressionAttributeNames: { '#n': 'name' } }),
  'Scan(20) filter+projection': (db, i) =>
    db.scan({ TableName: 'bench', Limit: 20, ExclusiveStartKey: { pk: { S: `user#${i % PARTITIONS}` }, sk: { N: '0' } }, FilterExpression: 'visits >= :v', ProjectionExpression: 'pk, sk, #n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':v': { N: '7' } } }),
};

const COLD_ITEMS = Number(process.env.BENCH_COLD_ITEMS ?? 400_000);
const COLD_PARTITIONS = Math.max(1, Math.floor(COLD_ITEMS / 20));
/** A pseudo-random partition of the cold table for the i-th operation (the same sequence for both builds). */
const coldPartition = (i: number) => (Math.imul(i + 1, 0x9e3779b1) >>> 0) % COLD_PARTITIONS;
const coldOperations: Record<string, (db: Db, i: number) => Promise<unknown>> = {
  'GetItem cold': (db, i) => db.getItem({ TableName: 'cold', Key: { pk: { S: `user#${coldPartition(i)}` }, sk: { N: String((i >>> 3) % 20) } } }),
  'Query(20) cold': (db, i) => db.query({ TableName: 'cold', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `user#${coldPartition(i)}` } } }),
  'Query(20) cold reversed': (db, i) =>
    db.query({ TableName: 'cold', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `user#${coldPartition(i)}` } }, ScanIndexForward: false }),
  'Query(20) cold projected': (db, i) =>
    db.query({ TableName: 'cold', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `user#${coldPartition(i)}` } }, ProjectionExpression: 'sk, visits' }),
  'Scan(20) cold': (db, i) => db.scan({ TableName: 'cold', Limit: 20, ExclusiveStartKey: { pk: { S: `user#${coldPartition(i)}` }, sk: { N: '0' } } }),
};
if (COLD_ITEMS > 0) Object.assign(allOperations, coldOperations);

// BENCH_OPERATIONS (comma-separated names, e.g. "Query(20),Query(20) cold projected") times only those.
const only = process.env.BENCH_OPERATIONS?.split(',');
const operations = Object.fromEntries(Object.entries(allOperations).filter(([name]) => only === undefined || only.includes(name)));

const HEAP_ITEMS = Number(process.env.BENCH_HEAP_ITEMS ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc !== undefined && HEAP_ITEMS > 0) {
  for (const [name, core] of builds) {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const db = new core.Database();
    await db.createTable({
      TableName: 'heap',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < HEAP_ITEMS; i++) await db.putItem({ TableName: 'heap', Item: heapItem(Math.floor(i / 20), i % 20) });
    gc();
    gc();
    const perItem = (process.memoryUsage().heapUsed - before) / HEAP_ITEMS;
    console.log(`heap     ${name.padEnd(5)} ${Math.round(perItem)} bytes per item (${HEAP_ITEMS.toLocaleString('en')} items, after a full GC)`);
    (globalThis as { keep?: unknown }).keep = db;
  }
  (globalThis as { keep?: unknown }).keep = undefined;
}

/** ~100 bytes as DynamoDB counts them: a string partition key, a number sort key, five attributes. */
function heapItem(p: number, s: number) {
  const i = p * 20 + s;
  return {
    pk: { S: `part#${p.toString().padStart(7, '0')}` },
    sk: { N: String(s) },
    name: { S: `name-${i}-abcdefghij` },
    email: { S: `user${i}@example.com` },
    visits: { N: String(i % 1000) },
    active: { BOOL: i % 2 === 0 },
    score: { N: `${i % 97}.5` },
  };
}

const dbs = await Promise.all(builds.map(async ([name, core]) => [name, await prepare(core)] as const));
const samples: Record<string, Record<string, number[]>> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [opName, op] of Object.entries(operations)) {
    for (const [name, db] of round % 2 === 0 ? dbs : [...dbs].reverse()) {
      const count = opName.startsWith('Query') || opName.startsWith('Scan') ? OPS / 5 : OPS;
      const start = process.cpuUsage();
      for (let i = 0; i < count; i++) await op(db, i);
      const used = process.cpuUsage(start);
      ((samples[opName] ??= {})[name] ??= []).push((used.user + used.system) / count);
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [opName, byBuild] of Object.entries(samples)) {
  const a = median(byBuild.this!);
  const b = median(byBuild.other!);
  console.log(`${opName.padEnd(26)} this ${a.toFixed(2)} µs   other ${b.toFixed(2)} µs   this/other ${(a / b).toFixed(2)}`);
}
