/**
 * `pnpm bench:dax` (run by `pnpm bench`): what the DAX-style accelerator buys.
 *
 *  1. In front of an AWS SDK v3 DynamoDBClient talking to `magneto serve` over HTTP (a child process on
 *     127.0.0.1): an item-cache hit against the same GetItem uncached (serialize, sign, round trip). The
 *     issue's bar: the hit at least 20× faster.
 *  2. In front of a Database: a hit of `dax(db).getItem` against `db.getItem` itself. The bar: no slower.
 *  3. In front of an in-process SDK client (createRequestHandler): a hit against the uncached call.
 *  4. Memory per cached item: heap growth per entry after filling the item cache, beside the accelerator's
 *     own estimate (EstimatedDbSize / entries). Needs `node --expose-gc`.
 *
 * Rounds alternate the two sides of each comparison so the machine's noise falls on both; medians of
 * BENCH_DAX_ROUNDS (5) rounds of BENCH_DAX_MS (400) ms each. Needs the built CLI (`npm run build`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database, type Item } from '@magneto/core';
import { dax } from '../src/index.js';

const MS = Number(process.env.BENCH_DAX_MS ?? 400);
const ROUNDS = Number(process.env.BENCH_DAX_ROUNDS ?? 5);
const MEMORY_ITEMS = Number(process.env.BENCH_DAX_ITEMS ?? 20_000);
const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));
const TABLE = {
  TableName: 'bench',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A ~100-byte item. */
function itemFor(i: number): Item {
  return { id: { S: `user-${i}` }, name: { S: `name ${i}` }, email: { S: `user${i}@example.com` }, visits: { N: String(i % 1000) }, active: { BOOL: i % 2 === 0 } };
}
const key = (i: number) => ({ id: { S: `user-${i}` } });

/**
 * Median µs per call of each side, over rounds that alternate them: wall-clock time (what a caller waits,
 * the round trip included) and this process's CPU time (what the call costs here, which the other
 * processes of a shared machine disturb much less).
 */
async function compare(sides: Record<string, () => Promise<unknown>>): Promise<Record<string, { wall: number; cpu: number }>> {
  const samples: Record<string, { wall: number[]; cpu: number[] }> = Object.fromEntries(Object.keys(sides).map((name) => [name, { wall: [], cpu: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of Object.entries(sides)) {
      let calls = 0;
      const cpu = process.cpuUsage();
      const start = performance.now();
      let now = start;
      while (now - start < MS) {
        for (let i = 0; i < 16; i++) await call();
        calls += 16;
        now = performance.now();
      }
      const used = process.cpuUsage(cpu);
      samples[name]!.wall.push(((now - start) * 1000) / calls);
      samples[name]!.cpu.push((used.user + used.system) / calls);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return Object.fromEntries(Object.entries(samples).map(([name, { wall, cpu }]) => [name, { wall: median(wall), cpu: median(cpu) }]));
}

const fmt = (us: number) => (us < 10 ? us.toFixed(2) : us.toFixed(1));

async function overHttp(): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /serving DynamoDB at (http:\/\/\S+)/.exec(out);
        if (found) resolve(found[1]!);
      });
      child.on('exit', (code) => reject(new Error(`magneto serve exited with ${code}; run npm run build first`)));
    });
    const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials });
    await client.send(new CreateTableCommand(TABLE));
    for (let i = 0; i < 100; i++) await client.send(new PutItemCommand({ TableName: 'bench', Item: itemFor(i) }));
    const cached = dax(client);
    await cached.send(new GetItemCommand({ TableName: 'bench', Key: key(7) }));
    const result = await compare({
      uncached: () => client.send(new GetItemCommand({ TableName: 'bench', Key: key(7) })),
      hit: () => cached.send(new GetItemCommand({ TableName: 'bench', Key: key(7) })),
    });
    const speedup = result.uncached!.wall / result.hit!.wall;
    console.log(
      `SDK client → magneto serve over HTTP: GetItem uncached ${fmt(result.uncached!.wall)} µs, item-cache hit ${fmt(result.hit!.wall)} µs (wall; ` +
        `client CPU ${fmt(result.uncached!.cpu)} / ${fmt(result.hit!.cpu)} µs): ${speedup.toFixed(0)}× (bar: ≥ 20×) ${speedup >= 20 ? 'PASS' : 'FAIL'}`,
    );
    client.destroy();
  } finally {
    child.kill();
  }
}

