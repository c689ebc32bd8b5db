/**
 * `pnpm bench` (after the other benches): what @magneto/testing costs a test suite.
 *
 * 1. AWS SDK calls per second through an unchanged `DynamoDBClient.send` and `DynamoDBDocumentClient.send`:
 *    served by `serveInProcess(client, db)` (the fast path) and by `createRequestHandler(db)` (the full wire
 *    path: serialization, endpoint, signing, JSON both ways). GetItem and PutItem on a 1,000-item table,
 *    one call at a time (as a test awaits each).
 * 2. Savepoint and rollback of a database of BENCH_TESTING_ITEMS items (100,000): the time of
 *    `db.savepoint()` (median of 21) and of `db.rollback(savepoint)` after 0, 1, 25 and 10,000 writes
 *    (median of 11).
 *
 * 3. `startTestServer` (the vitest globalSetup / jest preset): start to the first answered SDK call, median of 5.
 *
 * Sizes: BENCH_TESTING_MS (time per measurement, 1500), BENCH_TESTING_ITEMS (100000). The machine is noisy:
 * compare ratios within one run.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createRequestHandler, Database } from '@magneto/core';
import { serveInProcess, startTestServer, stopTestServer } from '@magneto/testing';

const MS = Number(process.env.BENCH_TESTING_MS ?? 1500);
const ITEMS = Number(process.env.BENCH_TESTING_ITEMS ?? 100_000);
const TABLE = 'bench';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function table(db: Database, items: number): Promise<void> {
  await db.createTable({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (let i = 0; i < items; i++) await db.putItem({ TableName: TABLE, Item: { pk: { S: `k${i}` }, n: { N: String(i) }, s: { S: 'x'.repeat(40) } } });
}

/**
 * Calls per second of `call`, run back to back for MS: per wall-clock second, and per second of this
 * process's CPU time (steadier on a shared machine, where other processes take turns on the cores).
 */
async function rate(call: (i: number) => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 500; i++) await call(i);
  let n = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < MS) {
    for (let j = 0; j < 100; j++) await call(n++);
  }
  const used = process.cpuUsage(cpu);
  const wall = n / ((performance.now() - start) / 1000);
  return `${Math.round(wall)} (${Math.round(n / ((used.user + used.system) / 1e6))} per CPU-s)`;
}

async function sdkRates(): Promise<void> {
  const rows: Array<[string, string, string]> = [];
  for (const fast of [true, false]) {
    const db = new Database();
    await table(db, 1000);
    const base = new DynamoDBClient({ region: 'us-east-1', credentials, ...(fast ? {} : { requestHandler: createRequestHandler(db) }) });
    const client = fast ? serveInProcess(base, db) : base;
    const docs = DynamoDBDocumentClient.from(client);
    const label = fast ? 'serveInProcess' : 'createRequestHandler';
    rows.push([`${label} DynamoDBClient`, await rate((i) => client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `k${i % 1000}` } } }))), await rate((i) => client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `k${i % 1000}` }, n: { N: String(i) } } })))]);
    rows.push([`${label} DocumentClient`, await rate((i) => docs.send(new GetCommand({ TableName: TABLE, Key: { pk: `k${i % 1000}` } }))), await rate((i) => docs.send(new PutCommand({ TableName: TABLE, Item: { pk: `k${i % 1000}`, n: i } })))]);
  }
  console.log('\nSDK calls/s, one at a time');
  console.table(rows.map(([path, get, put]) => ({ path, 'GetItem/s': get, 'PutItem/s': put })));
}

/** The median of `samples` runs of `measure`, in ms. */
function median(samples: number, measure: () => number): number {
  const times = Array.from({ length: samples }, measure).sort((a, b) => a - b);
  return times[Math.floor(samples / 2)]!;
}

async function savepoints(): Promise<void> {
  const db = new Database();
  await table(db, ITEMS);
  const saveMs = median(21, () => {
    const start = performance.now();
    db.savepoint();
    return performance.now() - start;
  });
  const fixture = db.savepoint();
  // Rollback swaps each storage's saved B+ trees back in: its time should not follow the writes made since.
  const rollbackRows: Array<{ step: string; ms: string; 'CPU ms': string }> = [];
  for (const writes of [0, 1, 25, 10_000]) {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let round = 0; round < 11; round++) {
      // Replaced, inserted and deleted items, spread over the table.
      for (let i = 0; i < writes; i++) {
        const kind = i % 5;
        if (kind < 3) await db.putItem({ TableName: TABLE, Item: { pk: { S: `k${(i * 7919) % ITEMS}` }, n: { N: '-1' } } });
        else if (kind === 3) await db.putItem({ TableName: TABLE, Item: { pk: { S: `new${i}` } } });
        else await db.deleteItem({ TableName: TABLE, Key: { pk: { S: `k${(i * 104_729) % ITEMS}` } } });
      }
      const start = performance.now();
      const cpu = process.cpuUsage();
      db.rollback(fixture);
      const used = process.cpuUsage(cpu);
      times.push(performance.now() - start);
      cpuTimes.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    rollbackRows.push({ step: `db.rollback() after ${writes.toLocaleString('en-US')} writes`, ms: times[5]!.toFixed(4), 'CPU ms': cpuTimes[5]!.toFixed(3) });
  }
  const resetMs = median(1, () => {
    const start = performance.now();
    db.reset();
    return performance.now() - start;
  });
  // CPU time as well as wall clock: on a loaded machine the wall clock mostly measures waiting for a core.
  console.log(`\nSavepoints of a ${ITEMS.toLocaleString('en-US')}-item table (savepoint: median of 21; rollback: median of 11, ms)`);
  console.table([{ step: 'db.savepoint()', ms: saveMs.toFixed(4) }, ...rollbackRows, { step: 'db.reset()', ms: resetMs.toFixed(4) }]);
}

async function serverStarts(): Promise<void> {
  const saved = { ...process.env };
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await startTestServer({});
    await new DynamoDBClient({}).send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'k' } } })).catch(() => undefined);
    times.push(performance.now() - start);
    await stopTestServer();
    process.env = { ...saved };
  }
  times.sort((a, b) => a - b);
  console.log(`\nstartTestServer (magneto serve in the runner) to the first answer: ${times[2]!.toFixed(1)} ms (median of 5)`);
}

// BENCH_TESTING_ONLY=sdk|savepoints|server runs one part.
const only = process.env.BENCH_TESTING_ONLY;
if (only === undefined || only === 'sdk') await sdkRates();
if (only === undefined || only === 'savepoints') await savepoints();
if (only === undefined || only === 'server') await serverStarts();
