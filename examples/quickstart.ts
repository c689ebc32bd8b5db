/**
 * Quickstart: an embedded DynamoDB in a few lines — create a table, write, read, delete — first through
 * Magneto's own API, then through unchanged AWS SDK v3 code served in-process.
 *
 * Run it with `pnpm start`.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Database, ManualClock, ResourceNotFoundException, createRequestHandler } from '@magneto/core';

const db = new Database({ clock: new ManualClock(Date.UTC(2025, 0, 1)) });

// 1. Magneto's own API: DynamoDB's request and response shapes, one async method per operation.
const created = await db.createTable({
  TableName: 'users',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
});
console.log('created', created.TableDescription.TableArn, created.TableDescription.TableStatus);

await db.putItem({
  TableName: 'users',
  Item: { id: { S: 'ada' }, name: { S: 'Ada Lovelace' }, born: { N: '1815' }, tags: { SS: ['math', 'poetry'] } },
});
const { Item, ConsumedCapacity } = await db.getItem({
  TableName: 'users',
  Key: { id: { S: 'ada' } },
  ReturnConsumedCapacity: 'TOTAL',
});
console.log('got', Item, 'for', ConsumedCapacity?.CapacityUnits, 'read units');

try {
  await db.getItem({ TableName: 'nobody', Key: { id: { S: 'x' } } });
} catch (error) {
  if (error instanceof ResourceNotFoundException) console.log('as on DynamoDB:', error.name, '-', error.message);
}

// 2. Unchanged AWS SDK v3 code: swap the client's transport for Magneto. No network, no server.
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: createRequestHandler(db),
});
const documents = DynamoDBDocumentClient.from(client);
await client.send(
  new CreateTableCommand({
    TableName: 'orders',
    KeySchema: [
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'placedAt', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' },
      { AttributeName: 'placedAt', AttributeType: 'N' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  }),
);
await documents.send(new PutCommand({ TableName: 'orders', Item: { customer: 'ada', placedAt: 1, total: 42.5 } }));
const order = await documents.send(new GetCommand({ TableName: 'orders', Key: { customer: 'ada', placedAt: 1 } }));
console.log('SDK DocumentClient got', order.Item);

const { TableNames } = await db.listTables();
console.log('tables', TableNames);
