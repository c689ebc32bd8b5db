/**
 * `pnpm bench` (after the other benches): what @magneto/testing costs a test suite.
 *
 * 1. AWS SDK calls per CPU-second through an unchanged `DynamoDBClient.send` and `DynamoDBDocumentClient.send`:
 *    served by `serveInProcess(client, db)` (the fast path) and by `createRequestHandler(db)` (the full wire
 *    path: serialization, endpoint, signing, JSON both ways), against the floor: the same clients answering
 *    a canned output with no database (see sdkRates). GetItem and PutItem on a 1,000-item table, one call at
 *    a time (as a test awaits each), in alternating rounds.
 * 2. Savepoint and rollback of a database of BENCH_TESTING_ITEMS items (100,000) in one table with a GSI and
 *    TTL: alone, with a stream, with an LSI (an item collection per item) and as a global table with a replica
 *    in a second region: the CPU time of `db.savepoint()` (median of 21), of `db.rollback(savepoint)` after 0,
 *    10, 1,000 and 10,000 writes (median of 11), of the first write after it and of `db.reset()`.
 *
 * 3. `startTestServer` (the vitest globalSetup / jest preset): start to the first answered SDK call, median of 5.
 *
 * Sizes: BENCH_TESTING_ROUNDS (7) × BENCH_TESTING_CALLS (3000) per SDK measurement, BENCH_TESTING_ITEMS
 * (100000). The machine is noisy: compare ratios within one run.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createRequestHandler, Database, ManualClock, ttl, type CreateTableInput } from '@magneto/core';
import { globalTables, InProcessNetwork } from '@magneto/global-tables';
import { streams } from '@magneto/streams';
import { serveInProcess, startTestServer, stopTestServer } from '@magneto/testing';

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

/** Calls of `call` per second of this process's CPU time, over `n` calls (the machine is shared: wall time measures waiting). */
async function cpuRate(call: (i: number) => Promise<unknown>, n: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) await call(i);
  const used = process.cpuUsage(cpu);
  return n / ((used.user + used.system) / 1e6);
}

/** A client's deserialize step answering `output` at once: the SDK's own cost, with no database behind it. */
function cannedAnswer(client: DynamoDBClient, output: Record<string, unknown>): void {
  const answer = { response: { statusCode: 200, headers: {} }, output };
  client.middlewareStack.add(() => async () => ({ ...answer, output: { ...answer.output, $metadata: { httpStatusCode: 200 } } }), { step: 'deserialize', name: 'deserializerMiddleware', tags: ['DESERIALIZER'], override: true });
}

/**
 * GetItem and PutItem per CPU-second through unchanged `send`, in alternating rounds (median of ROUNDS):
 * the floor — the same clients answering a canned output at the deserialize step, so no database runs —
 * of a plain DynamoDBClient (the SDK's whole cost: serialization, endpoint, signing) and of one served by
 * serveInProcess (what the SDK still costs on the fast path), then serveInProcess with the database behind
 * it, and the full wire path (createRequestHandler). Each DocumentClient is `from` the client of its row.
 */