async function inFrontOfDatabase(): Promise<void> {
  const db = new Database();
  await db.createTable(TABLE);
  for (let i = 0; i < 1000; i++) await db.putItem({ TableName: 'bench', Item: itemFor(i) });
  const cached = dax(db);
  // The same requests both sides, all cached first: every accelerated call is a hit.
  const requests = Array.from({ length: 1000 }, (_, k) => ({ TableName: 'bench', Key: key(k) }));
  for (const request of requests) await cached.getItem(request);
  let i = 0;
  const result = await compare({
    direct: () => db.getItem(requests[i++ % 1000]!),
    hit: () => cached.getItem(requests[i++ % 1000]!),
  });
  const ratio = result.hit!.cpu / result.direct!.cpu;
  console.log(
    `Database: db.getItem ${fmt(result.direct!.cpu)} µs, dax(db).getItem hit ${fmt(result.hit!.cpu)} µs (CPU; wall ${fmt(result.direct!.wall)} / ${fmt(result.hit!.wall)} µs): ` +
      `hit/direct ${ratio.toFixed(2)} (bar: ≤ 1) ${ratio <= 1 ? 'PASS' : 'FAIL'}`,
  );

  const client = new DynamoDBClient({ region: 'us-east-1', credentials, requestHandler: createRequestHandler(db) });
  const cachedClient = dax(client);
  await cachedClient.send(new GetItemCommand({ TableName: 'bench', Key: key(7) }));
  const sdk = await compare({
    uncached: () => client.send(new GetItemCommand({ TableName: 'bench', Key: key(7) })),
    hit: () => cachedClient.send(new GetItemCommand({ TableName: 'bench', Key: key(7) })),
  });
  console.log(`SDK client, in-process (createRequestHandler): GetItem uncached ${fmt(sdk.uncached!.cpu)} µs, hit ${fmt(sdk.hit!.cpu)} µs (CPU): ${(sdk.uncached!.cpu / sdk.hit!.cpu).toFixed(1)}×`);
}

async function memoryPerItem(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return void console.log('memory per cached item: skipped (run node with --expose-gc)');
  const db = new Database();
  await db.createTable(TABLE);
  for (let i = 0; i < MEMORY_ITEMS; i++) await db.putItem({ TableName: 'bench', Item: itemFor(i) });
  const cached = dax(db);
  gc();
  const before = process.memoryUsage().heapUsed;
  // Misses: each stores the Database's own frozen item (shared with the table's copy, as a reference).
  for (let i = 0; i < MEMORY_ITEMS; i++) await cached.getItem({ TableName: 'bench', Key: key(i) });
  gc();
  const afterReads = process.memoryUsage().heapUsed;
  // Write-through: each stores its own copy of the written item.
  for (let i = 0; i < MEMORY_ITEMS; i++) await cached.putItem({ TableName: 'bench', Item: itemFor(i) });
  gc();
  const afterWrites = process.memoryUsage().heapUsed;
  const { itemCache } = cached.stats();
  console.log(
    `memory per cached item (${MEMORY_ITEMS} items of ~100 bytes): ${((afterReads - before) / MEMORY_ITEMS).toFixed(0)} bytes of heap after reads, ` +
      `${((afterWrites - before) / MEMORY_ITEMS).toFixed(0)} after writes through (own copies); ` +
      `counted against the budget: ${(itemCache.EstimatedDbSize / itemCache.Entries).toFixed(0)} bytes per entry`,
  );
}

console.log(`DAX-style accelerator (@magneto/dax), medians of ${ROUNDS} rounds of ${MS} ms:`);
await inFrontOfDatabase();
await overHttp();
await memoryPerItem();
