import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { defineTable, attr } from '@magneto/core';
import { createTestDatabase, startTestServer, stopTestServer, type MagnetoTestConfig } from '@magneto/testing';
import { afterAll, describe, expect, it } from 'vitest';

const orders = defineTable({
  name: 'orders',
  attributes: { id: attr.string(), total: attr.number() },
  partitionKey: 'id',
});
const config: MagnetoTestConfig = {
  tables: [orders, { TableName: 'users', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }],
  items: { orders: [{ id: 'o1', total: 12 }], users: [{ id: { S: 'u1' } }] },
};

describe('one-line setup', () => {
  it('createTestDatabase seeds tables (CreateTable inputs and defineTable schemas) and items (plain or DynamoDB JSON), and reset() goes back to them', async () => {
    const testDb = await createTestDatabase(config);
    const client = testDb.serve(new DynamoDBClient({ region: 'us-east-1' }));
    expect((await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'o1' } } }))).Item).toEqual({ id: { S: 'o1' }, total: { N: '12' } });
    await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'u2' } } }));
    testDb.faults.add({ operation: 'GetItem', error: 'InternalServerError' });
    testDb.reset();
    expect(testDb.journal.entries).toEqual([]);
    expect(testDb.faults.rules).toEqual([]);
    expect((await testDb.db.scan({ TableName: 'users' })).Items).toEqual([{ id: { S: 'u1' } }]);
  });

  it('a seeding failure names the table and item it came from', async () => {
    await expect(createTestDatabase({ items: { missing: [{ id: 'x' }] } })).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: expect.stringMatching(/^Seeding the test database, putting item 0 of missing: Requested resource not found/) });
    await expect(createTestDatabase({ tables: [{ TableName: 'bad', KeySchema: [], AttributeDefinitions: [] }] })).rejects.toThrow(/^Seeding the test database, creating table bad: /);
  });

  describe('startTestServer (vitest globalSetup, jest preset)', () => {
    afterAll(stopTestServer);
    it('serves the seeded database and points AWS_ENDPOINT_URL_DYNAMODB at it, so an unchanged client connects', async () => {
      const saved = { ...process.env };
      try {
        const url = await startTestServer(config);
        expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(url);
        // No endpoint in the code: the SDK reads it from the environment.
        const client = new DynamoDBClient({});
        expect((await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'o1' } } }))).Item).toEqual({ id: { S: 'o1' }, total: { N: '12' } });
      } finally {
        process.env = saved;
      }
    });
  });
});
