/**
 * `magneto backup list|create|restore`, against a --data directory (with a progress bar on restore) and
 * against a running server (--endpoint).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { defaultModules, startServer } from '@magneto/server';
import { afterAll, describe, expect, it } from 'vitest';
import { backupCommand } from '../../server/src/backup-command.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ out: string[]; progress: string }> {
  const out: string[] = [];
  let progress = '';
  expect(await backupCommand(args, (line) => out.push(line), (text) => (progress += text))).toBe(0);
  return { out, progress };
}

const usersTable = { TableName: 'users', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const };

describe('magneto backup', () => {
  it('creates, lists and restores backups of a --data directory, with a progress bar', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-backup-cli-'));
    dirs.push(dir);
    const db = new Database({ storage: fileStorage(dir) });
    await db.open();
    await db.createTable(usersTable);
    for (let i = 0; i < 25; i++) await db.putItem({ TableName: 'users', Item: { id: { S: `u${i}` } } });
    await db.close();

    const created = await run(['create', '--data', dir, '--table', 'users', '--name', 'nightly']);
    expect(created.out[0]).toMatch(/^Backup nightly \(AVAILABLE, \d+ bytes\): arn:aws:dynamodb:us-east-1:\d+:table\/users\/backup\//);
    const arn = created.out[0]!.split(': ').pop()!;
    const listed = await run(['list', '--data', dir]);
    expect(listed.out[0]).toContain(`users  nightly  USER  AVAILABLE`);
    expect(listed.out[0]).toContain(arn);
    const restored = await run(['restore', '--data', dir, '--backup-arn', arn, '--target', 'users-copy']);
    expect(restored.out).toEqual(['Restored table users-copy (ACTIVE, 25 items)']);
    expect(restored.progress).toContain('users-copy [##############################] 25/25 items\n');

    const reopened = new Database({ storage: fileStorage(dir) });
    await reopened.open();
    expect((await reopened.scan({ TableName: 'users-copy', Select: 'COUNT' })).Count).toBe(25);
    await reopened.close();
  });

  it('works against a running server, and refuses a command line without a database', async () => {
    const database = new Database({ modules: defaultModules() });
    const server = await startServer({ port: 0, database });
    try {
      await database.createTable(usersTable);
      const created = await run(['create', '--endpoint', server.url, '--table', 'users', '--name', 'remote']);
      const arn = created.out[0]!.split(': ').pop()!;
      expect((await run(['list', '--endpoint', server.url, '--table', 'users'])).out[0]).toContain(arn);
      expect((await run(['restore', '--endpoint', server.url, '--backup-arn', arn, '--target', 'users-2'])).out).toEqual(['Restored table users-2 (ACTIVE, 0 items)']);
      await expect(backupCommand(['create', '--endpoint', server.url, '--table', 'missing', '--name', 'nope'], () => undefined)).rejects.toThrow('TableNotFoundException: Table not found: missing');
    } finally {
      await server.close();
    }
    await expect(backupCommand(['list'])).rejects.toThrow('give one of --data DIR or --endpoint URL');
    await expect(backupCommand(['explode'])).rejects.toThrow("unknown backup command 'explode'");
  });
});