async function sdkRates(): Promise<void> {
  const ROUNDS = Number(process.env.BENCH_TESTING_ROUNDS ?? 7);
  const CALLS = Number(process.env.BENCH_TESTING_CALLS ?? 3000);
  const db = new Database();
  await table(db, 1000);
  const item = { pk: { S: 'k1' }, n: { N: '1' }, s: { S: 'x'.repeat(40) } };
  const make = (kind: 'sdk floor' | 'fast-path floor' | 'serveInProcess' | 'createRequestHandler', operation: 'get' | 'put') => {
    const client = new DynamoDBClient({ region: 'us-east-1', credentials, ...(kind === 'createRequestHandler' ? { requestHandler: createRequestHandler(db) } : {}) });
    if (kind === 'fast-path floor' || kind === 'serveInProcess') serveInProcess(client, db);
    if (kind === 'sdk floor' || kind === 'fast-path floor') cannedAnswer(client, operation === 'get' ? { Item: item } : {});
    return client;
  };
  const kinds = ['sdk floor', 'fast-path floor', 'serveInProcess', 'createRequestHandler'] as const;
  const calls = kinds.flatMap((kind) => {
    const getClient = make(kind, 'get');
    const putClient = make(kind, 'put');
    const getDocs = DynamoDBDocumentClient.from(getClient);
    const putDocs = DynamoDBDocumentClient.from(putClient);
    // The wire path is ~10× slower: fewer calls keep its rounds as long as the others'.
    const n = kind === 'createRequestHandler' ? Math.ceil(CALLS / 10) : CALLS;
    return [
      { row: `${kind} DynamoDBClient`, column: 'GetItem', n, call: (i: number) => getClient.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `k${i % 1000}` } } })) },
      { row: `${kind} DynamoDBClient`, column: 'PutItem', n, call: (i: number) => putClient.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `k${i % 1000}` }, n: { N: String(i) } } })) },
      { row: `${kind} DocumentClient`, column: 'GetItem', n, call: (i: number) => getDocs.send(new GetCommand({ TableName: TABLE, Key: { pk: `k${i % 1000}` } })) },
      { row: `${kind} DocumentClient`, column: 'PutItem', n, call: (i: number) => putDocs.send(new PutCommand({ TableName: TABLE, Item: { pk: `k${i % 1000}`, n: i } })) },
    ];
  });
  for (const { call, n } of calls) await cpuRate(call, Math.min(n, 500)); // warm-up
  const rates = calls.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let c = 0; c < calls.length; c++) rates[c]!.push(await cpuRate(calls[c]!.call, calls[c]!.n));
  }
  const medians = rates.map((r) => r.sort((a, b) => a - b)[Math.floor(r.length / 2)]!);
  const rows = new Map<string, Record<string, string>>();
  calls.forEach(({ row, column }, c) => {
    const entry = rows.get(row) ?? { path: row };
    entry[`${column}/CPU-s`] = Math.round(medians[c]!).toLocaleString('en-US');
    rows.set(row, entry);
  });
  console.log(`\nSDK calls per CPU-second, one at a time (median of ${ROUNDS} alternating rounds of ${CALLS} calls)`);
  console.table([...rows.values()]);
  // serveInProcess ÷ its floor: the share of each call that is Magneto's (1.0 would be free).
  const at = (row: string, column: string) => medians[calls.findIndex((c) => c.row === row && c.column === column)]!;
  const ratios = ['DynamoDBClient', 'DocumentClient'].map((client) => ({
    client,
    'GetItem Magneto ÷ floor': (at(`serveInProcess ${client}`, 'GetItem') / at(`fast-path floor ${client}`, 'GetItem')).toFixed(2),
    'PutItem Magneto ÷ floor': (at(`serveInProcess ${client}`, 'PutItem') / at(`fast-path floor ${client}`, 'PutItem')).toFixed(2),
  }));
  console.table(ratios);
}

/** The median of `samples` runs of `measure`, in ms. */
function median(samples: number, measure: () => number): number {
  const times = Array.from({ length: samples }, measure).sort((a, b) => a - b);
  return times[Math.floor(samples / 2)]!;
}

/** CPU milliseconds of `run` (the machine is shared: wall time measures waiting for a core). */
function cpuMs(run: () => void): number {
  const cpu = process.cpuUsage();
  run();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
}

/** The savepoint bench's tables: beside the GSI and TTL, nothing, a stream, an LSI, or a replica in another region. */
type SavepointCase = 'plain' | 'stream' | 'lsi' | 'global';

const CASE_TITLES: Record<SavepointCase, string> = { plain: '', stream: ' and a stream', lsi: ' and an LSI', global: ' as a global table (2 regions)' };

/** The database of a savepoint case, its table created (a global table's replica too), and what settles replication. */
async function savepointDatabase(kind: SavepointCase): Promise<{ db: Database; settle: () => Promise<void> }> {
  const withStream = kind === 'stream' || kind === 'global';
  const definition: CreateTableInput = {
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, ...(kind === 'lsi' ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }, ...(kind === 'lsi' ? [{ AttributeName: 'sk', AttributeType: 'S' as const }] : [])],
    GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    ...(kind === 'lsi' ? { LocalSecondaryIndexes: [{ IndexName: 'byGroupLocal', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }] } : {}),
    BillingMode: 'PAY_PER_REQUEST',
    ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  } as CreateTableInput;
  if (kind !== 'global') {
    const db = new Database({ modules: withStream ? [streams(), ttl()] : [ttl()] });
    await db.createTable(definition);
    return { db, settle: async () => {} };
  }
  // The replica's region takes every write too, on a manual clock that only moves when told to.
  const clock = new ManualClock(Date.now());
  const network = new InProcessNetwork({ clock });
  const replication = [globalTables({ transport: network }), globalTables({ transport: network })] as const;
  const db = new Database({ region: 'us-east-1', clock, modules: [streams(), replication[0], ttl()] });
  new Database({ region: 'eu-west-1', clock, modules: [streams(), replication[1], ttl()] });
  await db.createTable(definition);
  await db.updateTable({ TableName: TABLE, ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] } as never);
  const settle = async (): Promise<void> => {
    do await clock.advance(100);
    while (replication.some((r) => r.pendingCount > 0));
  };
  await settle();
  return { db, settle };
}

