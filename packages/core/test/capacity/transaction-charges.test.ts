/**
 * capacity(): TransactWriteItems charged what DynamoDB charges for it whether or not the caller asks for
 * ReturnConsumedCapacity — the AWS SDK gives every transaction a ClientRequestToken, so these run through
 * it. The first run costs 2 write units per started KB of each item (a ConditionCheck too, sized on the
 * item it read); a replay of the same token within its window writes nothing and costs the transactional
 * read of each item instead: "Subsequent TransactWriteItems calls with the same client token return the
 * number of read capacity units consumed in reading the item" (API_TransactWriteItems, ClientRequestToken;
 * paritysuite/dynamodb-conformance#67 and #74 recorded 2 WCU for a ConditionCheck, and 4 WCU then 2 RCU
 * for a ~1.5 KB item's first call and replay, against real DynamoDB).
 */
import { DynamoDBClient, GetItemCommand, TransactionCanceledException, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const START = Date.UTC(2024, 0, 1);
const PAD = 'x'.repeat(1_500); // ~1.5 KB: 2 write units, 1 read unit

async function setup(write: number, read = 100) {
  const clock = new ManualClock(START);
  const cap = capacity({ burstSeconds: 0 });
  const db = new Database({ clock, modules: [cap] });
  await db.createTable({ TableName: 'things', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write } });
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
  const consumed = () => {
    const minute = cap.metrics('things').at(-1);
    return { read: minute?.ConsumedReadCapacityUnits ?? 0, write: minute?.ConsumedWriteCapacityUnits ?? 0 };
  };
  return { clock, db, client, consumed };
}

const put = (pk: string, pad = ''): TransactWriteItem => ({ Put: { TableName: 'things', Item: { pk: { S: pk }, pad: { S: pad } } } });

describe('capacity() › TransactWriteItems through the AWS SDK (every one with a ClientRequestToken)', () => {
  it('charges 2 write units per item without ReturnConsumedCapacity, and throttles past the provisioned WCU', async () => {
    const { clock, client, consumed } = await setup(4);
    await client.send(new TransactWriteItemsCommand({ TransactItems: [put('a')] }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: [put('b')] }));
    expect(consumed()).toEqual({ read: 0, write: 4 });
    const error = await client.send(new TransactWriteItemsCommand({ TransactItems: [put('c')] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual(['ThrottlingError']);
    expect(await client.send(new GetItemCommand({ TableName: 'things', Key: { pk: { S: 'c' } } }))).not.toHaveProperty('Item');
    await clock.advance(1000);
    await client.send(new TransactWriteItemsCommand({ TransactItems: [put('c')] }));
    expect(consumed().write).toBe(6);
  });

  it("throttles the DocumentClient's TransactWriteCommand past the provisioned WCU", async () => {
    const { client, consumed } = await setup(2);
    const docs = DynamoDBDocumentClient.from(client);
    await docs.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'things', Item: { pk: 'a' } } }] }));
    expect(consumed().write).toBe(2);
    const error = await docs.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'things', Item: { pk: 'b' } } }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
  });

  it('charges a ConditionCheck 2 write units per started KB of the item it checks', async () => {
    const { client, consumed } = await setup(100);
    await client.send(new TransactWriteItemsCommand({ TransactItems: [put('a', PAD)] }));
    expect(consumed().write).toBe(4);
    await client.send(
      new TransactWriteItemsCommand({ TransactItems: [{ ConditionCheck: { TableName: 'things', Key: { pk: { S: 'a' } }, ConditionExpression: 'attribute_exists(pk)' } }, put('b')] }),
    );
    expect(consumed()).toEqual({ read: 0, write: 4 + 4 + 2 });
  });

  it('charges a replay of the same ClientRequestToken as a transactional read of each item, writes nothing, and reports read units', async () => {
    const { client, consumed, db } = await setup(100);
    const transaction = {
      ClientRequestToken: 'order-1',
      ReturnConsumedCapacity: 'TOTAL' as const,
      TransactItems: [put('a', PAD), { Update: { TableName: 'things', Key: { pk: { S: 'n' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }],
    };
    const first = await client.send(new TransactWriteItemsCommand(transaction));
    expect(first.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 6 }]);
    expect(consumed()).toEqual({ read: 0, write: 6 });
    const replay = await client.send(new TransactWriteItemsCommand(transaction));
    // Two items read transactionally (2 units per started 4 KB each), nothing written again.
    expect(replay.ConsumedCapacity).toEqual([{ TableName: 'things', CapacityUnits: 4, ReadCapacityUnits: 4 }]);
    expect(consumed()).toEqual({ read: 4, write: 6 });
    // Without ReturnConsumedCapacity the replay is charged all the same.
    const quiet = { ClientRequestToken: 'order-2', TransactItems: [put('b')] };
    await client.send(new TransactWriteItemsCommand(quiet));
    expect(await client.send(new TransactWriteItemsCommand(quiet))).not.toHaveProperty('ConsumedCapacity');
    expect(consumed()).toEqual({ read: 6, write: 8 });
    expect((await db.getItem({ TableName: 'things', Key: { pk: { S: 'n' } } })).Item?.n).toEqual({ N: '1' });
  });

  it('admits a replay against read capacity: it is served while the write capacity is spent', async () => {
    const { clock, client, consumed } = await setup(2, 2);
    const transaction = { ClientRequestToken: 'order-1', TransactItems: [put('a')] };
    await client.send(new TransactWriteItemsCommand(transaction));
    expect(consumed()).toEqual({ read: 0, write: 2 });
    // Another transaction is throttled (no write capacity left), the replay is not.
    const other = await client.send(new TransactWriteItemsCommand({ TransactItems: [put('b')] })).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(TransactionCanceledException);
    await client.send(new TransactWriteItemsCommand(transaction));
    expect(consumed()).toEqual({ read: 2, write: 2 });
    // Once the token's 10 minutes are over it is a new request again: a write, admitted as one.
    await clock.advance(10 * 60 * 1000);
    await client.send(new TransactWriteItemsCommand(transaction));
    expect(consumed()).toEqual({ read: 0, write: 2 });
  });
});
