/**
 * What a suite written for aws-sdk-client-mock + aws-sdk-client-mock-jest keeps when it moves to Magneto:
 * application code that makes its own client at module scope (served by class, as `mockClient(Class)`
 * intercepts it), `reset()` / `restore()`, and the matchers' names, argument order and DocumentClient
 * inputs with native values.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTestDatabase, magnetoMatchers, type MagnetoMatchers, type MagnetoTestConfig } from '@magneto/testing';
import { afterEach, describe, expect, it } from 'vitest';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MagnetoMatchers<T> {}
}
expect.extend(magnetoMatchers);

const config: MagnetoTestConfig = {
  tables: [
    {
      TableName: 'orders',
      KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
  ],
  items: { orders: [{ customer: 'c1', id: 'o1', total: 12 }] },
};

/** Application code as aws-sdk-client-mock users write it: its own client, no region, nothing injected. */
function orderRepository() {
  const docs = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return {
    put: (order: Record<string, unknown>) => docs.send(new PutCommand({ TableName: 'orders', Item: order })),
    get: (customer: string, id: string) => docs.send(new GetCommand({ TableName: 'orders', Key: { customer, id } })),
    of: (customer: string) => docs.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': customer } })),
  };
}

const restores: Array<() => void> = [];
afterEach(() => {
  for (const restore of restores.splice(0)) restore();
});

describe('moving from aws-sdk-client-mock', () => {
  it('serves every instance of a client class, made before or after, from the test database', async () => {
    const early = orderRepository();
    const ddbMock = await createTestDatabase(config);
    restores.push(() => ddbMock.restore());
    ddbMock.serve(DynamoDBDocumentClient);
    const late = orderRepository();
    expect((await early.get('c1', 'o1')).Item).toEqual({ customer: 'c1', id: 'o1', total: 12 });
    await late.put({ customer: 'c1', id: 'o2', total: 5, tags: new Set(['gift']) });
    expect((await early.of('c1')).Items?.map((order) => order.id)).toEqual(['o1', 'o2']);
  });

  it('matches DocumentClient commands on the native values they were written with', async () => {
    const ddbMock = await createTestDatabase(config);
    restores.push(() => ddbMock.restore());
    ddbMock.serve(DynamoDBDocumentClient);
    const orders = orderRepository();
    await orders.put({ customer: 'c1', id: 'o2', total: 5, tags: new Set(['gift']) });
    await orders.get('c1', 'o2');
    await orders.of('c1');
    expect(ddbMock).toHaveReceivedCommandWith(PutCommand, { TableName: 'orders', Item: { customer: 'c1', id: 'o2', total: 5, tags: new Set(['gift']) } });
    expect(ddbMock).toHaveReceivedCommandWith(QueryCommand, { ExpressionAttributeValues: { ':c': 'c1' } });
    expect(ddbMock).toHaveReceivedCommandWith(GetCommand, { Key: expect.objectContaining({ id: 'o2' }) });
    // The same requests, asked about with DynamoDBClient commands: AttributeValues, as DynamoDB received them.
    expect(ddbMock).toHaveReceivedCommandWith(PutItemCommand, { Item: expect.objectContaining({ total: { N: '5' } }) });
    expect(ddbMock).not.toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ total: { N: '5' } }) });
    expect(() => expect(ddbMock).toHaveReceivedCommandWith(GetCommand, { Key: { customer: 'c1', id: 'nope' } })).toThrow(/"id": "o2"/);
  });

  it("takes aws-sdk-client-mock-jest's argument order: Nth counts every request, NthSpecific those of the command", async () => {
    const ddbMock = await createTestDatabase(config);
    restores.push(() => ddbMock.restore());
    ddbMock.serve(DynamoDBDocumentClient);
    const orders = orderRepository();
    await orders.get('c1', 'o1');
    await orders.put({ customer: 'c1', id: 'o3' });
    await orders.get('c1', 'o3');
    expect(ddbMock).toHaveReceivedNthCommandWith(2, PutCommand, { Item: { customer: 'c1', id: 'o3' } });
    expect(ddbMock).not.toHaveReceivedNthCommandWith(2, GetCommand, { TableName: 'orders' });
    expect(ddbMock).toHaveReceivedNthSpecificCommandWith(2, GetCommand, { Key: { customer: 'c1', id: 'o3' } });
    expect(ddbMock).toHaveReceivedCommandTimes(GetCommand, 2);
    expect(ddbMock).toReceiveCommandTimes(GetItemCommand, 2);
    expect(ddbMock).toReceiveNthSpecificCommandWith(1, GetCommand, { Key: { customer: 'c1', id: 'o1' } });
    expect(ddbMock).toReceiveAnyCommand();
    expect(() => expect(ddbMock).toHaveReceivedNthCommandWith(0, GetCommand, {})).toThrow(/call number must be a whole number from 1/);
  });

  it('reset() goes back to the fixture and forgets the requests; restore() stops serving the class', async () => {
    const ddbMock = await createTestDatabase(config);
    ddbMock.serve(DynamoDBDocumentClient);
    await orderRepository().put({ customer: 'c1', id: 'o4' });
    ddbMock.reset();
    expect(ddbMock).not.toHaveReceivedAnyCommand();
    expect((await orderRepository().of('c1')).Items).toHaveLength(1);
    ddbMock.restore();
    expect(Object.prototype.hasOwnProperty.call(DynamoDBDocumentClient.prototype, 'send')).toBe(false);
  });

  it('retryDelays: false retries a throttled write at once, attempts counted by the SDK', async () => {
    const ddbMock = await createTestDatabase(config);
    restores.push(() => ddbMock.restore());
    ddbMock.serve(DynamoDBDocumentClient, { retryDelays: false });
    ddbMock.faults.add({ operation: 'PutItem', nth: [1, 2], error: 'ProvisionedThroughputExceededException' });
    const { $metadata } = await orderRepository().put({ customer: 'c1', id: 'o5' });
    // The SDK's backoff after a throttle would make totalRetryDelay hundreds of ms or more.
    expect($metadata).toMatchObject({ httpStatusCode: 200, attempts: 3, totalRetryDelay: 0 });
    expect(ddbMock).toHaveReceivedCommandTimes(PutCommand, 3);
    // Retries stay the strategy's: four attempts (the SDK's default for DynamoDB), then the exception.
    ddbMock.faults.add({ operation: 'GetItem', error: 'ProvisionedThroughputExceededException' });
    await expect(orderRepository().get('c1', 'o1')).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { attempts: 4, totalRetryDelay: 0 } });
  });

  it('a later test database serving the same class takes over, and the earlier one is back after its restore', async () => {
    const first = await createTestDatabase(config);
    const second = await createTestDatabase({ ...config, items: { orders: [] } });
    restores.push(() => first.restore());
    first.serve(DynamoDBDocumentClient);
    second.serve(DynamoDBDocumentClient);
    const orders = orderRepository();
    expect((await orders.get('c1', 'o1')).Item).toBeUndefined();
    second.restore();
    expect((await orders.get('c1', 'o1')).Item).toMatchObject({ total: 12 });
    expect(first).toHaveReceivedCommandTimes(GetItemCommand, 1);
  });
});
