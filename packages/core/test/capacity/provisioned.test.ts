/**
 * capacity(): provisioned throughput as DynamoDB enforces it — token buckets per table and GSI on the
 * database clock, burst credit, the per-partition-key ceiling, and throttling that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { capacity, Database, ManualClock, ProvisionedThroughputExceededException, TransactionCanceledException, type CapacityOptions, type CreateTableInput } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const START = Date.UTC(2024, 0, 1);
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/things';

function table(read: number, write: number, extra: Partial<CreateTableInput> = {}): CreateTableInput {
  return { TableName: 'things', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write }, ...extra };
}

async function setup(definition: CreateTableInput, options: CapacityOptions = {}) {
  const clock = new ManualClock(START);
  const cap = capacity(options);
  const db = new Database({ clock, modules: [cap] });
  await db.createTable(definition);
  return { clock, cap, db };
}

const put = (db: Database, pk: string, extra: Record<string, unknown> = {}) => db.putItem({ TableName: 'things', Item: { pk: { S: pk }, ...extra } as never });

async function throttled(promise: Promise<unknown>): Promise<ProvisionedThroughputExceededException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
  return error as ProvisionedThroughputExceededException;
}

describe('capacity() › provisioned tables', () => {
  it('throttles writes past the provisioned WCU with TableWriteProvisionedThroughputExceeded, and refills on the clock', async () => {
    const { clock, db } = await setup(table(5, 2), { burstSeconds: 0 });
    await put(db, 'a');
    await put(db, 'b');
    const error = await throttled(put(db, 'c'));
    expect(error.message).toBe(
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    );
    expect(error.ThrottlingReasons).toEqual([{ reason: 'TableWriteProvisionedThroughputExceeded', resource: ARN }]);
    await clock.advance(499);
    await put(db, 'c'); // 0.998 units refilled: any tokens admit
    await throttled(put(db, 'd'));
    await clock.advance(1000);
    await put(db, 'd');
  });

  it('a throttled request changes nothing', async () => {
    const { db } = await setup(table(5, 1), { burstSeconds: 0 });
    await put(db, 'a', { v: { N: '1' } });
    await throttled(db.updateItem({ TableName: 'things', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
    await throttled(put(db, 'b'));
    await throttled(db.deleteItem({ TableName: 'things', Key: { pk: { S: 'a' } } }));
    const scan = await db.scan({ TableName: 'things' });
    expect(scan.Items).toEqual([{ pk: { S: 'a' }, v: { N: '1' } }]);
  });

  it('charges reads as consumed: an eventually consistent read half a unit, a strongly consistent one a whole unit', async () => {
    const { db } = await setup(table(1, 5), { burstSeconds: 0 });
    const get = (ConsistentRead: boolean) => db.getItem({ TableName: 'things', Key: { pk: { S: 'a' } }, ConsistentRead });
    await get(false);
    await get(false); // 0.5 + 0.5 = the one unit
    const error = await throttled(get(false));
    expect(error.ThrottlingReasons).toEqual([{ reason: 'TableReadProvisionedThroughputExceeded', resource: ARN }]);
  });

  it('spends up to 300 s of unused capacity as burst credit first, then throttles', async () => {
    const { clock, db } = await setup(table(5, 5));
    for (let i = 0; i < 1500; i++) await put(db, `k${i}`);
    await throttled(put(db, 'over'));
    await clock.advance(200);
    await put(db, 'one more'); // one unit refilled
    await throttled(put(db, 'over'));
    // Credit accrues again while idle, up to 300 s' worth and no more.
    await clock.advance(3_600_000);
    for (let i = 0; i < 1500; i++) await put(db, `again${i}`);
    await throttled(put(db, 'over'));
  });

  it('a large item is admitted while any capacity is left and leaves the bucket in debt', async () => {
    const { clock, db } = await setup(table(5, 1), { burstSeconds: 0 });
    await put(db, 'big', { blob: { S: 'x'.repeat(9 * 1024) } }); // 10 WCU on a 1 WCU table
    await clock.advance(9000);
    await throttled(put(db, 'a')); // 9 units refilled, still 0 in the bucket
    await clock.advance(1);
    await put(db, 'a');
  });

  it('limits one partition key to 1,000 WCU a second while the table has headroom (TableWriteKeyRangeThroughputExceeded)', async () => {
    const { clock, db } = await setup(table(12_000, 4000), { burstSeconds: 0 });
    for (let i = 0; i < 1000; i++) await put(db, 'hot', { i: { N: String(i) } });
    const error = await throttled(put(db, 'hot'));
    expect(error.ThrottlingReasons).toEqual([{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: ARN }]);
    // The provisioned message: only the reason tells a hot key from an exhausted table.
    expect(error.message).toBe('The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.');
    await put(db, 'cold'); // the table has 3,000 units left
    await clock.advance(1000);
    await put(db, 'hot');
  });

  it('limits one partition key to 3,000 RCU a second, reads and writes as a linear mix', async () => {
    const { db } = await setup(table(40_000, 4000), { burstSeconds: 0 });
    for (let i = 0; i < 500; i++) await put(db, 'hot'); // half the key's second
    for (let i = 0; i < 1500; i++) await db.getItem({ TableName: 'things', Key: { pk: { S: 'hot' } }, ConsistentRead: true });
    const error = await throttled(db.getItem({ TableName: 'things', Key: { pk: { S: 'hot' } } }));
    expect(error.ThrottlingReasons![0]!.reason).toBe('TableReadKeyRangeThroughputExceeded');
  });

  it('charges GSI writes to the GSI: a GSI out of capacity throttles the table writes (IndexWriteProvisionedThroughputExceeded)', async () => {
    const { db } = await setup(
      table(5, 100, {
        AttributeDefinitions: attributes({ pk: 'S', email: 'S' }),
        GlobalSecondaryIndexes: [
          { IndexName: 'byEmail', KeySchema: keys('email'), Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        ],
      }),
      { burstSeconds: 0 },
    );
    await put(db, 'a'); // no email: the GSI is not written
    await put(db, 'b', { email: { S: 'b@x' } });
    const error = await throttled(put(db, 'c', { email: { S: 'c@x' } }));
    expect(error.message).toContain('one or more global secondary indexes');
    expect(error.ThrottlingReasons).toEqual([{ reason: 'IndexWriteProvisionedThroughputExceeded', resource: `${ARN}/index/byEmail` }]);
    // Reads of the GSI are the GSI's own read capacity.
    await db.query({ TableName: 'things', IndexName: 'byEmail', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': { S: 'b@x' } } });
    await db.query({ TableName: 'things', IndexName: 'byEmail', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': { S: 'b@x' } } });
    const read = await throttled(db.query({ TableName: 'things', IndexName: 'byEmail', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': { S: 'b@x' } } }));
    expect(read.ThrottlingReasons).toEqual([{ reason: 'IndexReadProvisionedThroughputExceeded', resource: `${ARN}/index/byEmail` }]);
  });

  it('follows UpdateTable: new units apply once the table is ACTIVE again', async () => {
    const { db } = await setup(table(5, 1), { burstSeconds: 0 });
    await put(db, 'a');
    await throttled(put(db, 'b'));
    await db.updateTable({ TableName: 'things', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 } });
    await throttled(put(db, 'b')); // the bucket keeps its debt; the rate is new from now on
  });

  it('refuses a transaction with a throttled action: TransactionCanceledException with a ThrottlingError reason', async () => {
    const { db } = await setup(table(5, 4), { burstSeconds: 0 });
    await db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'things', Item: { pk: { S: 'a' } } } }] }); // 2 WCU
    await db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'things', Item: { pk: { S: 'b' } } } }] }); // 2 WCU
    const error = await db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'things', Item: { pk: { S: 'c' } } } }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons[0]!.Code).toBe('ThrottlingError');
    expect((await db.getItem({ TableName: 'things', Key: { pk: { S: 'c' } } })).Item).toBeUndefined();
  });

  it('nothing is charged or throttled without the module', async () => {
    const db = new Database({ clock: new ManualClock(START) });
    await db.createTable(table(1, 1));
    for (let i = 0; i < 50; i++) await put(db, 'same');
  });

  it('observes only with enforce: false: nothing is throttled, consumption is still measured', async () => {
    const { cap, db } = await setup(table(1, 1), { enforce: false, burstSeconds: 0 });
    for (let i = 0; i < 5; i++) await put(db, 'same');
    expect(cap.metrics('things').at(-1)!.ConsumedWriteCapacityUnits).toBe(5);
  });
});
