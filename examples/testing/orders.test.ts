/**
 * The order service's tests with vitest, both ways: served in-process (`createTestDatabase`, the fast path)
 * and through `magneto serve` (`startTestServer`, what the vitest globalSetup does). Same tests, same code.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient, PutItemCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTestDatabase, magnetoMatchers, startTestServer, stopTestServer, type MagnetoMatchers, type MagnetoTestConfig, type TestDatabase } from '@magneto/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ordersService } from './orders-service.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MagnetoMatchers<T> {}
}
expect.extend(magnetoMatchers);

const config = JSON.parse(readFileSync(new URL('./magneto.config.json', import.meta.url), 'utf8')) as MagnetoTestConfig;

describe('orders, in-process (fast path)', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(config);
  });
  // Every test starts from the seeded fixture: O(tables + the previous test's writes).
  beforeEach(() => testDb.reset());
  // retryDelays: false — the SDK's retry strategy still decides, without waiting its backoff.
  const service = () => ordersService(testDb.serve(new DynamoDBClient({ region: 'us-east-1', maxAttempts: 3 }), { retryDelays: false }));

  it('places an order: stock reserved and order recorded together', async () => {
    await service().placeOrder({ id: 'o1', sku: 'lamp', quantity: 2 });
    expect(await service().available('lamp')).toBe(1);
    expect(await service().getOrder('o1')).toMatchObject({ status: 'PLACED' });
    expect(testDb.journal).toHaveReceivedCommandWith('TransactWriteItems', { TransactItems: expect.any(Array) });
  });

  it('starts each test from the fixture', async () => {
    expect(await service().available('lamp')).toBe(3);
    expect(await service().getOrder('o1')).toBeUndefined();
  });

  it('retries a throttled write: the SDK retry strategy sees ProvisionedThroughputExceededException', async () => {
    testDb.faults.add({ operation: 'PutItem', table: 'notes', nth: 1, error: 'ProvisionedThroughputExceededException' });
    await service().addNote('o1', 'gift wrap');
    expect(testDb).toHaveReceivedCommandTimes(PutItemCommand, 2);
    expect(testDb).toHaveAnsweredCommandWithError(PutItemCommand, 'ProvisionedThroughputExceededException');
    // A DocumentClient command is matched on the values it was written with.
    expect(testDb).toHaveReceivedCommandWith(PutCommand, { TableName: 'notes', Item: { orderId: 'o1', text: 'gift wrap' } });
  });

  it('surfaces a transaction conflict: nothing is written', async () => {
    testDb.faults.add({ operation: 'TransactWriteItems', cancel: ['TransactionConflict', 'None'] });
    const failure = await service().placeOrder({ id: 'o2', sku: 'lamp', quantity: 1 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    expect((failure as TransactionCanceledException).CancellationReasons?.[0]?.Code).toBe('TransactionConflict');
    expect(await service().available('lamp')).toBe(3);
  });
});

describe('orders, through magneto serve (endpoint)', () => {
  const saved = { ...process.env };
  beforeAll(async () => {
    await startTestServer(config);
  });
  afterAll(async () => {
    await stopTestServer();
    process.env = saved;
  });
  // Unchanged code: the client finds the endpoint in AWS_ENDPOINT_URL_DYNAMODB.
  const service = () => ordersService(new DynamoDBClient({ maxAttempts: 3 }));
  const faultsUrl = () => `${process.env.AWS_ENDPOINT_URL_DYNAMODB}/_magneto/faults`;

  it('places an order', async () => {
    await service().placeOrder({ id: 'o1', sku: 'lamp', quantity: 2 });
    expect(await service().available('lamp')).toBe(1);
  });

  it('retries a throttled write, the fault injected over the control endpoint', async () => {
    await fetch(faultsUrl(), { method: 'POST', body: JSON.stringify({ operation: 'PutItem', nth: 1, error: 'ThrottlingException' }) });
    await service().addNote('o1', 'gift wrap');
    const { injected } = (await (await fetch(faultsUrl())).json()) as { injected: Array<{ fault: string }> };
    expect(injected.map(({ fault }) => fault)).toEqual(['ThrottlingException']);
  });

  it('surfaces a transaction conflict', async () => {
    await fetch(faultsUrl(), { method: 'POST', body: JSON.stringify({ operation: 'TransactWriteItems', nth: 1, cancel: ['TransactionConflict'] }) });
    await expect(service().placeOrder({ id: 'o2', sku: 'lamp', quantity: 1 })).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(await service().getOrder('o2')).toBeUndefined();
  });
});
