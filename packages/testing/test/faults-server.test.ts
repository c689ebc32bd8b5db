import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Database, faults } from '@magneto/core';
import { startServer } from '@magneto/server';
import { describe, expect, it } from 'vitest';
import { parseServeOptions } from '../../server/src/cli-options.js';

describe('faults over the server', () => {
  it('serves the control endpoint: POST a rule, the next request fails as DynamoDB would (HTTP 503), GET shows what fired, DELETE clears', async () => {
    const chaos = faults();
    const database = new Database({ modules: [chaos] });
    await database.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    const server = await startServer({ port: 0, database, faults: chaos });
    try {
      const control = `${server.url}/_magneto/faults`;
      const added = await fetch(control, { method: 'POST', body: JSON.stringify({ name: 'down', operation: 'PutItem', nth: 1, error: 'ServiceUnavailable' }) });
      expect(await added.json()).toEqual({ names: ['down'] });
      const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
      const put = new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'a' } } });
      await expect(client.send(put)).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
      await expect(client.send(put)).resolves.toBeDefined();
      const state = (await (await fetch(control)).json()) as { rules: Array<{ name: string; matched: number; fired: number }>; injected: Array<{ rule: string; fault: string }> };
      expect(state.rules.map(({ name, matched, fired }) => ({ name, matched, fired }))).toEqual([{ name: 'down', matched: 2, fired: 1 }]);
      expect(state.injected.map(({ rule, fault }) => ({ rule, fault }))).toEqual([{ rule: 'down', fault: 'ServiceUnavailable' }]);
      expect((await fetch(control, { method: 'DELETE' })).status).toBe(200);
      expect(chaos.rules).toEqual([]);
      expect((await fetch(control, { method: 'POST', body: '{"error":"NoSuchException"}' })).status).toBe(400);
      // A misspelled member would make the rule match every request: it is refused, named.
      const misspelled = await fetch(control, { method: 'POST', body: '{"opration":"PutItem","error":"ThrottlingException"}' });
      expect(misspelled.status).toBe(400);
      expect(((await misspelled.json()) as { message: string }).message).toMatch(/^faults\(\): a rule has no member opration; its members are name, operation, /);
      expect(chaos.rules).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses the control endpoint on a host that is not loopback', async () => {
    await expect(startServer({ port: 0, host: '0.0.0.0', faults: faults() })).rejects.toThrow('loopback host only');
    const reset = () => ({ status: 200, body: {} });
    await expect(startServer({ port: 0, host: '0.0.0.0', controls: { '/_magneto/reset': reset } })).rejects.toThrow('loopback host only');
    await expect(startServer({ port: 0, controls: { '/reset': reset } })).rejects.toThrow("A control endpoint's path starts with /_magneto/, not /reset");
  });

  it('magneto serve takes --faults FILE, --fault-control and --savepoint-control (in memory only)', () => {
    expect(parseServeOptions(['--faults', 'rules.json'])).toMatchObject({ faults: { file: 'rules.json' } });
    expect(parseServeOptions(['--fault-control'])).toMatchObject({ faults: {} });
    expect(parseServeOptions([])).not.toHaveProperty('faults');
    expect(parseServeOptions(['--savepoint-control'])).toMatchObject({ savepointControl: true });
    expect(parseServeOptions([])).not.toHaveProperty('savepointControl');
    expect(() => parseServeOptions(['--savepoint-control', '--data', 'dir'])).toThrow('option --savepoint-control keeps savepoints of a database in memory, not with --data');
  });

  it('magneto serve --savepoint-control: a suite in any language seeds, keeps a savepoint, and resets to it before each test over plain HTTP', async () => {
    const cli = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--savepoint-control', '--fault-control'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          const found = /http:\/\/\S+/.exec(chunk.toString());
          if (found) resolve(found[0]);
        });
        child.on('exit', (code) => reject(new Error(`magneto serve exited with ${code}`)));
      });
      const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
      await client.send(new CreateTableCommand({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'seeded' } } }));
      expect((await fetch(`${url}/_magneto/savepoint`, { method: 'POST' })).status).toBe(200);
      // A test writes and adds a fault rule; the next test's reset undoes both.
      await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'written' } } }));
      await fetch(`${url}/_magneto/faults`, { method: 'POST', body: '{"operation":"Scan","error":"InternalServerError"}' });
      expect((await fetch(`${url}/_magneto/reset`, { method: 'POST' })).status).toBe(200);
      expect((await client.send(new ScanCommand({ TableName: 'orders' }))).Items).toEqual([{ id: { S: 'seeded' } }]);
      expect((await fetch(`${url}/_magneto/reset`)).status).toBe(405);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
