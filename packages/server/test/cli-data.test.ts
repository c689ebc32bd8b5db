import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';

// `magneto serve --data DIR` as users run it: the built CLI, its file store, its lock, a restart.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

function serve(dir: string): { child: ChildProcess; url: Promise<string>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const found = /http:\/\/\S+/.exec(chunk.toString());
      if (found) resolve(found[0]);
    });
    child.on('exit', () => reject(new Error(`server exited: ${stderr}`)));
  });
  url.catch(() => {});
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return { child, url, exit };
}

const client = (url: string) =>
  new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('magneto serve --data', () => {
  it('keeps tables and items across a restart, and refuses a second server on the same directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-serve-'));
    dirs.push(dir);
    const first = serve(dir);
    const sdk = client(await first.url);
    await sdk.send(
      new CreateTableCommand({
        TableName: 'things',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await sdk.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'a' }, n: { N: '1' } } }));
    sdk.destroy();

    const second = serve(dir);
    const refused = await second.exit;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The store ${dir} is in use by process ${first.child.pid}`);

    first.child.kill('SIGTERM');
    expect((await first.exit).code).toBe(0);

    const restarted = serve(dir);
    const again = client(await restarted.url);
    const { Item } = await again.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }));
    expect(Item).toEqual({ id: { S: 'a' }, n: { N: '1' } });
    again.destroy();
  }, 30_000);
});
