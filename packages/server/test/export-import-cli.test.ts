/**
 * `magneto export` / `magneto import` against a --data directory and a running server, and `magneto serve
 * --object-store B=DIR` serving ExportTableToPointInTime / ImportTable to the SDK over HTTP.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeExportCommand, DynamoDBClient, ExportTableToPointInTimeCommand, PutItemCommand, ScanCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServeOptions } from '../src/cli-options.js';
import { exportImportCommand } from '../src/export-import-command.js';
import { BUILT_CLI, serveCli } from './support/serve-cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'magneto-export-cli-'));
  dirs.push(dir);
  return dir;
}

async function run(command: 'export' | 'import', args: string[]): Promise<{ out: string[]; progress: string }> {
  const out: string[] = [];
  let progress = '';
  expect(await exportImportCommand(command, args, (line) => out.push(line), (text) => (progress += text))).toBe(0);
  return { out, progress };
}

const users = { TableName: 'users', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const };

/** A --data directory with `users` (PITR on) holding `count` items. */
async function dataDirectory(count: number): Promise<string> {
  const dir = tempDir();
  const db = new Database({ storage: fileStorage(dir), modules: (await import('../src/server.js')).defaultModules() });
  await db.open();
  await db.createTable(users);
  await db.execute('DynamoDB_20120810', 'UpdateContinuousBackups', { TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  for (let i = 0; i < count; i++) await db.putItem({ TableName: 'users', Item: { id: { S: `u${i}` }, n: { N: String(i) }, tags: { SS: ['a', `t${i}`] } } });
  await db.close();
  return dir;
}

async function scanned(dir: string, TableName: string, key = 'id') {
  const db = new Database({ storage: fileStorage(dir) });
  await db.open();
  try {
    return ((await db.scan({ TableName })).Items ?? []).sort((a, b) => (JSON.stringify(a[key]) < JSON.stringify(b[key]) ? -1 : 1));
  } finally {
    await db.close();
  }
}

describe('magneto export / import with --data', () => {
  it('exports a table to a directory in AWS layout and imports the export directory into a new table', async () => {
    const data = await dataDirectory(25);
    const exports = tempDir();
    const exported = await run('export', ['--data', data, '--table', 'users', '--to', exports]);
    expect(exported.out).toHaveLength(1);
    const match = new RegExp(`^Exported 25 items \\((\\d+) bytes\\) of table users to ${exports}/AWSDynamoDB/(\\d{14}-[0-9a-f]{8})/ in \\d+\\.\\d s$`).exec(exported.out[0]!);
    expect(match).not.toBeNull();
    const exportDir = join(exports, 'AWSDynamoDB', match![2]!);
    expect(readdirSync(exportDir).sort()).toEqual(['_started', 'data', 'manifest-files.checksum', 'manifest-files.json', 'manifest-summary.checksum', 'manifest-summary.json']);
    expect(JSON.parse(readFileSync(join(exportDir, 'manifest-summary.json'), 'utf8'))).toMatchObject({ itemCount: 25, s3Bucket: exports.split('/').pop(), outputFormat: 'DYNAMODB_JSON' });

    // The export directory (or the directory holding it): its data files, read as gzipped DynamoDB JSON.
    const imported = await run('import', [exportDir, '--data', data, '--table', 'users-copy', '--key', 'id:S']);
    expect(imported.out[0]).toMatch(/^Imported 25 items into table users-copy \(25 processed, 0 errors\) in \d+\.\d s$/);
    expect(imported.progress).toContain('Importing users-copy: 25 items, 0 errors');
    await run('import', ['--from', exports, '--data', data, '--table', 'users-copy-2', '--key', 'id:S']);
    const original = await scanned(data, 'users');
    expect(await scanned(data, 'users-copy')).toEqual(original);
    expect(await scanned(data, 'users-copy-2')).toEqual(original);
  });

  it('seeds a table from a CSV file in one command, counting and printing its bad lines', async () => {
    const data = tempDir();
    const csv = join(tempDir(), 'people.csv');
    writeFileSync(csv, 'id,name,age\np1,Ann,31\np2,Bo,\np3,"Cy, Jr.",7\np4,too,many,fields\n');
    writeFileSync(`${csv}.bak`, 'id\nnot-imported\n');
    const { out, progress } = await run('import', [csv, '--data', data, '--table', 'people', '--key', 'id:S']);
    expect(out).toEqual([expect.stringMatching(/^Imported 3 items into table people \(4 processed, 1 errors\) in \d+\.\d s$/)]);
    expect(progress).toMatch(/\npeople\.csv item \d+: The record has 4 fields, the header 3\n/);
    expect(await scanned(data, 'people')).toEqual([
      { id: { S: 'p1' }, name: { S: 'Ann' }, age: { S: '31' } },
      { id: { S: 'p2' }, name: { S: 'Bo' } },
      { id: { S: 'p3' }, name: { S: 'Cy, Jr.' }, age: { S: '7' } },
    ]);
  });

  it('takes CSV options, and refuses what it cannot run with a usage error', async () => {
    const data = tempDir();
    const file = join(tempDir(), 'scores.txt');
    writeFileSync(file, 'a;1\nb;2\n');
    const { out } = await run('import', ['--from', file, '--data', data, '--table', 'scores', '--key', 'player:S,score:N', '--format', 'csv', '--delimiter', ';', '--header', 'player,score']);
    expect(out[0]).toMatch(/^Imported 2 items into table scores/);
    expect(await scanned(data, 'scores', 'player')).toEqual([
      { player: { S: 'a' }, score: { N: '1' } },
      { player: { S: 'b' }, score: { N: '2' } },
    ]);
    await expect(exportImportCommand('import', [file, '--data', data, '--table', 't1'])).rejects.toThrow("magneto import needs --key NAME:TYPE[,NAME:TYPE] (the new table's partition key and sort key)");
    await expect(exportImportCommand('import', [file, '--data', data, '--table', 't1', '--key', 'id:X'])).rejects.toThrow("option --key must be NAME:TYPE or NAME:TYPE,NAME:TYPE with TYPE S, N or B, got 'id:X'");
    await expect(exportImportCommand('import', [file, '--data', data, '--table', 't1', '--key', 'id:S'])).rejects.toThrow('give --format CSV|DYNAMODB_JSON|ION: the file names do not tell one format');
    await expect(exportImportCommand('export', ['--endpoint', 'http://127.0.0.1:1', '--table', 'users', '--to', './out'])).rejects.toThrow('with --endpoint, --to must be s3://BUCKET[/PREFIX]');
    await expect(exportImportCommand('export', ['--table', 'users', '--to', './out'])).rejects.toThrow('give one of --data DIR or --endpoint URL');
    await expect(exportImportCommand('export', ['--data', data, '--table', 'users', '--to', './out', '--format', 'csv'])).rejects.toThrow("option --format must be DYNAMODB_JSON or ION, got 'csv'");
    const help: string[] = [];
    expect(await exportImportCommand('export', ['--help'], (line) => help.push(line))).toBe(0);
    expect(help[0]).toMatch(/^Usage: magneto export --table T --to DIR\|s3:\/\/BUCKET/);
  });

  it("fails with DynamoDB's exception when the table has no point-in-time recovery, unless --enable-pitr turns it on", async () => {
    const data = tempDir();
    const db = new Database({ storage: fileStorage(data) });
    await db.open();
    await db.createTable(users);
    await db.close();
    const exports = tempDir();
    await expect(exportImportCommand('export', ['--data', data, '--table', 'users', '--to', exports], () => undefined, () => undefined)).rejects.toThrow("Point in time recovery is not enabled for table 'users' (add --enable-pitr to turn it on and export now)");
    const { out } = await run('export', ['--data', data, '--table', 'users', '--to', exports, '--enable-pitr']);
    expect(out[0]).toMatch(/^Exported 0 items \(0 bytes\) of table users to /);
  });
});

describe('magneto serve --object-store', () => {
  it('parses BUCKET=DIR pairs and refuses malformed ones', () => {
    expect((parseServeOptions(['--object-store', 'exports=./out,raw=/tmp/raw']) as { objectStores: object }).objectStores).toEqual({ exports: './out', raw: '/tmp/raw' });
    expect((parseServeOptions([]) as { objectStores: object }).objectStores).toEqual({});
    expect(() => parseServeOptions(['--object-store', 'exports'])).toThrow("option --object-store must be BUCKET=DIR pairs, got 'exports'");
    expect(() => parseServeOptions(['--object-store', 'a=x,a=y'])).toThrow("option --object-store names bucket 'a' twice");
  });

  it.skipIf(!existsSync(BUILT_CLI))('serves ExportTableToPointInTime into the directory over HTTP, and magneto export / import --endpoint use the bucket', async () => {
    const exports = tempDir();
    const { child, url: served } = serveCli(['--port', '0', '--object-store', `exports=${exports}`]);
    try {
      const url = await served;
      const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      await client.send(new CreateTableCommand(users));
      await client.send(new UpdateContinuousBackupsCommand({ TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      for (let i = 0; i < 12; i++) await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: `u${i}` }, b: { B: new Uint8Array([i]) } } }));

      // The unchanged SDK, over HTTP: the export lands in the bucket's directory.
      const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'users', S3Bucket: 'exports', S3Prefix: 'sdk' }))).ExportDescription!;
      let described = started;
      while (described.ExportStatus === 'IN_PROGRESS') described = (await client.send(new DescribeExportCommand({ ExportArn: started.ExportArn! }))).ExportDescription!;
      expect(described).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 12 });
      expect(existsSync(join(exports, described.ExportManifest!))).toBe(true);

      // The CLI against the server: export to the bucket, import from it into a new table.
      const exported = await run('export', ['--endpoint', url, '--table', 'users', '--to', 's3://exports/cli']);
      const id = /AWSDynamoDB\/(\S+)\/ in/.exec(exported.out[0]!)![1]!;
      expect(exported.out[0]).toMatch(/^Exported 12 items \(\d+ bytes\) of table users to s3:\/\/exports\/cli\/AWSDynamoDB\/\S+\/ in/);
      expect(existsSync(join(exports, 'cli', 'AWSDynamoDB', id, 'manifest-summary.json'))).toBe(true);
      const imported = await run('import', ['--endpoint', url, '--from', `s3://exports/cli/AWSDynamoDB/${id}/data/`, '--table', 'users-copy', '--key', 'id:S', '--format', 'dynamodb-json', '--compression', 'gzip']);
      expect(imported.out[0]).toMatch(/^Imported 12 items into table users-copy \(12 processed, 0 errors\)/);
      const scan = async (TableName: string) => ((await client.send(new ScanCommand({ TableName }))).Items ?? []).sort((a, b) => (a.id!.S! < b.id!.S! ? -1 : 1));
      expect(await scan('users-copy')).toEqual(await scan('users'));
      client.destroy();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
