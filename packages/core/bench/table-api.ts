/**
 * The typed Table API's overhead over direct `Database` calls, for GetItem, PutItem and Query (one
 * 20-item partition), measured in the same process, interleaved: each round runs a batch of direct calls
 * and a batch of typed calls (alternating which goes first), and the median round of each is reported
 * (process CPU time, steadier than wall time on a shared machine).
 * Both sides build their request from scratch per call (the direct side its AttributeValue maps, the typed
 * side its native values), as an application would. Direct reads return the engine's stored, frozen items
 * without copying, so for GetItem and Query a third side is measured too: the direct call plus the
 * hand-written reading of every attribute into JS values (what the typed API does for you). Most of the
 * gap between a direct read and either reading side is memory: reading values touches each stored item's
 * AttributeValue objects and Number texts, which a direct read never does (with BENCH_ITEMS=100, all in
 * cache, the typed GetItem is within ~20 % of the direct one).
 *
 * Run: `node --import tsx packages/core/bench/table-api.ts` (sizes: BENCH_ROUNDS, BENCH_OPS, BENCH_ITEMS).
 * Timing lives here, never in the tests. The machine is noisy: compare ratios within one run.
 */
import { Database, Table, attr, defineTable, type Item } from '@magneto/core';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const OPS = Number(process.env.BENCH_OPS ?? 20_000);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const SORT_KEYS = 20;

const Users = defineTable({
  name: 'users',
  attributes: {
    pk: attr.string(),
    name: attr.string(),
    email: attr.string(),
    visits: attr.number(),
    active: attr.boolean(),
    score: attr.number(),
  },
  partitionKey: 'pk',
});

const Events = defineTable({
  name: 'events',
  attributes: { pk: attr.string(), sk: attr.number(), kind: attr.string(), size: attr.number() },
  partitionKey: 'pk',
  sortKey: 'sk',
});

const id = (i: number) => `user#${(i % ITEMS).toString().padStart(8, '0')}`;

const directItem = (i: number): Item => ({
  pk: { S: id(i) },
  name: { S: `name-${i}-abcdefghij` },
  email: { S: `user${i}@example.com` },
  visits: { N: String(i % 1000) },
  active: { BOOL: i % 2 === 0 },
  score: { N: `${i % 97}.5` },
});
const typedItem = (i: number) => ({
  pk: id(i),
  name: `name-${i}-abcdefghij`,
  email: `user${i}@example.com`,
  visits: i % 1000,
  active: i % 2 === 0,
  score: (i % 97) + 0.5,
});

const db = new Database();
await db.createTable(Users.createTableInput());
await db.createTable(Events.createTableInput());
const users = new Table(Users, db);
const events = new Table(Events, db);
for (let i = 0; i < ITEMS; i++) await db.putItem({ TableName: 'users', Item: directItem(i) });
const PARTITIONS = Math.max(1, Math.floor(ITEMS / SORT_KEYS));
for (let p = 0; p < PARTITIONS; p++) {
  for (let s = 0; s < SORT_KEYS; s++) {
    await db.putItem({ TableName: 'events', Item: { pk: { S: `dev#${p}` }, sk: { N: String(s) }, kind: { S: 'reading' }, size: { N: String(s * 3) } } });
  }
}

type Bench = {
  name: string;
  ops: number;
  direct: (i: number) => Promise<unknown>;
  /** The direct call plus the hand-written reading of every attribute an application needs to use the result. */
  directRead?: (i: number) => Promise<unknown>;
  typed: (i: number) => Promise<unknown>;
};

type S = { S: string };
type N = { N: string };
const readUser = (item: Item) => ({
  pk: (item.pk as S).S,
  name: (item.name as S).S,
  email: (item.email as S).S,
  visits: Number((item.visits as N).N),
  active: (item.active as { BOOL: boolean }).BOOL,
  score: Number((item.score as N).N),
});
const readEvent = (item: Item) => ({ pk: (item.pk as S).S, sk: Number((item.sk as N).N), kind: (item.kind as S).S, size: Number((item.size as N).N) });
const eventsQuery = (i: number) => ({
  TableName: 'events',
  KeyConditionExpression: '#pk = :pk',
  ExpressionAttributeNames: { '#pk': 'pk' },
  ExpressionAttributeValues: { ':pk': { S: `dev#${i % PARTITIONS}` } },
});

const benches: Bench[] = [
  {
    name: 'GetItem',
    ops: OPS,
    direct: (i) => db.getItem({ TableName: 'users', Key: { pk: { S: id(i * 7) } } }),
    directRead: async (i) => {
      const { Item } = await db.getItem({ TableName: 'users', Key: { pk: { S: id(i * 7) } } });
      return Item && readUser(Item);
    },
    typed: (i) => users.get({ pk: id(i * 7) }),
  },
  {
    name: 'PutItem',
    ops: OPS,
    direct: (i) => db.putItem({ TableName: 'users', Item: directItem(i) }),
    typed: (i) => users.put(typedItem(i)),
  },
  {
    name: 'Query (20 items)',
    ops: Math.max(1, Math.floor(OPS / 5)),
    direct: (i) => db.query(eventsQuery(i)),
    directRead: async (i) => (await db.query(eventsQuery(i))).Items?.map(readEvent),
    typed: (i) => events.query({ pk: `dev#${i % PARTITIONS}` }).all(),
  },
];

/** CPU time (ms) of a batch: steadier than wall time on a machine shared with other work. */
async function timeBatch(run: (i: number) => Promise<unknown>, ops: number, offset: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < ops; i++) await run(offset + i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`Table API overhead: ${ROUNDS} interleaved rounds × ${OPS} ops (Query: ${Math.floor(OPS / 5)}), ${ITEMS} items`);
for (const bench of benches) {
  // Warm both paths up before measuring.
  await timeBatch(bench.direct, bench.ops, 0);
  await timeBatch(bench.typed, bench.ops, 0);
  const direct: number[] = [];
  const directRead: number[] = [];
  const typed: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const offset = round * bench.ops;
    // Rotate the order each round, so no side always runs first.
    const sides: [number[], (i: number) => Promise<unknown>][] = [
      [direct, bench.direct],
      [typed, bench.typed],
    ];
    if (bench.directRead) sides.push([directRead, bench.directRead]);
    for (let k = 0; k < sides.length; k++) {
      const [times, run] = sides[(round + k) % sides.length]!;
      times.push(await timeBatch(run, bench.ops, offset));
    }
  }
  const perOp = (times: number[]) => (median(times) * 1000) / bench.ops;
  const d = perOp(direct);
  const t = perOp(typed);
  let line = `${bench.name.padEnd(18)} direct ${d.toFixed(2).padStart(6)} µs/op   typed ${t.toFixed(2).padStart(6)} µs/op   overhead ${(((t - d) / d) * 100).toFixed(1).padStart(5)} %`;
  if (bench.directRead) {
    const r = perOp(directRead);
    line += `   | direct + reading the values ${r.toFixed(2).padStart(6)} µs/op: typed overhead ${(((t - r) / r) * 100).toFixed(1).padStart(5)} %`;
  }
  console.log(line);
}
