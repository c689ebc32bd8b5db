import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Database, faults, journal, ManualClock } from '@magneto/core';
import { magnetoMatchers, serveInProcess, type MagnetoMatchers } from '@magneto/testing';
import { describe, expect, it } from 'vitest';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MagnetoMatchers<T> {}
}
expect.extend(magnetoMatchers);

async function setup() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const chaos = faults();
  const requests = journal({ limit: 5 });
  const db = new Database({ clock, modules: [chaos, requests] });
  await db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  const client = serveInProcess(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 }), db);
  return { clock, chaos, requests, db, client };
}

describe('journal() and the matchers', () => {
  it('records every request with its input, output or error, consumed capacity and clock time', async () => {
    const { clock, chaos, requests, client } = await setup();
    await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'a' } } }));
    chaos.add({ operation: 'GetItem', error: 'InternalServerError' });
    await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'a' } } })).catch(() => undefined);
    const [create, put, get] = requests.entries;
    expect(create?.operation).toBe('CreateTable');
    expect(put).toMatchObject({ operation: 'PutItem', input: { TableName: 'orders', Item: { id: { S: 'a' } } }, output: {}, consumedCapacity: [{ TableName: 'orders', CapacityUnits: 1 }], at: clock.now() });
    expect(get).toMatchObject({ operation: 'GetItem', error: { name: 'InternalServerError' } });
  });

  it('records a fault-shortened batch as sent, with the part that ran and the UnprocessedItems the caller got, in either install order', async () => {
    for (const order of ['faults first', 'journal first'] as const) {
      const chaos = faults();
      const requests = journal();
      const db = new Database({ modules: order === 'faults first' ? [chaos, requests] : [requests, chaos] });
      await db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
      chaos.add({ operation: 'BatchWriteItem', unprocessed: 1 });
      const puts = ['a', 'b', 'c'].map((id) => ({ PutRequest: { Item: { id: { S: id } } } }));
      const answer = await db.batchWriteItem({ RequestItems: { orders: puts } });
      expect(answer.UnprocessedItems, order).toEqual({ orders: [puts[2]] });
      const [entry] = requests.of('BatchWriteItem');
      expect(entry?.input, order).toEqual({ RequestItems: { orders: puts } });
      expect(entry?.ranInput, order).toEqual({ RequestItems: { orders: puts.slice(0, 2) } });
      expect(entry?.output, order).toEqual(answer);
      expect(requests.of('BatchWriteItem'), order).toHaveLength(1);
      expect(requests, order).toHaveReceivedCommandWith('BatchWriteItem', { RequestItems: { orders: puts } });
    }
  });

  it('records a request failed after its write once, as failed, in either install order', async () => {
    for (const order of ['faults first', 'journal first'] as const) {
      const chaos = faults();
      const requests = journal();
      const db = new Database({ modules: order === 'faults first' ? [chaos, requests] : [requests, chaos] });
      await db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
      chaos.add({ operation: 'PutItem', error: 'InternalServerError', afterWrite: true });
      await expect(db.putItem({ TableName: 'orders', Item: { id: { S: 'a' } } })).rejects.toMatchObject({ name: 'InternalServerError' });
      const entries = requests.of('PutItem');
      expect(entries, order).toHaveLength(1);
      expect(entries[0], order).toMatchObject({ input: { TableName: 'orders', Item: { id: { S: 'a' } } }, error: { name: 'InternalServerError' } });
      expect(entries[0]?.output, order).toBeUndefined();
    }
  });

  it('keeps the newest entries up to its limit', async () => {
    const { requests, db } = await setup();
    for (let i = 0; i < 20; i++) await db.putItem({ TableName: 'orders', Item: { id: { S: `k${i}` } } });
    expect(requests.entries).toHaveLength(5);
    expect(requests.entries.at(-1)?.input).toMatchObject({ Item: { id: { S: 'k19' } } });
  });

  it('asserts what the database received, by command class or operation name, DocumentClient commands included', async () => {
    const { requests, client, chaos } = await setup();
    const docs = DynamoDBDocumentClient.from(client);
    await docs.send(new PutCommand({ TableName: 'orders', Item: { id: 'a', total: 3 } }));
    await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'a' } } }));
    expect(requests).toHaveReceivedAnyCommand();
    expect(requests).toHaveReceivedCommand(PutCommand);
    expect(requests).toHaveReceivedCommandTimes(PutItemCommand, 1);
    expect(requests).toHaveReceivedCommandWith(PutItemCommand, { Item: { id: { S: 'a' }, total: { N: '3' } } });
    expect(requests).toHaveReceivedCommandWith('GetItem', { Key: expect.objectContaining({ id: { S: 'a' } }) });
    expect(requests).toHaveReceivedNthCommandWith(3, GetItemCommand, { TableName: 'orders' });
    expect(requests).toHaveReceivedNthSpecificCommandWith(1, GetItemCommand, { TableName: 'orders' });
    expect(requests).not.toHaveReceivedCommand('DeleteItem');
    expect(() => expect(requests).toHaveReceivedCommandWith(PutItemCommand, { TableName: 'other' })).toThrow(/to have received PutItem with/);
    chaos.add({ operation: 'GetItem', nth: 1, error: 'ThrottlingException' });
    await client.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: 'a' } } })).catch(() => undefined);
    expect(requests).toHaveAnsweredCommandWithError(GetItemCommand, 'ThrottlingException');
    expect(requests).not.toHaveAnsweredCommandWithError(PutItemCommand, 'ThrottlingException');
  });
});
