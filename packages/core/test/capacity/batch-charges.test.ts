/**
 * capacity(): batches are measured like every other charged request — through the capacity sink, with
 * the caller's request untouched and ConsumedCapacity in the answer only as asked — and charged to
 * their tables, so a batch nobody asked the capacity of still spends the table's throughput.
 */
import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient, GetItemCommand, ProvisionedThroughputExceededException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

async function setup() {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const db = new Database({ clock, modules: [capacity({ burstSeconds: 0 })] });
  await db.createTable({ TableName: 'things', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 } });
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
  return { clock, db, client };
}

const put = (pk: string, bytes = 10) => ({ PutRequest: { Item: { pk: { S: pk }, pad: { S: 'x'.repeat(bytes) } } } });

describe('capacity() › batches charged through the capacity sink', () => {
  it('charges a BatchWriteItem that did not ask for its capacity, and answers without ConsumedCapacity', async () => {
    const { client } = await setup();
    const request = { RequestItems: { things: Array.from({ length: 10 }, (_, i) => put(`k${i}`)) } };
    const output = await client.send(new BatchWriteItemCommand(request));
    expect(output.ConsumedCapacity).toBeUndefined();
    expect(output.UnprocessedItems).toEqual({});
    await expect(client.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'late' } } }))).rejects.toThrow(ProvisionedThroughputExceededException);
  });

  it('answers TOTAL as totals, and charges a replaced item for the larger of its old and new size', async () => {
    const { clock, client } = await setup();
    await client.send(new PutItemCommand({ TableName: 'things', Item: { pk: { S: 'big' }, pad: { S: 'x'.repeat(2_900) } } }));
    await clock.advance(1000);
    const output = await client.send(new BatchWriteItemCommand({ RequestItems: { things: [put('big'), put('new')] }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(output.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 4 }]);
  });

  it('charges a BatchGetItem that did not ask, and returns the keys it could not read as UnprocessedKeys', async () => {
    const { clock, client } = await setup();
    await client.send(new BatchWriteItemCommand({ RequestItems: { things: Array.from({ length: 5 }, (_, i) => put(`k${i}`, 3_000)) } }));
    await clock.advance(1000);
    const Keys = Array.from({ length: 20 }, (_, i) => ({ pk: { S: `k${i}` } }));
    const first = await client.send(new BatchGetItemCommand({ RequestItems: { things: { Keys, ConsistentRead: true } } }));
    expect(first.ConsumedCapacity).toBeUndefined();
    // 10 RCU: ten strongly consistent reads (a unit each, found or not) are admitted, the rest come back.
    expect(first.Responses!.things).toHaveLength(5);
    expect(first.UnprocessedKeys!.things!.Keys).toHaveLength(10);
    await expect(client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: 'k0' } } }))).rejects.toThrow(ProvisionedThroughputExceededException);
  });
});
