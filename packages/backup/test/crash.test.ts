/**
 * Crash safety of backups: a child process takes backups and restores them under `strict` durability
 * while writes go on, and is killed with SIGKILL at varied moments, several rounds on one directory.
 * After each restart every acknowledged backup is listed, every acknowledged restore's table is there,
 * and no restored table is partial: each holds all the source's items or is gone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { backup } from '@magneto/backup';
import { afterAll, expect, it } from 'vitest';

const SOURCE_ITEMS = 500;
const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function runAndKill(dir: string, seed: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(seed)], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended on its own (${String(code)}): ${err}`));
      resolve(out.split('\n').slice(0, -1));
    });
  });
}

it('SIGKILL during CreateBackup and restores: no acknowledged backup or restore is lost, no restored table is partial', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'magneto-backup-crash-'));
  dirs.push(dir);
  const backups = new Set<string>();
  const restores = new Set<string>();
  const rounds = process.env.MAGNETO_STRESS === '1' ? 12 : 3;
  for (let round = 1; round <= rounds; round++) {
    for (const line of await runAndKill(dir, round, 200 + ((round * 211) % 400))) {
      if (line.startsWith('B ')) backups.add(line.slice(2));
      if (line.startsWith('R ')) restores.add(line.slice(2));
    }
    const db = new Database({ modules: [backup()], storage: fileStorage(dir) });
    await db.open();
    try {
      const listed = new Set<string>();
      let ExclusiveStartBackupArn: string | undefined;
      do {
        const page = (await db.execute('DynamoDB_20120810', 'ListBackups', ExclusiveStartBackupArn === undefined ? {} : { ExclusiveStartBackupArn })) as { BackupSummaries: Array<{ BackupArn: string }>; LastEvaluatedBackupArn?: string };
        for (const summary of page.BackupSummaries) listed.add(summary.BackupArn);
        ExclusiveStartBackupArn = page.LastEvaluatedBackupArn;
      } while (ExclusiveStartBackupArn !== undefined);
      for (const arn of backups) expect(listed.has(arn), arn).toBe(true);
      // Every page: the rounds together create more than ListTables' 100 tables per page.
      const tables: string[] = [];
      let ExclusiveStartTableName: string | undefined;
      do {
        const page = await db.listTables(ExclusiveStartTableName === undefined ? {} : { ExclusiveStartTableName });
        tables.push(...page.TableNames!);
        ExclusiveStartTableName = page.LastEvaluatedTableName;
      } while (ExclusiveStartTableName !== undefined);
      for (const table of restores) expect(tables, table).toContain(table);
      for (const table of tables.filter((name) => name.startsWith('restored-'))) {
        expect((await db.scan({ TableName: table, Select: 'COUNT' })).Count, table).toBe(SOURCE_ITEMS);
      }
    } finally {
      await db.close();
    }
  }
  expect(restores.size).toBeGreaterThan(0);
});
