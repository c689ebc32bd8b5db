import { describe, expect, it } from 'vitest';
import { Database, type ChangeRecord, type DatabaseModule, type ModuleContext } from '../src/index.js';

/** A module that keeps its context, so the test can call systemLoad as a module would. */
function capture(): { module: DatabaseModule; context: () => ModuleContext } {
  let context: ModuleContext | undefined;
  return { module: { name: 'capture', install: (c) => void (context = c) }, context: () => context! };
}

describe('ModuleContext.systemLoad of a table snapshot into a table it cannot fork (items kept as stored)', () => {
  it('writes each item and its index entries under the target key schema, publishing INSERT and MODIFY with old images', async () => {
    const { module, context } = capture();
    const db = new Database({ modules: [module] });
    await db.createTable({ TableName: 'source', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
    await db.createTable({
      TableName: 'byGroup',
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }, { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'v', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byV', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['n'] } }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    for (let i = 0; i < 30; i++) await db.putItem({ TableName: 'source', Item: { pk: { S: `k${i}` }, g: { N: String(i % 3) }, v: { S: `v${i % 5}` }, n: { N: String(i) }, other: { BOOL: true } } });
    await db.putItem({ TableName: 'byGroup', Item: { g: { N: '1' }, pk: { S: 'k1' }, v: { S: 'old' } } });
    const records: ChangeRecord[] = [];
    context().onChange((batch) => records.push(...batch.records));

    expect(context().systemLoad('byGroup', context().snapshotTable('source'), 'restore')).toBe(30);

    expect((await db.getItem({ TableName: 'byGroup', Key: { g: { N: '2' }, pk: { S: 'k5' } } })).Item).toEqual({ pk: { S: 'k5' }, g: { N: '2' }, v: { S: 'v0' }, n: { N: '5' }, other: { BOOL: true } });
    const byV = await db.query({ TableName: 'byGroup', IndexName: 'byV', KeyConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { S: 'v1' } } });
    expect(byV.Items!.map((item) => (item.n as { N: string }).N).sort()).toEqual(['1', '11', '16', '21', '26', '6']);
    expect(byV.Items![0]!.other).toBeUndefined();
    const old = await db.query({ TableName: 'byGroup', IndexName: 'byV', KeyConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { S: 'old' } } });
    expect(old.Count).toBe(0);
    expect(records).toHaveLength(30);
    const modify = records.filter((r) => r.eventName === 'MODIFY');
    expect(modify.map((r) => [r.keys, r.oldImage])).toEqual([[{ g: { N: '1' }, pk: { S: 'k1' } }, { g: { N: '1' }, pk: { S: 'k1' }, v: { S: 'old' } }]]);
    expect(new Set(records.map((r) => r.origin))).toEqual(new Set(['restore']));
  });

  it('refuses an item without the target key with a ValidationException', async () => {
    const { module, context } = capture();
    const db = new Database({ modules: [module] });
    await db.createTable({ TableName: 'source', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
    await db.createTable({ TableName: 'byGroup', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' });
    await db.putItem({ TableName: 'source', Item: { pk: { S: 'a' }, v: { S: 'no g' } } });
    expect(() => context().systemLoad('byGroup', context().snapshotTable('source'), 'restore')).toThrow(expect.objectContaining({ name: 'ValidationException' }));
    expect((await db.scan({ TableName: 'byGroup' })).Count).toBe(0);
  });
});
