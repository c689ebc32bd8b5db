import { describe, expect, it } from 'vitest';
import { Database, type DatabaseModule, type ModuleContext, type ChangeBatch } from '../src/index.js';

/** A module that keeps its context, so the test can call systemPut as a module would. */
function capture(): { module: DatabaseModule; context: () => ModuleContext } {
  let context: ModuleContext | undefined;
  return { module: { name: 'capture', install: (c) => void (context = c) }, context: () => context! };
}

describe('ModuleContext.systemPut', () => {
  it('writes the item and its index entries, publishes it with its origin, and returns the old item', async () => {
    const { module, context } = capture();
    const db = new Database({ modules: [module] });
    await db.createTable({
      TableName: 'things',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
    const batches: ChangeBatch[] = [];
    context().onChange((batch) => batches.push(batch));
    expect(context().systemPut('things', { pk: { S: 'a' }, g: { N: '1' } }, 'restore', 42)).toBeUndefined();
    const old = context().systemPut('things', { pk: { S: 'a' }, g: { N: '2' } }, 'replication');
    expect(old).toEqual({ pk: { S: 'a' }, g: { N: '1' } });
    expect((await db.getItem({ TableName: 'things', Key: { pk: { S: 'a' } } })).Item).toEqual({ pk: { S: 'a' }, g: { N: '2' } });
    expect((await db.query({ TableName: 'things', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { N: '2' } } })).Count).toBe(1);
    const records = batches.flatMap((b) => b.records);
    expect(records.map((r) => [r.eventName, r.origin])).toEqual([['INSERT', 'restore'], ['MODIFY', 'replication']]);
    expect(records[0]!.timestamp).toBe(42);
  });

  it('refuses an invalid item or a missing table and changes nothing', async () => {
    const { module, context } = capture();
    const db = new Database({ modules: [module] });
    await db.createTable({ TableName: 'things', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
    expect(() => context().systemPut('things', { pk: { N: '1' } }, 'restore')).toThrow(/ValidationException|Type mismatch|One or more parameter values were invalid/);
    expect(() => context().systemPut('missing', { pk: { S: 'x' } }, 'restore')).toThrow(/Requested resource not found/);
    expect((await db.scan({ TableName: 'things' })).Count).toBe(0);
  });
});
