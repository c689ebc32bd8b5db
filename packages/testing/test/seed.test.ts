/**
 * seed(db, { from }) and the config's `seed`: a DynamoDB export in DYNAMODB_JSON (written by @magneto/backup's
 * ExportTableToPointInTime, and AWS's own golden export), a directory of `<TableName>.json` fixtures, one JSON
 * file of tables; data files checked against the manifest.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backup, memoryObjectStore } from '@magneto/backup';
import { Database, ManualClock, type CreateTableInput } from '@magneto/core';
import { createTestDatabase, seed } from '@magneto/testing';
import { describe, expect, it } from 'vitest';

const orders: CreateTableInput = {
  TableName: 'orders',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
};
const GOLDEN = fileURLToPath(new URL('../../backup/test/export-import/fixtures/aws-export/', import.meta.url));

/** Exports `orders` (with `count` items, one of every type) through @magneto/backup into a new directory. */
async function exported(count: number): Promise<{ directory: string; items: unknown[] }> {
  const bucket = memoryObjectStore();
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const db = new Database({ clock, modules: [backup({ objectStores: { bucket } })] });
  await db.createTable(orders);
  await db.execute('DynamoDB_20120810', 'UpdateContinuousBackups', { TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  for (let i = 0; i < count; i++) {
    await db.putItem({ TableName: 'orders', Item: { id: { S: `o${i}` }, total: { N: `${i}.5` }, blob: { B: new Uint8Array([i % 256, 0, 255]) }, tags: { SS: ['a', `t${i}`] }, lines: { L: [{ M: { sku: { S: 'x' }, on: { BOOL: true }, none: { NULL: true } } }] }, sizes: { NS: ['1', '2'] } } });
  }
  await clock.advance(1000);
  const { ExportDescription } = (await db.execute('DynamoDB_20120810', 'ExportTableToPointInTime', { TableArn: 'orders', S3Bucket: 'bucket', S3Prefix: 'exports' })) as { ExportDescription: { ExportArn: string } };
  for (let i = 0; i < 1000; i++) {
    const described = (await db.execute('DynamoDB_20120810', 'DescribeExport', { ExportArn: ExportDescription.ExportArn })) as { ExportDescription: { ExportStatus: string } };
    if (described.ExportDescription.ExportStatus !== 'IN_PROGRESS') break;
    await clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const directory = mkdtempSync(join(tmpdir(), 'magneto-seed-'));
  for (const [key, bytes] of bucket.objects) {
    mkdirSync(dirname(join(directory, key)), { recursive: true });
    writeFileSync(join(directory, key), bytes);
  }
  return { directory, items: (await db.scan({ TableName: 'orders' })).Items ?? [] };
}

describe('seed', () => {
  it("loads an export @magneto/backup wrote, found under the bucket's directory, every type intact", async () => {
    const { directory, items } = await exported(30);
    const db = new Database();
    await db.createTable(orders);
    expect(await seed(db, { from: directory })).toEqual({ orders: 30 });
    expect((await db.scan({ TableName: 'orders' })).Items).toEqual(items);
  });

  it("loads AWS's own export (the documentation's ProductCatalog) into a named table", async () => {
    const db = new Database();
    await db.createTable({ ...orders, TableName: 'catalog', KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'N' }] });
    expect(await seed(db, { from: join(GOLDEN, 'AWSDynamoDB/01604474914028-a1b2c3d4'), tableName: 'catalog' })).toEqual({ catalog: 3 });
    expect((await db.getItem({ TableName: 'catalog', Key: { Id: { N: '103' } } })).Item).toMatchObject({ Title: { S: 'Book 103 Title' }, Authors: { L: [{ S: 'Author1' }, { S: 'Author2' }] } });
  });

  it('refuses a data file that does not match its manifest', async () => {
    const { directory } = await exported(3);
    const exportDirectory = join(directory, 'exports/AWSDynamoDB', readdirSync(join(directory, 'exports/AWSDynamoDB'))[0]!);
    const entry = JSON.parse(readFileSync(join(exportDirectory, 'manifest-files.json'), 'utf8').trim()) as { dataFileS3Key: string };
    writeFileSync(join(exportDirectory, 'data', entry.dataFileS3Key.split('/').pop()!), 'not gzip');
    const db = new Database();
    await db.createTable(orders);
    await expect(seed(db, { from: exportDirectory })).rejects.toThrow('does not match its MD5 checksum in manifest-files.json');
  });

  it('loads JSON fixtures: a directory of <TableName>.json, or one file of tables, plain values or DynamoDB JSON', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'magneto-fixtures-'));
    writeFileSync(join(directory, 'orders.json'), JSON.stringify([{ id: 'o1', total: 12, tags: ['a'] }, { id: { S: 'o2' }, blob: { B: 'AQI=' } }]));
    const db = new Database();
    await db.createTable(orders);
    expect(await seed(db, directory)).toEqual({ orders: 2 });
    expect((await db.getItem({ TableName: 'orders', Key: { id: { S: 'o1' } } })).Item).toEqual({ id: { S: 'o1' }, total: { N: '12' }, tags: { L: [{ S: 'a' }] } });
    expect((await db.getItem({ TableName: 'orders', Key: { id: { S: 'o2' } } })).Item).toEqual({ id: { S: 'o2' }, blob: { B: new Uint8Array([1, 2]) } });

    const file = join(directory, 'tables.json.fixture');
    writeFileSync(file, JSON.stringify({ orders: [{ id: 'o3' }] }));
    expect(await seed(db, { from: file })).toEqual({ orders: 1 });
    // The tables must exist: PutItem's own answer says which is missing.
    await expect(seed(new Database(), directory)).rejects.toThrow('Requested resource not found');
  });

  it('createTestDatabase seeds from the config, and reset() goes back to the seeded items', async () => {
    const { directory } = await exported(5);
    const testDb = await createTestDatabase({ tables: [orders], seed: [directory] });
    await testDb.db.deleteItem({ TableName: 'orders', Key: { id: { S: 'o1' } } });
    testDb.reset();
    expect((await testDb.db.scan({ TableName: 'orders' })).Count).toBe(5);
  });
});
