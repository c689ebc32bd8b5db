/**
 * `pnpm bench` (part): GetItem and PutItem on a database with `capacity()` installed and enforcing,
 * against one without it, in one process, alternating (so both see the same machine noise): each round
 * runs both in slices of SLICE operations taken in turn, so a burst of load on a shared machine lands
 * on both alike, and its ratio is the two CPU times of that round. Both run on a clock that moves 1 ms
 * per operation, and the table is provisioned high enough that nothing throttles: what is measured is
 * the cost of admitting and charging every request. Time is this process's CPU time (user + system),
 * which other processes disturb far less than wall time. Prints the median µs per operation of each
 * and the median of the rounds' throughput ratios (the target: at least 0.85). Reports, never fails.
 */
import { capacity, Database, type Clock, type DatabaseModule, type Item } from '@magneto/core';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const OPS = Number(process.env.BENCH_OPS ?? 50_000);
/** Operations each database runs before the other takes its turn, within a round. */
const SLICE = 2_000;
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
const ratios: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [opName, op] of Object.entries(operations)) {
    const order = round % 2 === 0 ? setups : [...setups].reverse();
    const used = order.map(() => 0);
    for (let from = 0; from < OPS; from += SLICE) {
      for (let s = 0; s < order.length; s++) {
        const { clock, db } = order[s]![1];
        const start = process.cpuUsage();
        for (let i = from; i < from + SLICE; i++) {
          clock.tick();
          await op(db, i);
        }
        const slice = process.cpuUsage(start);
        used[s]! += slice.user + slice.system;
      }
    }
    const byName = (samples[opName] ??= {});
    order.forEach(([name], s) => (byName[name] ??= []).push(used[s]! / OPS));
    (ratios[opName] ??= []).push(byName.without!.at(-1)! / byName.capacity!.at(-1)!);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log('\ncapacity(): enforcing vs not installed (median CPU µs/op; median of the rounds\' throughput ratios, target ≥ 0.85)');
for (const [opName, byName] of Object.entries(samples)) {
  const without = median(byName.without!);
  const enforced = median(byName.capacity!);
  console.log(`  ${opName.padEnd(8)} without ${without.toFixed(2)} µs   capacity ${enforced.toFixed(2)} µs   throughput ratio ${median(ratios[opName]!).toFixed(2)}`);
}
