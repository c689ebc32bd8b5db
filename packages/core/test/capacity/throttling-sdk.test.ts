/**
 * capacity(): throttling as the AWS SDK sees it — the exception shapes and ThrottlingReasons the SDK
 * parses, batches returning their throttled part as UnprocessedItems / UnprocessedKeys, and the
 * unchanged SDK's retries running to completion as the ManualClock moves on.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ThrottlingException,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock, type CapacityOptions } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const START = Date.UTC(2024, 0, 1);
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/things';
const timers: ReturnType<typeof setInterval>[] = [];
afterEach(() => {
  for (const timer of timers.splice(0)) clearInterval(timer);
});

async function setup(write: number, options: CapacityOptions = { burstSeconds: 0 }, config: { maxAttempts?: number } = { maxAttempts: 1 }) {
  const clock = new ManualClock(START);
  const db = new Database({ clock, modules: [capacity(options)] });
  await db.createTable({ TableName: 'things', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: write, WriteCapacityUnits: write } });
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), ...config });
  return { clock, db, client };
}

const putRequest = (pk: string): WriteRequest => ({ PutRequest: { Item: { pk: { S: pk } } } });

describe('capacity() › throttling through the AWS SDK', () => {
  it('the SDK parses ProvisionedThroughputExceededException with its ThrottlingReasons', async () => {
    const { client } = await setup(1);
    await client.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'a' } } }));
    const error = await client.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'b' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([{ reason: 'TableWriteProvisionedThroughputExceeded', resource: ARN }]);
    expect((error as ProvisionedThroughputExceededException).$metadata.httpStatusCode).toBe(400);
  });

  it('the SDK parses ThrottlingException with its throttlingReasons (an on-demand maximum)', async () => {
    const clock = new ManualClock(START);
    const db = new Database({ clock, modules: [capacity()] });
    await db.createTable({ TableName: 'things', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
    await db.updateTable({ TableName: 'things', OnDemandThroughput: { MaxReadRequestUnits: 1, MaxWriteRequestUnits: 1 } } as never);
    await clock.advance(1000);
    await client.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'a' } } }));
    const error = await client.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'b' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).throttlingReasons).toEqual([{ reason: 'TableWriteMaxOnDemandThroughputExceeded', resource: ARN }]);
  });

  it('BatchWriteItem returns the throttled requests as UnprocessedItems and fails only when nothing could be done', async () => {
    const { client, clock, db } = await setup(3);
    const output = await client.send(new BatchWriteItemCommand({ RequestItems: { things: ['a', 'b', 'c', 'd', 'e'].map(putRequest) } }));
    // Each request is admitted while the bucket holds tokens: a, b, c; then d and e are throttled.
    expect(output.UnprocessedItems).toEqual({ things: [putRequest('d'), putRequest('e')] });
    expect((await db.scan({ TableName: 'things' })).Count).toBe(3);
    const error = await client.send(new BatchWriteItemCommand({ RequestItems: output.UnprocessedItems! })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((await db.scan({ TableName: 'things' })).Count).toBe(3);
    await clock.advance(1000);
    const retried = await client.send(new BatchWriteItemCommand({ RequestItems: output.UnprocessedItems! }));
    expect(retried.UnprocessedItems).toEqual({});
    expect((await db.scan({ TableName: 'things' })).Count).toBe(5);
  });

  it('BatchGetItem returns the throttled keys as UnprocessedKeys with their table parameters', async () => {
    const { client, clock } = await setup(2);
    await clock.advance(10_000);
    const keysOf = (...pks: string[]) => pks.map((pk) => ({ pk: { S: pk } }));
    const output = await client.send(new BatchGetItemCommand({ RequestItems: { things: { Keys: keysOf('a', 'b', 'c'), ConsistentRead: true } } }));
    expect(output.UnprocessedKeys).toEqual({ things: { Keys: keysOf('c'), ConsistentRead: true } });
  });

  it('the unchanged SDK retries a throttled batch and a throttled PutItem to completion as the clock moves on', async () => {
    const { client, clock, db } = await setup(2, { burstSeconds: 0 }, {});
    // Time on the database clock passes while the SDK backs off in real time.
    timers.push(setInterval(() => void clock.advance(1000), 5));
    let pending: Record<string, WriteRequest[]> = { things: Array.from({ length: 10 }, (_, i) => putRequest(`k${i}`)) };
    let rounds = 0;
    while (Object.keys(pending).length > 0) {
      rounds++;
      pending = (await client.send(new BatchWriteItemCommand({ RequestItems: pending }))).UnprocessedItems ?? {};
    }
    expect(rounds).toBeGreaterThan(1);
    for (let i = 0; i < 6; i++) await client.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: `p${i}` } } }));
    expect((await db.scan({ TableName: 'things' })).Count).toBe(16);
    const item = await client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: 'k9' } } }));
    expect(item.Item).toEqual({ pk: { S: 'k9' } });
  });
});
