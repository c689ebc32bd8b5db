/**
 * `node --import tsx packages/core/bench/compare.ts <other core dist/index.js>`: GetItem, PutItem and
 * Query(20) of this build against another build of core (e.g. a worktree of an older commit), in one
 * process, alternating rounds, so the two are compared under the same machine noise. Prints the median
 * µs per operation of each and their ratio.
 */
import { pathToFileURL } from 'node:url';

type Db = {
  createTable(input: unknown): Promise<unknown>;
  putItem(input: unknown): Promise<unknown>;
  getItem(input: unknown): Promise<unknown>;
  query(input: unknown): Promise<unknown>;
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
  return db;
}

function item(p: number, s: number) {
  return { pk: { S: `user#${p}` }, sk: { N: String(s) }, name: { S: `name-${p}-${s}-abcdefghij` }, visits: { N: String(s * 7) }, active: { BOOL: s % 2 === 0 } };
}

const operations: Record<string, (db: Db, i: number) => Promise<unknown>> = {
  GetItem: (db, i) => db.getItem({ TableName: 'bench', Key: { pk: { S: `user#${i % PARTITIONS}` }, sk: { N: String(i % 20) } } }),
  PutItem: (db, i) => db.putItem({ TableName: 'bench', Item: item(i % PARTITIONS, i % 20) }),
  'Query(20)': (db, i) => db.query({ TableName: 'bench', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `user#${i % PARTITIONS}` } } }),
};

const dbs = await Promise.all(builds.map(async ([name, core]) => [name, await prepare(core)] as const));
const samples: Record<string, Record<string, number[]>> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [opName, op] of Object.entries(operations)) {
    for (const [name, db] of round % 2 === 0 ? dbs : [...dbs].reverse()) {
      const count = opName === 'Query(20)' ? OPS / 5 : OPS;
      const start = performance.now();
      for (let i = 0; i < count; i++) await op(db, i);
      ((samples[opName] ??= {})[name] ??= []).push(((performance.now() - start) * 1000) / count);
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [opName, byBuild] of Object.entries(samples)) {
  const a = median(byBuild.this!);
  const b = median(byBuild.other!);
  console.log(`${opName.padEnd(10)} this ${a.toFixed(2)} µs   other ${b.toFixed(2)} µs   this/other ${(a / b).toFixed(2)}`);
}
