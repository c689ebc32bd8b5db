/**
 * What a suite written for jest-dynalite or @shelf/jest-dynamodb keeps when its preset line becomes
 * `@magneto/testing`: its config file (tables, jest-dynalite's `data`, shelf's `port`), the
 * MOCK_DYNAMODB_ENDPOINT its code reads, a server per worker, and jest-dynalite's fresh tables for each test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { CreateTableInput } from '@magneto/core';
import { loadConfig, startTestServer, stopTestServer } from '@magneto/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { useWorkerServer } from '../src/setup/worker-server.js';

const TABLE: CreateTableInput = {
  TableName: 'users',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
};

const directories: string[] = [];
const saved = { ...process.env };
afterEach(async () => {
  await stopTestServer();
  process.env = { ...saved };
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'magneto-preset-'));
  directories.push(directory);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

describe('a jest-dynalite or @shelf/jest-dynamodb suite under the @magneto/testing preset', () => {
  it("reads jest-dynalite-config.js: its tables (a function too) and each table's data", async () => {
    const directory = project({
      'jest-dynalite-config.js': `module.exports = { basePort: 8100, tables: async () => [${JSON.stringify({ ...TABLE, data: [{ id: 'u1', age: 41, tags: ['a'] }] })}] };`,
    });
    const config = await loadConfig(directory);
    expect(config).toEqual({ tables: [TABLE], items: { users: [{ id: 'u1', age: 41, tags: ['a'] }] } });
    // A magneto.config.* wins over it.
    writeFileSync(join(directory, 'magneto.config.json'), '{ "tables": [] }');
    expect(await loadConfig(directory)).toEqual({ tables: [] });
  });

  it("reads jest-dynamodb-config.js: its tables and its port, one server shared by every worker, not reset between tests", async () => {
    const directory = project({ 'jest-dynamodb-config.js': `module.exports = async () => ({ port: 0, tables: [${JSON.stringify(TABLE)}] });` });
    expect(await loadConfig(directory)).toEqual({ tables: [TABLE], port: 0, resetBetweenTests: false });
    expect(await loadConfig(project({ 'jest-dynamodb-config.js': `module.exports = { tables: [] };` }))).toEqual({ tables: [], port: 8000, resetBetweenTests: false });
    await startTestServer(await loadConfig(directory), { workers: 4 });
    expect(process.env.MAGNETO_ENDPOINTS?.split(',')).toHaveLength(1);
    expect(process.env.MAGNETO_RESET_BETWEEN_TESTS).toBe('false');
  });

  it('starts a server per worker, points each worker at its own (MOCK_DYNAMODB_ENDPOINT too) and resets it before each test', async () => {
    const url = await startTestServer({ tables: [TABLE], items: { users: [{ id: 'u1' }] } }, { workers: 2 });
    const endpoints = process.env.MAGNETO_ENDPOINTS!.split(',');
    expect(endpoints).toHaveLength(2);
    expect(endpoints[0]).toBe(url);
    expect(process.env.MOCK_DYNAMODB_ENDPOINT).toBe(url);

    // Worker 2's setup file: its own server, and a hook that resets it.
    process.env.JEST_WORKER_ID = '2';
    const hooks: Array<() => Promise<void>> = [];
    useWorkerServer((hook) => hooks.push(hook));
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(endpoints[1]);
    expect(process.env.MOCK_DYNAMODB_ENDPOINT).toBe(endpoints[1]);
    expect(hooks).toHaveLength(1);

    // Code as jest-dynalite's README writes it, and code that reads AWS_ENDPOINT_URL_DYNAMODB.
    const own = new DynamoDBClient({ endpoint: process.env.MOCK_DYNAMODB_ENDPOINT!, region: 'local' });
    const other = new DynamoDBClient({ endpoint: endpoints[0]! });
    await own.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'u2' } } }));
    await fetch(`${endpoints[1]}/_magneto/faults`, { method: 'POST', body: JSON.stringify({ operation: 'GetItem', error: 'InternalServerError' }) });
    expect((await other.send(new ScanCommand({ TableName: 'users' }))).Count).toBe(1);

    await hooks[0]!();
    expect((await own.send(new ScanCommand({ TableName: 'users' }))).Items).toEqual([{ id: { S: 'u1' } }]);
    // The reset cleared the fault rule too.
    expect((await own.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'u1' } } }))).Item).toEqual({ id: { S: 'u1' } });
    expect((await fetch(`${endpoints[1]}/_magneto/reset`)).status).toBe(405);
  });

  it('a config with resetBetweenTests: false registers no reset', async () => {
    await startTestServer({ tables: [TABLE], resetBetweenTests: false }, { workers: 1 });
    const hooks: Array<() => Promise<void>> = [];
    useWorkerServer((hook) => hooks.push(hook));
    expect(hooks).toHaveLength(0);
  });
});
