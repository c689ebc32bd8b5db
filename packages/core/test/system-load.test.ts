import { describe, expect, it } from 'vitest';
import { Database, type ChangeBatch, type CreateTableInput, type DatabaseModule, type Item, type ModuleContext } from '../src/index.js';
import { fileStorage } from '@magneto/core/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A module that keeps its context, so the test can call systemLoad as a module would. */
function capture(): { module: DatabaseModule; context: () => ModuleContext } {
  let context: ModuleContext | undefined;
  return { module: { name: 'capture', install: (c) => void (context = c) }, context: () => context! };
}

const definition = (TableName: string): CreateTableInput => ({
  TableName,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'g', AttributeType: 'N' },
  ],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
});

const itemsUpTo = (n: number): Item[] => Array.from({ length: n }, (_, i) => ({ pk: { S: `k${i}` }, g: { N: String(i % 7) }, v: { S: 'x'.repeat(i % 50) } }));

async function count(db: Database, tableName: string, g?: number): Promise<number> {
  if (g === undefined) return (await db.scan({ TableName: tableName, Select: 'COUNT' })).Count!;
  return (await db.query({ TableName: tableName, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { N: String(g) } }, Select: 'COUNT' })).Count!;
}

describe('ModuleContext.systemLoad', () => {
  it('writes every item and its index entries, and publishes the changes in batches of up to 1,000 with their origin', async () => {
    const { module, context } = capture();
    const db = new Database({ modules: [module] });
    await db.createTable(definition('things'));
    const batches: ChangeBatch[] = [];
    context().onChange((batch) => batches.push(batch));
    const progress: number[] = [];
    expect(context().systemLoad('things', itemsUpTo(2500), 'restore', (n) => progress.push(n))).toBe(2500);
    expect(await count(db, 'things')).toBe(2500);
    expect(await count(db, 'things', 3)).toBe(357);
    expect(batches.map((b) => b.records.length)).toEqual([1000, 1000, 500]);
    expect(new Set(batches.flatMap((b) => b.records.map((r) => `${r.eventName}/${r.origin}`)))).toEqual(new Set(['INSERT/restore']));
    expect(progress).toEqual([1000, 2000, 2500]);
    expect((await db.getItem({ TableName: 'things', Key: { pk: { S: 'k12' } } })).Item).toEqual(itemsUpTo(13)[12]);
  });

  it('loads a table snapshot into another table, sharing its items, and later writes to either do not show in the other', async () => {
    const { module, context } = capture();
    const db = new Database({ modules: [module] });
    await db.createTable(definition('source'));
    await db.createTable(definition('copy'));
    context().systemLoad('source', itemsUpTo(300), 'restore');
    const snapshot = context().snapshotTable('source');
    await db.putItem({ TableName: 'source', Item: { pk: { S: 'late' }, g: { N: '3' } } });
    expect(context().systemLoad('copy', snapshot, 'restore')).toBe(300);
    await db.deleteItem({ TableName: 'copy', Key: { pk: { S: 'k3' } } });
    expect(await count(db, 'copy')).toBe(299);
    expect(await count(db, 'copy', 3)).toBe(42);
    expect(await count(db, 'source')).toBe(301);
    expect(await count(db, 'source', 3)).toBe(44);
    // Under another key schema the items are placed by their keys there.
    await db.createTable({ TableName: 'byGroup', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }, { AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }], BillingMode: 'PAY_PER_REQUEST' });
    expect(context().systemLoad('byGroup', snapshot, 'restore')).toBe(300);
    expect((await db.query({ TableName: 'byGroup', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { N: '3' } }, Select: 'COUNT' })).Count).toBe(43);
    expect((await db.getItem({ TableName: 'byGroup', Key: { g: { N: '3' }, pk: { S: 'k10' } } })).Item).toEqual(itemsUpTo(11)[10]);
  });

  it('refuses an invalid item with a ValidationException, keeping the items before it, and a missing table', async () => {
    const { module, context } = capture();
    const db = new Database({ modules: [module] });
    await db.createTable(definition('things'));
    const items: Item[] = [...itemsUpTo(3), { pk: { S: 'bad' }, g: { S: 'not a number' } }, ...itemsUpTo(5)];
    expect(() => context().systemLoad('things', items, 'restore')).toThrow(/Type mismatch for Index Key g/);
    expect(await count(db, 'things')).toBe(3);
    expect(() => context().systemLoad('things', [{ pk: { S: 'x' }, e: {} } as unknown as Item], 'restore')).toThrow(/Supplied AttributeValue is empty/);
    expect(() => context().systemLoad('missing', itemsUpTo(1), 'restore')).toThrow(/Requested resource not found/);
  });

  it('is durable on file storage: the loaded items are there after reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-system-load-'));
    try {
      const { module, context } = capture();
      const db = new Database({ storage: fileStorage(dir), modules: [module] });
      await db.open();
      await db.createTable(definition('things'));
      context().systemLoad('things', itemsUpTo(1500), 'restore');
      await db.close();
      const reopened = new Database({ storage: fileStorage(dir) });
      await reopened.open();
      expect(await count(reopened, 'things')).toBe(1500);
      expect(await count(reopened, 'things', 0)).toBe(215);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
