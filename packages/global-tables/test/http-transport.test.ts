import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { Database } from '@magneto/core';
import { globalTables, HttpTransport, REPLICATION_PATH, SIGNATURE_HEADER } from '@magneto/global-tables';
import { startServer, type RunningServer } from '@magneto/server';
import { streams } from '@magneto/streams';
import { afterEach, describe, expect, it } from 'vitest';
import { globalTableDefinition } from './support/regions.js';

const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A port free right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls until `check` passes (real time: two servers replicate over real HTTP). */
async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function replicate(us: DynamoDBClient, eu: DynamoDBClient): Promise<void> {
  await us.send(new CreateTableCommand(globalTableDefinition() as never));
  await us.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'before' }, b: { B: new Uint8Array([0, 255, 7]) } } }));
  await us.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
  await eventually(async () => {
    const { Table } = await us.send(new DescribeTableCommand({ TableName: 'users' }));
    expect(Table!.Replicas).toEqual([{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]);
  });
  expect((await eu.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'before' } } }))).Item).toEqual({ id: { S: 'before' }, b: { B: new Uint8Array([0, 255, 7]) } });
  await eu.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'from-eu' } } }));
  await us.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'from-us' } } }));
  await eventually(async () => {
    expect((await us.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'from-eu' } } }))).Item).toBeDefined();
    expect((await eu.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'from-us' } } }))).Item).toBeDefined();
  });
}

describe('global tables › over HTTP', () => {
  it('two servers in one process replicate through HttpTransport, signing with a shared secret', async () => {
    const ports = [await freePort(), await freePort()];
    const clients: DynamoDBClient[] = [];
    for (const [i, region] of ['us-east-1', 'eu-west-1'].entries()) {
      const transport = new HttpTransport({ peers: [`http://127.0.0.1:${ports[1 - i]}`], discoveryMs: 50, secret: 's3cret' });
      const database = new Database({ region, modules: [streams(), globalTables({ transport, retransmitMs: 200 })] });
      const server: RunningServer = await startServer({ port: ports[i]!, region, database, replication: transport });
      cleanup.push(() => server.close());
      clients.push(new DynamoDBClient({ endpoint: server.url, region, credentials: CREDENTIALS }));
    }
    await replicate(clients[0]!, clients[1]!);
  });

  it('refuses (403) a replication request not signed with the peer secret', async () => {
    const port = await freePort();
    const transport = new HttpTransport({ peers: [], secret: 's3cret' });
    const database = new Database({ region: 'us-east-1', modules: [streams(), globalTables({ transport })] });
    const server = await startServer({ port, region: 'us-east-1', database, replication: transport });
    cleanup.push(() => server.close());
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}${REPLICATION_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ from: 'eu-west-1' }) });
    expect((await post({})).status).toBe(403);
    expect((await post({ [SIGNATURE_HEADER]: `t=${Date.now()},v1=${'0'.repeat(64)}` })).status).toBe(403);
    // A peer with another secret is refused; one with the same secret learns the server's region.
    const statuses: number[] = [];
    const peer = (secret: string, region: string) => {
      const client = new HttpTransport({
        peers: [server.url],
        secret,
        discoveryMs: 20,
        fetch: async (url, init) => {
          const response = await fetch(url, init);
          statuses.push(response.status);
          return response;
        },
      });
      cleanup.push(() => endpoint.close());
      const endpoint = client.attach(region, () => undefined);
      return client;
    };
    const wrong = peer('other', 'eu-west-1');
    await eventually(async () => expect(statuses.length).toBeGreaterThan(0));
    expect(statuses[0]).toBe(403);
    expect(wrong.peers.size).toBe(0);
    const right = peer('s3cret', 'ap-south-1');
    await eventually(async () => expect(right.peers.get('us-east-1')).toBe(server.url.replace(/\/+$/, '')));
  });

  it('two `magneto serve --region … --peer …` processes replicate to each other', async () => {
    const cli = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));
    const ports = [await freePort(), await freePort()];
    const clients: DynamoDBClient[] = [];
    for (const [i, region] of ['us-east-1', 'eu-west-1'].entries()) {
      const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--port', String(ports[i]), '--region', region, '--peer', `http://127.0.0.1:${ports[1 - i]}`, '--peer-secret', 's3cret'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      cleanup.push(() => child.kill());
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('serving DynamoDB') && resolve());
        child.on('exit', (code) => reject(new Error(`magneto exited with ${code}`)));
      });
      clients.push(new DynamoDBClient({ endpoint: `http://127.0.0.1:${ports[i]}`, region, credentials: CREDENTIALS }));
    }
    await replicate(clients[0]!, clients[1]!);
  });
});
