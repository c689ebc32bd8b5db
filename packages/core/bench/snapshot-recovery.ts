/**
 * `node --import tsx packages/core/bench/snapshot-recovery.ts [other core dist/index.js]`: a durable store
 * of BENCH_RECOVERY_ITEMS items of ~100 bytes (1,000,000; a string partition key and a number sort key):
 * the CPU time to write its snapshot, the snapshot's bytes, and the CPU time to open the store again
 * (recovery from that snapshot). With another build of core (e.g. a worktree of an older commit), both
 * builds run in one process, alternating rounds, and the ratios are printed; without, this build's
 * numbers are printed beside those recorded for the object layout (main 635e2f1) on this machine.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Db = {
  open(): Promise<void>;
  close(): Promise<void>;
  checkpoint(): Promise<void>;
  createTable(input: unknown): Promise<unknown>;
  putItem(input: unknown): Promise<unknown>;
  recoveryReport?: { items: number; replayedRecords: number };
};
type Build = { name: string; Database: new (options: unknown) => Db; fileStorage: (dir: string, options: unknown) => unknown; dir: string };

const ITEMS = Number(process.env.BENCH_RECOVERY_ITEMS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * main 635e2f1 (object layout, msgpack snapshot items) measured by this benchmark beside this layout on
 * 1,000,000 items (2026-12-07, load ~19 on 2 cores; CPU time, median of 3 rounds). Compare ratios, not times.
 */
const RECORDED_MAIN = ITEMS === 1_000_000 ? { snapshotMs: 2_620, snapshotBytes: 86.1e6, recoveryMs: 14_000 } : { snapshotMs: Number.NaN, snapshotBytes: Number.NaN, recoveryMs: Number.NaN };

const root = mkdtempSync(join(tmpdir(), 'magneto-recovery-'));
const other = process.argv[2];

async function load(name: string, index: string): Promise<Build> {
  const core = (await import(index)) as { Database: Build['Database'] };
  const node = (await import(index.replace(/index\.js$/, 'node/index.js'))) as { fileStorage: Build['fileStorage'] };
  return { name, Database: core.Database, fileStorage: node.fileStorage, dir: join(root, name) };
}

const builds = [await load('this', new URL('../dist/index.js', import.meta.url).href)];
if (other !== undefined) builds.push(await load('other', pathToFileURL(other).href));
const OPTIONS = { durability: 'none', snapshotLogBytes: Number.MAX_SAFE_INTEGER };

function itemFor(i: number) {
  const p = Math.floor(i / 20);
  return {
    pk: { S: `part#${p.toString().padStart(7, '0')}` },
    sk: { N: String(i % 20) },
    name: { S: `name-${i}-abcdefghij` },
    email: { S: `user${i}@example.com` },
    visits: { N: String(i % 1000) },
    active: { BOOL: i % 2 === 0 },
    score: { N: `${i % 97}.5` },
  };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function newestSnapshotBytes(dir: string): number {
  const newest = readdirSync(dir).filter((name) => name.endsWith('.snap')).sort().at(-1)!;
  return statSync(join(dir, newest)).size;
}

const samples = new Map(builds.map((b) => [b.name, { snapshotMs: [] as number[], recoveryMs: [] as number[], snapshotBytes: 0 }]));
try {
  for (const build of builds) {
    const db = new build.Database({ storage: build.fileStorage(build.dir, OPTIONS) });
    await db.open();
    await db.createTable({
      TableName: 'bench',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < ITEMS; i++) await db.putItem({ TableName: 'bench', Item: itemFor(i) });
    await db.checkpoint();
    await db.close();
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
      const sample = samples.get(build.name)!;
      (globalThis as { gc?: () => void }).gc?.();
      let cpu = process.cpuUsage();
      const db = new build.Database({ storage: build.fileStorage(build.dir, OPTIONS) });
      await db.open();
      sample.recoveryMs.push(cpuMs(cpu));
      if (db.recoveryReport?.items !== ITEMS || db.recoveryReport.replayedRecords !== 0) throw new Error(`${build.name}: recovered ${db.recoveryReport?.items} items`);
      cpu = process.cpuUsage();
      await db.checkpoint();
      sample.snapshotMs.push(cpuMs(cpu));
      sample.snapshotBytes = newestSnapshotBytes(build.dir);
      await db.close();
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const of = (name: string) => {
  const s = samples.get(name)!;
  return { snapshotMs: median(s.snapshotMs), snapshotBytes: s.snapshotBytes, recoveryMs: median(s.recoveryMs) };
};
const mine = of('this');
const base = other === undefined ? RECORDED_MAIN : of('other');
const baseName = other === undefined ? 'main 635e2f1 (recorded)' : 'other';
const n = ITEMS.toLocaleString('en-US');
const line = (label: string, a: number, b: number, unit: string, digits: number) =>
  console.log(`${label.padEnd(34)} this ${a.toFixed(digits)} ${unit}   ${baseName} ${Number.isNaN(b) ? '—' : `${b.toFixed(digits)} ${unit}`}   this/other ${Number.isNaN(b) ? '—' : (a / b).toFixed(2)}`);
line(`recovery of ${n} items (CPU)`, mine.recoveryMs / 1000, base.recoveryMs / 1000, 's', 2);
line(`snapshot of ${n} items (CPU)`, mine.snapshotMs / 1000, base.snapshotMs / 1000, 's', 2);
line(`snapshot size`, mine.snapshotBytes / 1e6, base.snapshotBytes / 1e6, 'MB', 1);
console.log(`snapshot bytes per item: this ${(mine.snapshotBytes / ITEMS).toFixed(0)}, ${baseName} ${Number.isNaN(base.snapshotBytes) ? '—' : (base.snapshotBytes / ITEMS).toFixed(0)}`);
