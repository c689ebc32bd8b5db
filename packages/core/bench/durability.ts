/**
 * Durable storage benchmark (`node --import tsx packages/core/bench/durability.ts`): PutItem ops/s on
 * the file store under `strict` (8 concurrent writers, each awaiting its write, so group commit is
 * what makes it fast), `batched` and `none` (same 8 writers), against memory; then a store of
 * 1,000,000 items (~100 bytes each): the time to snapshot it, its bytes on disk, and the time to open
 * it again (recovery from the snapshot, and from snapshot + a log tail).
 *
 * Sizes: BENCH_DURABLE_SECONDS (3 per mode), BENCH_RECOVERY_ITEMS (1,000,000), BENCH_DIR (a temp dir).
 * Timing lives here, never in the tests. The machine is noisy: compare within one run.
 */
import { constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, type Item } from '../src/index.js';
import { fileStorage, type FileStorageOptions } from '../src/node/index.js';

const SECONDS = Number(process.env.BENCH_DURABLE_SECONDS ?? 3);
const RECOVERY_ITEMS = Number(process.env.BENCH_RECOVERY_ITEMS ?? 1_000_000);
const WRITERS = 8;
const root = process.env.BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'magneto-bench-'));

const TABLE = {
  TableName: 'bench',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

function itemFor(i: number): Item {
  // ~100 bytes as DynamoDB counts them.
  return {
    pk: { S: `user#${i.toString().padStart(8, '0')}` },
    name: { S: `name-${i}-abcdefghij` },
    email: { S: `user${i}@example.com` },
    visits: { N: String(i % 1000) },
    active: { BOOL: i % 2 === 0 },
    score: { N: `${i % 97}.5` },
  };
}

/** CPU milliseconds (user + system) since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** The disk's floor for strict: the latency of one O_DSYNC append of a small record. */
async function syncLatencyMs(): Promise<number> {
  const path = join(root, 'latency.tmp');
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC);
  const record = new Uint8Array(8 * 170);
  const started = performance.now();
  for (let i = 0; i < 200; i++) await handle.write(record);
  const ms = (performance.now() - started) / 200;
  await handle.close();
  rmSync(path);
  return ms;
}

function diskBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

async function putThroughput(label: string, storage: FileStorageOptions | undefined, writers = WRITERS): Promise<void> {
  const dir = join(root, `puts-${label}-${writers}`);
  const db = new Database(storage === undefined ? {} : { storage: fileStorage(dir, storage) });
  await db.open();
  await db.createTable(TABLE);
  let next = 0;
  let done = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < deadline) {
        await db.putItem({ TableName: 'bench', Item: itemFor(next++) });
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuPerPut = (cpuMs(cpu) * 1000) / done;
  await db.close();
  const bytes = storage === undefined ? 0 : diskBytes(dir);
  console.log(
    `PutItem ${label.padEnd(8)} ${String(writers).padStart(2)} writers: ${Math.round(done / elapsed).toLocaleString('en-US').padStart(9)} ops/s, ` +
      `${cpuPerPut.toFixed(1)} µs CPU per put` +
      (storage === undefined ? '' : `, ${(bytes / done).toFixed(0)} log bytes per put`),
  );
}

async function recovery(): Promise<void> {
  const dir = join(root, 'recovery');
  const options: FileStorageOptions = { durability: 'none', snapshotLogBytes: Number.MAX_SAFE_INTEGER };
  const db = new Database({ storage: fileStorage(dir, options) });
  await db.open();
  await db.createTable(TABLE);
  let started = performance.now();
  for (let i = 0; i < RECOVERY_ITEMS; i++) await db.putItem({ TableName: 'bench', Item: itemFor(i) });
  console.log(`loaded ${RECOVERY_ITEMS.toLocaleString('en-US')} items (none) in ${((performance.now() - started) / 1000).toFixed(1)} s; log ${(diskBytes(dir) / 1e6).toFixed(1)} MB`);

  // Recovery from the log alone.
  await db.close();
  started = performance.now();
  let cpu = process.cpuUsage();
  let reopened = new Database({ storage: fileStorage(dir, options) });
  await reopened.open();
  console.log(
    `recovery from the log alone: ${((performance.now() - started) / 1000).toFixed(2)} s (${(cpuMs(cpu) / 1000).toFixed(2)} s CPU; ${reopened.recoveryReport!.items.toLocaleString('en-US')} items)`,
  );

  started = performance.now();
  cpu = process.cpuUsage();
  await reopened.checkpoint();
  console.log(`snapshot of ${RECOVERY_ITEMS.toLocaleString('en-US')} items: ${((performance.now() - started) / 1000).toFixed(2)} s (${(cpuMs(cpu) / 1000).toFixed(2)} s CPU)`);
  // A log tail after the snapshot: 10,000 more writes.
  for (let i = 0; i < 10_000; i++) await reopened.putItem({ TableName: 'bench', Item: itemFor(RECOVERY_ITEMS + i) });
  await reopened.checkpoint();
  for (let i = 0; i < 10_000; i++) await reopened.putItem({ TableName: 'bench', Item: { ...itemFor(i), visits: { N: '1' } } });
  await reopened.close();
  const files = readdirSync(dir).filter((f) => f !== 'LOCK');
  const snapshots = files.filter((f) => f.endsWith('.snap'));
  const newest = snapshots.sort().at(-1)!;
  console.log(
    `disk: ${(diskBytes(dir) / 1e6).toFixed(1)} MB in ${files.length} files (newest snapshot ${(statSync(join(dir, newest)).size / 1e6).toFixed(1)} MB, ` +
      `${(statSync(join(dir, newest)).size / (RECOVERY_ITEMS + 10_000)).toFixed(0)} B/item; the previous snapshot and its log are kept as a fallback)`,
  );
  started = performance.now();
  cpu = process.cpuUsage();
  reopened = new Database({ storage: fileStorage(dir, options) });
  await reopened.open();
  const report = reopened.recoveryReport!;
  console.log(
    `recovery from snapshot + log: ${((performance.now() - started) / 1000).toFixed(2)} s (${(cpuMs(cpu) / 1000).toFixed(2)} s CPU; ` +
      `${report.items.toLocaleString('en-US')} items, ${report.replayedRecords.toLocaleString('en-US')} log records replayed)`,
  );
  await reopened.close();
}

try {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; one O_DSYNC append takes ${(await syncLatencyMs()).toFixed(2)} ms here (strict with ${WRITERS} writers is bound by ${WRITERS} puts per append)`);
  await putThroughput('memory', undefined);
  await putThroughput('strict', { durability: 'strict' });
  await putThroughput('strict', { durability: 'strict' }, 64);
  await putThroughput('batched', { durability: 'batched' });
  await putThroughput('none', { durability: 'none' });
  if (RECOVERY_ITEMS > 0) await recovery();
} finally {
  if (process.env.BENCH_DIR === undefined) rmSync(root, { recursive: true, force: true });
}
