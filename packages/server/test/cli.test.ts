import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from './support/serve-cli.js';

// The built `magneto` command as users run it (`npm run build` first): help, version, usage errors,
// a failed start, recovery's damage, TTL timings.
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const children: ChildProcess[] = [];
const dirs: string[] = [];
const servers: Server[] = [];

/** Runs the CLI (support/serve-cli.ts), killed after each test. */
function magneto(...args: string[]): CliRun {
  const running = runCli(args);
  children.push(running.child);
  return running;
}

const run = (...args: string[]) => magneto(...args).exit;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'magneto-cli-'));
  dirs.push(dir);
  return dir;
}

const client = (url: string) =>
  new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

const TABLE = {
  TableName: 'things',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const server of servers.splice(0)) server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('magneto --help, serve --help, --version', () => {
  it('prints the commands and exits 0', async () => {
    for (const { code, stdout } of await Promise.all([['--help'], ['-h'], []].map((args) => run(...args)))) {
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: magneto <command> [options]');
      expect(stdout).toContain('serve');
    }
  });

  it("prints every option of serve and exits 0", async () => {
    const { code, stdout } = await run('serve', '--help');
    expect(code).toBe(0);
    for (const option of ['--port', '--data', '--durability', '--on-damage', '--ttl-sweep-interval-ms', '--ttl-transition-ms', '--http', '--max-buffered-bytes']) {
      expect(stdout).toContain(option);
    }
  });

  it("prints the package's version", async () => {
    for (const { code, stdout } of await Promise.all(['--version', '-v'].map((flag) => run(flag)))) {
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(VERSION);
    }
  });
});

describe('magneto usage errors', () => {
  const cases: Array<[string[], string]> = [
    [['bogus'], "magneto: unknown command 'bogus'"],
    [['--bogus'], 'magneto: unknown option --bogus'],
    [['serve', '--port'], 'magneto: option --port needs a value'],
    [['serve', '--port', '--data', 'x'], 'magneto: option --port needs a value'],
    [['serve', '--port', 'abc'], "magneto: option --port must be a whole number from 0 to 65535, got 'abc'"],
    [['serve', '--ttl-sweep-interval-ms', '0'], "magneto: option --ttl-sweep-interval-ms must be a whole number from 1 to 9007199254740991, got '0'"],
    [['serve', '--http', 'slow'], "magneto: option --http must be fast or node, got 'slow'"],
    [['serve', '--on-damage', 'ignore', '--data', 'x'], "magneto: option --on-damage must be refuse or report, got 'ignore'"],
    [['serve', 'now'], "magneto: unexpected argument 'now'"],
    [['serve', '--port', '1', '--port', '2'], 'magneto: option --port is given twice'],
    [['serve', '--durability', 'batched'], 'magneto: option --durability needs --data DIR (without it the database is in memory)'],
    [['serve', '--on-damage', 'refuse'], 'magneto: option --on-damage needs --data DIR (without it the database is in memory)'],
  ];

  it('exit 2 with a first line naming the bad option or value, and the help to read', async () => {
    // Run side by side: each is a process start.
    const exits = await Promise.all(cases.map(([args]) => run(...args)));
    cases.forEach(([args, message], i) => {
      const { code, stdout, stderr } = exits[i]!;
      const help = args[0] === 'serve' ? 'magneto serve --help' : 'magneto --help';
      expect({ args, code, stdout, stderr }).toEqual({ args, code: 2, stdout: '', stderr: `${message}\nRun '${help}' for usage.\n` });
    });
  });

  it('refuses --data naming a file, and names it', async () => {
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, 'x');
    const { code, stderr } = await run('serve', '--port', '0', '--data', file);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`magneto: option --data ${file} names a file, not a directory`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('magneto serve: a failed start', () => {
  it('exits non-zero when the port is in use, leaving no LOCK, and the directory serves again', async () => {
    const occupier = createServer();
    servers.push(occupier);
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const port = (occupier.address() as AddressInfo).port;
    const dir = tempDir();

    const failed = await run('serve', '--port', String(port), '--data', dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`magneto: cannot listen on 127.0.0.1:${port}: the port is in use`);
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);

    const second = magneto('serve', '--port', '0', '--data', dir);
    const sdk = client(await second.url);
    await sdk.send(new CreateTableCommand(TABLE));
    sdk.destroy();
  });
});

describe('magneto serve --on-damage', () => {
  /** A store with one item whose newest log segment ends in garbage (a torn record). */
  async function damagedStore(): Promise<string> {
    const dir = tempDir();
    const db = new Database({ storage: fileStorage(dir) });
    await db.createTable(TABLE);
    await db.putItem({ TableName: 'things', Item: { id: { S: 'a' } } });
    await db.close();
    const newest = readdirSync(dir).filter((name) => name.endsWith('.wal')).sort().at(-1)!;
    appendFileSync(join(dir, newest), Buffer.from([0, 0, 0, 40, 1, 2, 3]));
    return dir;
  }

  it('refuse: prints the damage and exits 1, leaving no LOCK', async () => {
    const dir = await damagedStore();
    const { code, stdout, stderr } = await run('serve', '--port', '0', '--data', dir, '--on-damage', 'refuse');
    expect(code).toBe(1);
    expect(stderr).toContain(`magneto: recovery of ${dir} found damage (set aside, not deleted); not serving it (--on-damage refuse):`);
    expect(stderr).toMatch(/ {2}log-\d+\.wal at byte \d+ \(torn/);
    expect(stdout).not.toContain('serving');
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });

  it('report (the default): prints the damage and serves what was recovered', async () => {
    const dir = await damagedStore();
    const served = magneto('serve', '--port', '0', '--data', dir);
    const sdk = client(await served.url);
    const { Item } = await sdk.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }));
    expect(Item).toEqual({ id: { S: 'a' } });
    sdk.destroy();
    served.child.kill('SIGTERM');
    const { stderr } = await served.exit;
    expect(stderr).toContain(`magneto: recovery of ${dir} found damage (set aside, not deleted):`);
  });
});

describe('magneto serve --ttl-sweep-interval-ms --ttl-transition-ms', () => {
  it('enables Time to Live at once and deletes an expired item within the sweep interval', async () => {
    const served = magneto('serve', '--port', '0', '--ttl-sweep-interval-ms', '100', '--ttl-transition-ms', '0');
    const sdk = client(await served.url);
    await sdk.send(new CreateTableCommand(TABLE));
    await sdk.send(new UpdateTimeToLiveCommand({ TableName: 'things', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    const { TimeToLiveDescription } = await sdk.send(new DescribeTimeToLiveCommand({ TableName: 'things' }));
    expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
    await sdk.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'old' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) - 60) } } }));
    // Polled: the default sweep (every 60 s) would not delete it within this test's timeout.
    let item: unknown = {};
    while (item !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ({ Item: item } = await sdk.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'old' } } })));
    }
    sdk.destroy();
  }, 20_000);
});
