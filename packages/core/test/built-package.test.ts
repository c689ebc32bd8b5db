/**
 * The built package: plain Node (no TypeScript loader) imports `@magneto/core` by name from `dist/`,
 * as a user's app would. `pnpm test` builds first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const program = `
import { Database, ManualClock, ResourceNotFoundException, createRequestHandler } from '@magneto/core';
const db = new Database({ clock: new ManualClock(0) });
await db.createTable({
  TableName: 'users',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
});
await db.putItem({ TableName: 'users', Item: { id: { S: 'a' }, n: { N: '001.50' } } });
const { Item } = await db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } });
let missing = '';
try { await db.getItem({ TableName: 'nope', Key: { id: { S: 'a' } } }); }
catch (e) { missing = e instanceof ResourceNotFoundException ? e.message : 'wrong class'; }
const handler = createRequestHandler(db);
const { response } = await handler.handle({ headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
console.log(JSON.stringify({ n: Item.n.N, missing, tables: JSON.parse(new TextDecoder().decode(response.body)) }));
`;

describe('the built package', () => {
  it('imports by name in plain Node and serves requests', () => {
    expect(existsSync(dist), `${dist} is missing: run \`pnpm build\` (pnpm test does)`).toBe(true);
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', program], { cwd: examples, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({
      n: '1.5',
      missing: 'Requested resource not found',
      tables: { TableNames: ['users'] },
    });
  });

  it('imports @magneto/streams, ttl() and the file store (@magneto/core/node) by name in plain Node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-built-'));
    try {
      const durable = `
import { Database, ttl } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { streams } from '@magneto/streams';
const open = async () => { const db = new Database({ storage: fileStorage(${JSON.stringify(dir)}), modules: [streams(), ttl()] }); await db.open(); return db; };
let db = await open();
await db.createTable({
  TableName: 'users',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
});
await db.updateTimeToLive({ TableName: 'users', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
await db.putItem({ TableName: 'users', Item: { id: { S: 'a' } } });
await db.close();
db = await open();
const { Item } = await db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } });
const { Streams } = await db.execute('DynamoDBStreams_20120810', 'ListStreams', {});
const ttlOn = (await db.describeTimeToLive({ TableName: 'users' })).TimeToLiveDescription.AttributeName;
await db.close();
console.log(JSON.stringify({ item: Item, streams: Streams.length, ttlOn }));
`;
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', durable], { cwd: examples, encoding: 'utf8' });
      expect(JSON.parse(output)).toEqual({ item: { id: { S: 'a' } }, streams: 1, ttlOn: 'expiresAt' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