/**
 * Savepoint, rollback and reset of a database of ITEMS items in one table with a GSI and TTL on (expiring in
 * 30 days), and per case a stream (NEW_AND_OLD_IMAGES, so the stream holds a record per item written), an
 * LSI, or a replica (global tables keep each item's version).
 */
async function savepoints(kind: SavepointCase): Promise<void> {
  const { db, settle } = await savepointDatabase(kind);
  const sk = kind === 'lsi' ? { sk: { S: 'a' } } : {};
  await db.updateTimeToLive({ TableName: TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
  const expires = { N: String(Math.floor(Date.now() / 1000) + 30 * 86_400) };
  for (let i = 0; i < ITEMS; i++) await db.putItem({ TableName: TABLE, Item: { pk: { S: `k${i}` }, ...sk, g: { S: `g${i % 100}` }, expires, s: { S: 'x'.repeat(40) } } });
  // A global table's savepoint is taken once the replica has every item (the versions are all there).
  await settle();
  const saveMs = median(21, () => cpuMs(() => db.savepoint()));
  const fixture = db.savepoint();
  // Rollback swaps each storage's saved trees, slots and identity index back in: its time should not follow the writes made since.
  const rows: Array<{ step: string; 'CPU ms': string }> = [{ step: 'db.savepoint()', 'CPU ms': saveMs.toFixed(3) }];
  for (const writes of [0, 10, 1000, 10_000]) {
    const times: number[] = [];
    for (let round = 0; round < 11; round++) {
      // Replaced, inserted and deleted items, spread over the table and the index.
      for (let i = 0; i < writes; i++) {
        const kind = i % 5;
        if (kind < 3) await db.putItem({ TableName: TABLE, Item: { pk: { S: `k${(i * 7919 + round) % ITEMS}` }, ...sk, g: { S: 'gx' }, n: { N: '-1' } } });
        else if (kind === 3) await db.putItem({ TableName: TABLE, Item: { pk: { S: `new${i}` }, ...sk, g: { S: 'gy' } } });
        else await db.deleteItem({ TableName: TABLE, Key: { pk: { S: `k${(i * 104_729 + round) % ITEMS}` }, ...sk } });
      }
      times.push(cpuMs(() => db.rollback(fixture)));
    }
    times.sort((a, b) => a - b);
    rows.push({ step: `db.rollback() after ${writes.toLocaleString('en-US')} writes`, 'CPU ms': times[5]!.toFixed(3) });
  }
  const first = process.cpuUsage();
  await db.putItem({ TableName: TABLE, Item: { pk: { S: 'k1' }, ...sk, g: { S: 'g1' } } });
  const firstUsed = process.cpuUsage(first);
  rows.push({ step: 'first PutItem after a rollback', 'CPU ms': ((firstUsed.user + firstUsed.system) / 1000).toFixed(3) });
  rows.push({ step: 'db.reset()', 'CPU ms': cpuMs(() => db.reset()).toFixed(3) });
  console.log(`\nSavepoints of a ${ITEMS.toLocaleString('en-US')}-item table with a GSI and TTL${CASE_TITLES[kind]} (savepoint: median of 21; rollback: median of 11)`);
  console.table(rows);
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
if (only === undefined || only === 'savepoints') {
  // BENCH_TESTING_SAVEPOINTS=plain,stream,lsi,global (the default: all) picks the cases.
  const cases = (process.env.BENCH_TESTING_SAVEPOINTS ?? 'plain,stream,lsi,global').split(',') as SavepointCase[];
  for (const kind of cases) await savepoints(kind);
}
if (only === undefined || only === 'server') await serverStarts();
