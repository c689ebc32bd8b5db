import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, type RecoveryProgress } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { afterEach, describe, expect, it } from 'vitest';
import { recoveryProgressPrinter, recoverySummary } from '../src/recovery-progress.js';

// What `magneto serve --data` prints while a large store recovers: the store's progress callback, and the
// printer that turns it into at most one line a second.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ITEMS = 20_000;

/** Opens the store at `dir`, recording every progress report. */
async function reopen(dir: string): Promise<{ db: Database; reports: RecoveryProgress[] }> {
  const reports: RecoveryProgress[] = [];
  const db = new Database({ storage: fileStorage(dir, { durability: 'none', onRecoveryProgress: (p) => reports.push(p) }) });
  await db.open();
  return { db, reports };
}

describe('DurableStorageOptions.onRecoveryProgress', () => {
  it('reports every 10,000 log records replayed, then every snapshot chunk loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-progress-'));
    dirs.push(dir);
    const first = new Database({ storage: fileStorage(dir, { durability: 'none' }) });
    await first.createTable({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < ITEMS; i++) await first.putItem({ TableName: 'things', Item: { id: { S: `item-${i}` } } });
    await first.close();

    // The log: the CreateTable record, then one record per item.
    const fromLog = await reopen(dir);
    expect(fromLog.reports.map(({ phase, items, replayedRecords }) => ({ phase, items, replayedRecords }))).toEqual([
      { phase: 'log', items: 0, replayedRecords: 10_000 },
      { phase: 'log', items: 0, replayedRecords: 20_000 },
    ]);
    expect(fromLog.reports[0]!.file).toMatch(/^log-\d+\.wal$/);
    expect(fromLog.reports[0]!.fileFraction).toBeGreaterThan(0.4);
    expect(fromLog.reports[0]!.fileFraction).toBeLessThan(0.6);
    await fromLog.db.checkpoint();
    await fromLog.db.close();

    // The snapshot: chunks of 2,000 items.
    const fromSnapshot = await reopen(dir);
    const chunks = fromSnapshot.reports;
    expect(chunks.map((p) => p.items)).toEqual(Array.from({ length: ITEMS / 2000 }, (_, i) => (i + 1) * 2000));
    expect(chunks.every((p) => p.phase === 'snapshot' && /^snapshot-\d+\.snap$/.test(p.file))).toBe(true);
    expect(chunks.at(-1)!.fileFraction).toBeGreaterThan(0.8);
    expect(fromSnapshot.db.recoveryReport?.items).toBe(ITEMS);
    await fromSnapshot.db.close();
  });
});

describe('recoveryProgressPrinter', () => {
  const progress = (items: number): RecoveryProgress => ({ phase: 'snapshot', file: 'snapshot-0000000000000007.snap', items, replayedRecords: 0, fileFraction: items / 600_000 });

  it('prints nothing for the first second, then at most one line a second', () => {
    let now = 0;
    const lines: string[] = [];
    const print = recoveryProgressPrinter('./data', (line) => lines.push(line), () => now);
    now = 500;
    print(progress(2_000));
    now = 1_000;
    print(progress(240_000));
    now = 1_900;
    print(progress(250_000));
    now = 2_000;
    print({ phase: 'log', file: 'log-0000000000000007.wal', items: 600_000, replayedRecords: 30_000, fileFraction: 0.25 });
    expect(lines).toEqual([
      'magneto: recovering ./data: loading snapshot-0000000000000007.snap (40%), 240,000 items so far',
      'magneto: recovering ./data: replaying log-0000000000000007.wal (25%), 30,000 log records so far',
    ]);
  });

  it('closes a recovery of a second or more with a summary', () => {
    const report = { snapshot: undefined, replayedRecords: 30_000, items: 600_000, tables: 2, durationMs: 0, damage: [] };
    expect(recoverySummary('./data', { ...report, durationMs: 999 })).toBeUndefined();
    expect(recoverySummary('./data', { ...report, durationMs: 12_345 })).toBe('magneto: recovered ./data in 12.3 s: 600,000 items in 2 tables, 30,000 log records replayed');
  });
});

describe('magneto serve --data on a large store', () => {
  // 600,000 items take tens of seconds to write and as long to recover: MAGNETO_STRESS=1 only.
  it.runIf(process.env.MAGNETO_STRESS === '1')('prints recovery progress before it serves', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'magneto-progress-'));
    dirs.push(dir);
    const db = new Database({ storage: fileStorage(dir, { durability: 'none' }) });
    await db.createTable({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const payload = { S: 'x'.repeat(80) };
    for (let i = 0; i < 600_000; i++) await db.putItem({ TableName: 'things', Item: { id: { S: `item-${i}` }, payload } });
    await db.close();

    const child = spawn(process.execPath, [new URL('../dist/cli.js', import.meta.url).pathname, 'serve', '--port', '0', '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('serving DynamoDB') && resolve());
      child.on('exit', () => reject(new Error(stderr)));
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    console.log(stderr);
    expect(stderr).toMatch(/magneto: recovering .*: (loading|replaying) /);
    expect(stderr).toMatch(/magneto: recovered .* 600,000 items in 1 table,/);
  }, 600_000);
});
