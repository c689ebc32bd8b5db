/**
 * capacity(): a write whose ConditionExpression fails still consumes write capacity, as DynamoDB charges
 * it — write units for the size of the item as it is (at least one), and nothing to the GSIs — so a
 * stream of failing conditional writes throttles like any other.
 */
import { describe, expect, it } from 'vitest';
import { capacity, ConditionalCheckFailedException, Database, ManualClock, ProvisionedThroughputExceededException } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

async function setup() {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const cap = capacity({ burstSeconds: 0 });
  const db = new Database({ clock, modules: [cap] });
  await db.createTable({
    TableName: 'things',
    KeySchema: keys('pk'),
    AttributeDefinitions: attributes({ pk: 'S', email: 'S' }),
    ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 },
    GlobalSecondaryIndexes: [{ IndexName: 'byEmail', KeySchema: keys('email'), Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
  });
  return { clock, cap, db };
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the request to fail'),
    (e: unknown) => e,
  );
}

describe('capacity() › failed conditional writes', () => {
  it('charge the existing item’s write units (at least one) to the table, and throttle when they run out', async () => {
    const { clock, cap, db } = await setup();
    // 2,500 bytes: 3 write units.
    await db.putItem({ TableName: 'things', Item: { pk: { S: 'big' }, data: { S: 'x'.repeat(2490) } } });
    await clock.advance(1000); // full again: 10 units
    const conditional = { ConditionExpression: 'attribute_not_exists(pk)' };
    expect(await rejected(db.putItem({ TableName: 'things', Item: { pk: { S: 'big' }, email: { S: 'e' } }, ...conditional }))).toBeInstanceOf(ConditionalCheckFailedException);
    expect(
      await rejected(db.updateItem({ TableName: 'things', Key: { pk: { S: 'big' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '1' } }, ...conditional })),
    ).toBeInstanceOf(ConditionalCheckFailedException);
    expect(await rejected(db.deleteItem({ TableName: 'things', Key: { pk: { S: 'absent' } }, ConditionExpression: 'attribute_exists(pk)' }))).toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    // 3 + 3 + 1 units spent: three one-unit writes are left, the fourth is throttled.
    for (const pk of ['a', 'b', 'c']) await db.putItem({ TableName: 'things', Item: { pk: { S: pk } } });
    expect(await rejected(db.putItem({ TableName: 'things', Item: { pk: { S: 'd' } } }))).toBeInstanceOf(ProvisionedThroughputExceededException);

    const minute = cap.metrics('things').at(-1)!;
    expect(minute.ConsumedWriteCapacityUnits).toBe(3 + 3 + 3 + 1 + 3);
    // Nothing was written to the GSI: it was charged nothing.
    expect(cap.metrics('things', { indexName: 'byEmail' }).at(-1)!.ConsumedWriteCapacityUnits).toBe(0);
  });

  it('a write that fails validation is not charged', async () => {
    const { cap, db } = await setup();
    await rejected(db.putItem({ TableName: 'things', Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(#missing)' }));
    expect(cap.metrics('things').at(-1)!.ConsumedWriteCapacityUnits).toBe(0);
  });
});
