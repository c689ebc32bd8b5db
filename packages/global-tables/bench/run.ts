/**
 * `node --expose-gc --import tsx packages/global-tables/bench/run.ts`: global tables' cost and replication lag, in process.
 *
 * 1. PutItem throughput on a NEW_AND_OLD_IMAGES table in one region (the baseline: streams, no replication)
 *    and on a global table with two replicas (three regions in this process), in interleaved rounds, per
 *    second of this process's CPU time (the machine is shared: wall time measures the neighbours too):
 *    - PutItem: the writer's loop alone (replication is asynchronous, as on DynamoDB; the replicas drain
 *      between rounds, untimed): what replication costs the region that takes the writes. Target ≥ 70 %.
 *    - end to end: the loop and the drain, so the round also pays both replicas applying every write (and
 *      their streams) on this one thread, which other machines would do.
 * 2. Replication lag at a steady BENCH_RATE writes/s (default 10,000) for BENCH_SECONDS on the system clock,
 *    link latency 0: ReplicationLatency p50/p99/max as each replica measured it (ms, clock resolution 1 ms).
 *
 * Timing lives here, never in the tests.
 */
import { Database, type Item } from '@magneto/core';
import { globalTables, InProcessNetwork, type GlobalTablesModule } from '@magneto/global-tables';
import { streams } from '@magneto/streams';

const PUTS = Number(process.env.BENCH_PUTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RATE = Number(process.env.BENCH_RATE ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const TABLE = 'bench';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];

function itemFor(i: number, round: number): Item {
  return {
    pk: { S: `user#${i.toString().padStart(8, '0')}` },
    name: { S: `name-${i}-abcdefghij` },
    visits: { N: String((i + round) % 1000) },
    active: { BOOL: i % 2 === 0 },
  };
}

interface Setup {
  readonly writer: Database;
  readonly modules: GlobalTablesModule[];
}

async function setup(replicated: boolean): Promise<Setup> {
  const network = new InProcessNetwork();
  const regions = (replicated ? REGIONS : REGIONS.slice(0, 1)).map((region) => {
    const module = globalTables({ transport: network });
    return { db: new Database({ region, modules: [streams(), ...(replicated ? [module] : [])] }), module };
  });
  const writer = regions[0]!.db;
  await writer.createTable({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  const modules = replicated ? regions.map((r) => r.module) : [];
  if (replicated) {
    await writer.updateTable({ TableName: TABLE, ReplicaUpdates: REGIONS.slice(1).map((RegionName) => ({ Create: { RegionName } })) } as never);
    await idle(modules);
  }
  return { writer, modules };
}

/** Resolves once nothing is in flight between the regions. */
async function idle(modules: readonly GlobalTablesModule[]): Promise<void> {
  while (modules.some((m) => m.pendingCount > 0)) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** This process's CPU time in ms (user + system): steadier than wall time on a shared, loaded machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * One round: puts per CPU-second of the writer's loop, and end to end (until both replicas applied every
 * write), both measured in this process's CPU time.
 */
async function timedRound(s: Setup, round: number): Promise<[number, number, number]> {
  const items = Array.from({ length: PUTS }, (_, i) => itemFor(i, round));
  // The garbage the replicas left applying the last round's writes (other machines' work on DynamoDB) is
  // collected before the round, not charged to this round's writer (node --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const start = cpuMs();
  const wallStart = performance.now();
  for (const item of items) await s.writer.putItem({ TableName: TABLE, Item: item });
  const written = cpuMs();
  const wall = performance.now() - wallStart;
  await idle(s.modules);
  return [PUTS / ((written - start) / 1000), PUTS / ((cpuMs() - start) / 1000), PUTS / (wall / 1000)];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >>> 1]!;

async function throughput(): Promise<void> {
  const plain = await setup(false);
  const replicated = await setup(true);
  const rates = { plain: [] as number[], replicated: [] as number[], endToEnd: [] as number[], plainWall: [] as number[], replicatedWall: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const [alone, , aloneWall] = await timedRound(plain, round);
    rates.plain.push(alone);
    rates.plainWall.push(aloneWall);
    const [writer, endToEnd, writerWall] = await timedRound(replicated, round);
    rates.replicated.push(writer);
    rates.endToEnd.push(endToEnd);
    rates.replicatedWall.push(writerWall);
  }
  const base = median(rates.plain);
  const show = (label: string, rate: number, note = '') =>
    console.log(`${label.padEnd(52)}${Math.round(rate).toLocaleString('en-US').padStart(8)} puts/CPU-s (${Math.round((100 * rate) / base)} % of one region${note})`);
  console.log(`${'PutItem, one region (stream, no replicas)'.padEnd(52)}${Math.round(base).toLocaleString('en-US').padStart(8)} puts/CPU-s`);
  show('PutItem, global table with two replicas', median(rates.replicated), '; target >= 70 %');
  show('  end to end, both replicas applied, one thread', median(rates.endToEnd));
  const wall = (label: string, rate: number) => console.log(`${label.padEnd(52)}${Math.round(rate).toLocaleString('en-US').padStart(8)} puts/s`);
  wall('  wall clock, one region (noisy on a shared machine)', median(rates.plainWall));
  wall('  wall clock, two replicas', median(rates.replicatedWall));
  console.log(`  wall clock ratio ${Math.round((100 * median(rates.replicatedWall)) / median(rates.plainWall))} %`);
}

async function lag(): Promise<void> {
  const s = await setup(true);
  const perMs = RATE / 1000;
  const started = Date.now();
  let written = 0;
  // Writes at a steady rate: each millisecond tick writes what the schedule owes by then.
  while (Date.now() - started < SECONDS * 1000) {
    const due = Math.floor((Date.now() - started) * perMs);
    for (; written < due; written++) await s.writer.putItem({ TableName: TABLE, Item: itemFor(written % 50_000, written) });
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await idle(s.modules);
  const achieved = written / ((Date.now() - started) / 1000);
  console.log(`Replication lag at ${RATE.toLocaleString('en-US')} writes/s for ${SECONDS} s (achieved ${Math.round(achieved).toLocaleString('en-US')} writes/s):`);
  for (const [i, module] of s.modules.entries()) {
    if (i === 0) continue;
    const summary = module.replicationLatency(REGIONS[0]!)!;
    console.log(`  ${REGIONS[0]} -> ${REGIONS[i]}: p50 ${summary.p50} ms, p99 ${summary.p99} ms, max ${summary.max} ms (${summary.count.toLocaleString('en-US')} writes)`);
  }
}

await throughput();
await lag();
