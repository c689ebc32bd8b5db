/**
 * capacity(): the per-partition-key ceiling applies to Query too — the partition key it names in its
 * key condition gets at most 3,000 RCU a second, on the table (TableReadKeyRangeThroughputExceeded) or on
 * the GSI it reads (IndexReadKeyRangeThroughputExceeded), while other keys are served.
 */
import { describe, expect, it } from 'vitest';
import { capacity, Database, ManualClock, ProvisionedThroughputExceededException } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/things';

async function setup() {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const db = new Database({ clock, modules: [capacity()] });
  await db.createTable({
    TableName: 'things',
    KeySchema: keys('pk', 'sk'),
    AttributeDefinitions: attributes({ pk: 'S', sk: 'N', email: 'S' }),
    ProvisionedThroughput: { ReadCapacityUnits: 40_000, WriteCapacityUnits: 40_000 },
    GlobalSecondaryIndexes: [
      { IndexName: 'byEmail', KeySchema: keys('email'), Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 40_000, WriteCapacityUnits: 40_000 } },
    ],
  });
  // Ten items of ~40 KB under each key: a strongly consistent Query of one key reads 100 units.
  for (const pk of ['hot', 'cold']) {
    for (let sk = 0; sk < 10; sk++) await db.putItem({ TableName: 'things', Item: { pk: { S: pk }, sk: { N: String(sk) }, email: { S: `${pk}@x` }, data: { S: 'x'.repeat(40_900) } } });
  }
  await clock.advance(2000);
  return { clock, db };
}

async function throttled(promise: Promise<unknown>): Promise<ProvisionedThroughputExceededException> {
  const error = await promise.then(
    () => expect.fail('expected the Query to be throttled'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
  return error as ProvisionedThroughputExceededException;
}

describe('capacity() › per-key ceiling for Query', () => {
  it('limits the partition key a table Query names to 3,000 RCU a second', async () => {
    const { clock, db } = await setup();
    const query = (pk: string) =>
      db.query({ TableName: 'things', KeyConditionExpression: '#p = :p AND sk >= :s', ExpressionAttributeNames: { '#p': 'pk' }, ExpressionAttributeValues: { ':p': { S: pk }, ':s': { N: '0' } }, ConsistentRead: true });
    for (let i = 0; i < 30; i++) await query('hot');
    const error = await throttled(query('hot'));
    expect(error.ThrottlingReasons).toEqual([{ reason: 'TableReadKeyRangeThroughputExceeded', resource: ARN }]);
    await query('cold');
    await clock.advance(1000);
    await query('hot');
  });

  it('limits the GSI partition key a GSI Query names, with the GSI as the resource', async () => {
    const { db } = await setup();
    const query = (email: string) => db.query({ TableName: 'things', IndexName: 'byEmail', KeyConditions: { email: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: email }] } } });
    // Eventually consistent (a GSI's only kind): 50 units a Query.
    for (let i = 0; i < 60; i++) await query('hot@x');
    const error = await throttled(query('hot@x'));
    expect(error.ThrottlingReasons).toEqual([{ reason: 'IndexReadKeyRangeThroughputExceeded', resource: `${ARN}/index/byEmail` }]);
    await query('cold@x');
  });
});
