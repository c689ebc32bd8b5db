/**
 * `pnpm bench:peers`: PutItem, GetItem and Query (20 items) through Magneto's direct API and through
 * dynalite 4.0.0 driven in-process (its own validation and action functions over its in-memory LevelDB
 * store, exactly what its HTTP handler calls after parsing a request: no HTTP, no JSON), in one process,
 * each call awaited in turn, after a warm-up of both. Prints ops/s of each and Magneto's multiple of
 * dynalite's, against the aims of issue 24: PutItem ≥ 8×, GetItem ≥ 10×, Query(20) ≥ 20×.
 *
 * Sizes: BENCH_PARTITIONS partition keys × 20 sort keys (2,000), BENCH_OPS calls per timed round (20,000;
 * Query a fifth of it), BENCH_ROUNDS alternating rounds (3, the median kept). Timing lives here, never in
 * the tests; the machine is noisy, so the two run alternately under the same noise.
 */
import { createRequire } from 'node:module';
import { Database } from '@magneto/core';

const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 2_000);
const OPS = Number(process.env.BENCH_OPS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TABLE = 'bench';

type Json = Record<string, unknown>;

/** One store's three calls. */
interface Peer {
  readonly name: string;
  putItem(input: Json): Promise<unknown>;
  getItem(input: Json): Promise<unknown>;
  query(input: Json): Promise<unknown>;
}

const keySchema = {
  TableName: TABLE,
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
};

/** ~100 bytes as DynamoDB counts them: a string partition key, a number sort key and four attributes. */
function item(p: number, s: number): Json {
  const i = p * 20 + s;
  return {
    pk: { S: `part#${p.toString().padStart(7, '0')}` },
    sk: { N: String(s) },
    name: { S: `name-${i}-abcdefghij` },
    email: { S: `user${i}@example.com` },
    visits: { N: String(i % 1000) },
    active: { BOOL: i % 2 === 0 },
  };
}

async function magneto(): Promise<Peer> {
  const db = new Database();
  await db.createTable({ ...keySchema, BillingMode: 'PAY_PER_REQUEST' } as Parameters<Database['createTable']>[0]);
  return {
    name: 'Magneto',
    putItem: (input) => db.putItem(input as unknown as Parameters<Database['putItem']>[0]),
    getItem: (input) => db.getItem(input as unknown as Parameters<Database['getItem']>[0]),
    query: (input) => db.query(input as unknown as Parameters<Database['query']>[0]),
  };
}

/** dynalite's store and per-operation modules (the package ships no types). */
type Callback = (error: { statusCode?: number; body?: unknown } | null, data?: unknown) => void;
interface DynaliteValidation {
  readonly types: unknown;
  readonly custom?: unknown;
}

async function dynalite(): Promise<Peer> {
  const require = createRequire(import.meta.url);
  const root = require.resolve('dynalite');
  const from = (path: string) => require(new URL(path, `file://${root}`).pathname) as unknown;
  const db = from('./db/index.js') as { create(options: Json): unknown };
  const validations = from('./validations/index.js') as {
    checkTypes(data: Json, types: unknown): Json;
    checkValidations(data: Json, types: unknown, custom: unknown, store: unknown): void;
  };
  const store = db.create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // What dynalite's HTTP handler does once it has parsed a request: check types, validate, run the action.
  const operation = (name: string) => {
    const action = from(`./actions/${name}.js`) as (store: unknown, data: Json, cb: Callback) => void;
    const validation = from(`./validations/${name}.js`) as DynaliteValidation;
    return (input: Json): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const data = validations.checkTypes(input, validation.types);
        validations.checkValidations(data, validation.types, validation.custom, store);
        action(store, data, (error, result) => (error ? reject(error.body ?? error) : resolve(result)));
      });
  };
  await operation('createTable')({ ...keySchema, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
  // createTableMs 0 still activates the table on a timer.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { name: 'dynalite', putItem: operation('putItem'), getItem: operation('getItem'), query: operation('query') };
}

const operations: Record<string, (peer: Peer, i: number) => Promise<unknown>> = {
  PutItem: (peer, i) => peer.putItem({ TableName: TABLE, Item: item(i % PARTITIONS, i % 20) }),
  GetItem: (peer, i) =>
    peer.getItem({ TableName: TABLE, Key: { pk: { S: `part#${(i % PARTITIONS).toString().padStart(7, '0')}` }, sk: { N: String(i % 20) } } }),
  'Query(20)': (peer, i) =>
    peer.query({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: `part#${(i % PARTITIONS).toString().padStart(7, '0')}` } },
    }),
};
const AIMS: Record<string, number> = { PutItem: 8, GetItem: 10, 'Query(20)': 20 };

const peers = [await magneto(), await dynalite()];
for (const peer of peers) {
  for (let p = 0; p < PARTITIONS; p++) for (let s = 0; s < 20; s++) await peer.putItem({ TableName: TABLE, Item: item(p, s) });
  const check = (await peer.query({ TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': item(0, 0).pk } })) as { Count?: number };
  if (check.Count !== 20) throw new Error(`${peer.name}: Query returned ${check.Count} items, expected 20`);
}

const count = (name: string) => (name === 'Query(20)' ? Math.max(1, Math.floor(OPS / 5)) : OPS);
// Warm-up: one untimed round of every operation on both.
for (const [name, op] of Object.entries(operations)) for (const peer of peers) for (let i = 0; i < count(name); i++) await op(peer, i);

const samples: Record<string, Record<string, number[]>> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, op] of Object.entries(operations)) {
    for (const peer of round % 2 === 0 ? peers : [...peers].reverse()) {
      const n = count(name);
      const start = performance.now();
      for (let i = 0; i < n; i++) await op(peer, (i * 7919 + round) % (PARTITIONS * 20));
      ((samples[name] ??= {})[peer.name] ??= []).push((n / (performance.now() - start)) * 1000);
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`Magneto vs dynalite 4.0.0 in-process — ${(PARTITIONS * 20).toLocaleString('en')} items of ~100 bytes, Node ${process.version}`);
console.table(
  Object.entries(samples).map(([name, byPeer]) => {
    const ours = median(byPeer.Magneto!);
    const theirs = median(byPeer.dynalite!);
    return {
      operation: name,
      'Magneto ops/s': Math.round(ours).toLocaleString('en'),
      'dynalite ops/s': Math.round(theirs).toLocaleString('en'),
      multiple: `${(ours / theirs).toFixed(1)}×`,
      aim: `${AIMS[name]}×`,
      met: ours / theirs >= AIMS[name]! ? 'yes' : 'no',
    };
  }),
);
