/**
 * `pnpm bench` (part): GetItem and PutItem on a database with `capacity()` installed and enforcing,
 * against one without it, in one process, alternating rounds (so both see the same machine noise).
 * Both run on a clock that moves 1 ms per operation, and the table is provisioned high enough that
 * nothing throttles: what is measured is the cost of admitting and charging every request. Time is
 * this process's CPU time (user + system), which other processes on a shared machine disturb far less
 * than wall time. Prints the median µs per operation of each and the throughput ratio (the target: at
 * least 0.85). Reports, never fails.
 */
import { capacity, Database, type Clock, type DatabaseModule, type Item } from '@magneto/core';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const OPS = Number(process.env.BENCH_OPS ?? 50_000);
const PARTITIONS = 2_000;

/** A clock that moves only when told (1 ms per operation here), with no timers to run. */
function steppedClock(): Clock & { tick(): void } {
  let now = Date.UTC(2024, 0, 1);
  return { now: () => now, setTimer: () => () => undefined, tick: () => void now++ };
}

function item(p: number): Item {
  return { pk: { S: `user#${p}` }, name: { S: `name-${p}-abcdefghij` }, visits: { N: String(p * 7) }, active: { BOOL: p % 2 === 0 } };
}

async function prepare(modules: DatabaseModule[]) {
  const clock = steppedClock();
  const db = new Database({ clock, modules });
  await db.createTable({
    TableName: 'bench',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    ProvisionedThroughput: { ReadCapacityUnits: 40_000, WriteCapacityUnits: 40_000 },
  });
  for (let p = 0; p < PARTITIONS; p++) await db.putItem({ TableName: 'bench', Item: item(p) });
  return { clock, db };
}

const operations: Record<string, (db: Database, i: number) => Promise<unknown>> = {
  GetItem: (db, i) => db.getItem({ TableName: 'bench', Key: { pk: { S: `user#${i % PARTITIONS}` } } }),
  PutItem: (db, i) => db.putItem({ TableName: 'bench', Item: item(i % PARTITIONS) }),
};

const setups = [
  ['without', await prepare([])],
  ['capacity', await prepare([capacity()])],
] as const;
const samples: Record<string, Record<string, number[]>> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [opName, op] of Object.entries(operations)) {
    for (const [name, { clock, db }] of round % 2 === 0 ? setups : [...setups].reverse()) {
      const start = process.cpuUsage();
      for (let i = 0; i < OPS; i++) {
        clock.tick();
        await op(db, i);
      }
      const used = process.cpuUsage(start);
      ((samples[opName] ??= {})[name] ??= []).push((used.user + used.system) / OPS);
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log('\ncapacity(): enforcing vs not installed (median CPU µs/op; throughput ratio, target ≥ 0.85)');
for (const [opName, byName] of Object.entries(samples)) {
  const without = median(byName.without!);
  const enforced = median(byName.capacity!);
  console.log(`  ${opName.padEnd(8)} without ${without.toFixed(2)} µs   capacity ${enforced.toFixed(2)} µs   throughput ratio ${(without / enforced).toFixed(2)}`);
}
