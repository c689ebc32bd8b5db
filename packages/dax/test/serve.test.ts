import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ResourceNotFoundException, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '@magneto/server';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServeOptions, UsageError } from '../../server/src/cli-options.js';
import { serveCli } from '../../server/test/support/serve-cli.js';
import { freshAccelerator, user, userKey } from './support/fixture.js';

const running: RunningServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(running.splice(0).map((server) => server.close()));
});

const client = (url: string) => new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

describe('startServer({ dax }): a cached view of the server’s own database over HTTP', () => {
  it('serves reads from the caches: a write around the accelerator (on the Database) is stale over HTTP until the TTL', async () => {
    const { db, clock } = await freshAccelerator();
    const server = await startServer({ port: 0, database: db, dax: { recordTtlMillis: 1000 } });
    running.push(server);
    const http = client(server.url);
    await http.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Ada') }));
    await db.putItem({ TableName: 'users', Item: user('a', 'Bob') });
    expect((await http.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }))).Item).toEqual(user('a', 'Ada'));
    expect((await http.send(new GetItemCommand({ TableName: 'users', Key: userKey('a'), ConsistentRead: true }))).Item).toEqual(user('a', 'Bob'));
    await clock.advance(1000);
    expect((await http.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }))).Item).toEqual(user('a', 'Bob'));
    await expect(http.send(new GetItemCommand({ TableName: 'missing', Key: userKey('a') }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('magneto serve --dax', () => {
  it('parses --dax and its TTLs, which need it', () => {
    expect(parseServeOptions(['--dax'])).toMatchObject({ dax: {} });
    expect(parseServeOptions(['--dax', '--dax-record-ttl-millis', '0', '--dax-query-ttl-millis', '1000'])).toMatchObject({ dax: { recordTtlMillis: 0, queryTtlMillis: 1000 } });
    expect(parseServeOptions([])).not.toHaveProperty('dax');
    expect(() => parseServeOptions(['--dax-query-ttl-millis', '5'])).toThrow(new UsageError('option --dax-query-ttl-millis needs --dax'));
    expect(() => parseServeOptions(['--dax=yes'])).toThrow(new UsageError('option --dax takes no value'));
  });

  it('serves through the accelerator: a Query result stays cached after a write through (built CLI, `npm run build` first)', async () => {
    const served = serveCli(['--port', '0', '--dax']);
    children.push(served.child);
    const url = await served.url;
    expect(served.stdout()).toMatch(/serving DynamoDB at http:\/\/\S+, through a DAX-style accelerator/);
    const http = client(url);
    await http.send(
      new CreateTableCommand({
        TableName: 'docs',
        KeySchema: [{ AttributeName: 'doc', KeyType: 'HASH' }, { AttributeName: 'rev', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'doc', AttributeType: 'S' }, { AttributeName: 'rev', AttributeType: 'N' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const query = new QueryCommand({ TableName: 'docs', KeyConditionExpression: 'doc = :d', ExpressionAttributeValues: { ':d': { S: 'd' } } });
    expect((await http.send(query)).Count).toBe(0);
    await http.send(new PutItemCommand({ TableName: 'docs', Item: { doc: { S: 'd' }, rev: { N: '1' } } }));
    expect((await http.send(query)).Count).toBe(0);
    expect((await http.send(new QueryCommand({ ...query.input, ConsistentRead: true }))).Count).toBe(1);
    expect((await http.send(new GetItemCommand({ TableName: 'docs', Key: { doc: { S: 'd' }, rev: { N: '1' } } }))).Item).toEqual({ doc: { S: 'd' }, rev: { N: '1' } });
  });
});
