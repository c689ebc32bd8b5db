/**
 * capacity(): a GSI's partitions have the same 1,000 WCU a second ceiling as the table's, so writes
 * that all land on one GSI partition key are throttled (IndexWriteKeyRangeThroughputExceeded, the GSI
 * as the resource) while the table and the GSI have headroom, and writes under other GSI keys go on —
 * single-item writes, BatchWriteItem (the throttled requests come back unprocessed) and TransactWriteItems
 * alike. Through the AWS SDK.
 */
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders';
const PAD = 'x'.repeat(9_900); // ~10 KB: 10 write units to the table and to the GSI

async function setup() {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const db = new Database({ clock, modules: [capacity()] });
  await db.createTable({
    TableName: 'orders',
    KeySchema: keys('pk'),
    AttributeDefinitions: attributes({ pk: 'S', status: 'S' }),
    ProvisionedThroughput: { ReadCapacityUnits: 40_000, WriteCapacityUnits: 40_000 },
    GlobalSecondaryIndexes: [
      { IndexName: 'byStatus', KeySchema: keys('status'), Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 40_000, WriteCapacityUnits: 40_000 } },
    ],
  });
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
  return { clock, client };
}

const put = (pk: string, status: string) => new PutItemCommand({ TableName: 'orders', Item: { pk: { S: pk }, status: { S: status }, pad: { S: PAD } } });

describe('capacity() › key ceiling of a GSI partition key on writes', () => {
  it('throttles writes to one GSI partition key past 1,000 WCU a second, with the GSI as the resource', async () => {
    const { clock, client } = await setup();
    // Every item under its own table key, all under one GSI key: 10 units a write.
    for (let i = 0; i < 100; i++) await client.send(put(`order-${i}`, 'open'));
    const error = await client.send(put('order-100', 'open')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([{ reason: 'IndexWriteKeyRangeThroughputExceeded', resource: `${ARN}/index/byStatus` }]);
    // Another GSI key is served; a second later the hot one is too.
    await client.send(put('order-101', 'closed'));
    await clock.advance(1000);
    await client.send(put('order-100', 'open'));
  });

  it("charges an update to the GSI key it moves the item to, and throttles an update of an item under the hot key", async () => {
    const { client } = await setup();
    for (let i = 0; i < 50; i++) await client.send(put(`order-${i}`, 'open'));
    // Moving 50 items from 'new' to 'open' writes both GSI keys: 'open' reaches its ceiling.
    for (let i = 50; i < 100; i++) await client.send(put(`order-${i}`, 'new'));
    for (let i = 50; i < 100; i++) {
      await client.send(new UpdateItemCommand({ TableName: 'orders', Key: { pk: { S: `order-${i}` } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } }));
    }
    const error = await client
      .send(new UpdateItemCommand({ TableName: 'orders', Key: { pk: { S: 'order-0' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([{ reason: 'IndexWriteKeyRangeThroughputExceeded', resource: `${ARN}/index/byStatus` }]);
  });

  it('returns the BatchWriteItem requests under a hot GSI key as UnprocessedItems, and does the others', async () => {
    const { clock, client } = await setup();
    const putRequest = (pk: string, status: string): WriteRequest => ({ PutRequest: { Item: { pk: { S: pk }, status: { S: status }, pad: { S: PAD } } } });
    // 100 puts of 10 units under 'open', in batches of 25: the GSI key's second is used up.
    for (let b = 0; b < 4; b++) {
      const batch = await client.send(new BatchWriteItemCommand({ RequestItems: { orders: Array.from({ length: 25 }, (_, i) => putRequest(`order-${b * 25 + i}`, 'open')) } }));
      expect(batch.UnprocessedItems).toEqual({});
    }
    const mixed = await client.send(new BatchWriteItemCommand({ RequestItems: { orders: [putRequest('order-100', 'open'), putRequest('order-101', 'closed')] } }));
    expect(mixed.UnprocessedItems).toEqual({ orders: [putRequest('order-100', 'open')] });
    // Deleting an item under the hot key writes the GSI key too.
    const deleted = await client.send(new BatchWriteItemCommand({ RequestItems: { orders: [{ DeleteRequest: { Key: { pk: { S: 'order-0' } } } }] } })).catch((e: unknown) => e);
    expect((deleted as ProvisionedThroughputExceededException).ThrottlingReasons).toEqual([{ reason: 'IndexWriteKeyRangeThroughputExceeded', resource: `${ARN}/index/byStatus` }]);
    await clock.advance(1000);
    const later = await client.send(new BatchWriteItemCommand({ RequestItems: { orders: [putRequest('order-100', 'open')] } }));
    expect(later.UnprocessedItems).toEqual({});
  });

  it('cancels a TransactWriteItems with a write under a hot GSI key (ThrottlingError), and charges transactions to the GSI keys they write', async () => {
    const { clock, client } = await setup();
    // 50 transactions of two puts under 'open' (20 units each to the GSI: the transactional 2× is the table's
    // alone): the ceiling. The SDK gives each a ClientRequestToken; they are charged without asking for ReturnConsumedCapacity.
    for (let i = 0; i < 100; i += 2) {
      const TransactItems = [put(`order-${i}`, 'open').input, put(`order-${i + 1}`, 'open').input].map((Put) => ({ Put: { ...Put, TableName: 'orders' } }));
      await client.send(new TransactWriteItemsCommand({ TransactItems }));
    }
    const error = await client
      .send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { ...put('order-200', 'closed').input, TableName: 'orders' } }, { Put: { ...put('order-201', 'open').input, TableName: 'orders' } }] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ThrottlingError']);
    // Single puts see the transactions' charges on the GSI key, and other keys are served.
    expect(await client.send(put('order-202', 'open')).catch((e: unknown) => e)).toBeInstanceOf(ProvisionedThroughputExceededException);
    await client.send(put('order-203', 'closed'));
    await clock.advance(1000);
    await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { ...put('order-201', 'open').input, TableName: 'orders' } }] }));
  });
});
