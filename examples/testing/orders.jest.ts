/**
 * The order service's tests with jest: the `@magneto/testing` preset serves magneto.config.json's tables
 * through `magneto serve`, and also runs them in-process with `createTestDatabase` (the fast path).
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type MagnetoTestConfig, type TestDatabase } from '@magneto/testing';
import { ordersService } from './orders-service.js';
import config from './magneto.config.json' with { type: 'json' };

describe('orders with jest, in-process (fast path)', () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(config as MagnetoTestConfig);
  });
  beforeEach(() => testDb.reset());
  const service = () => ordersService(testDb.serve(new DynamoDBClient({ region: 'us-east-1', maxAttempts: 3 }), { retryDelays: false }));

  it('retries a throttled write', async () => {
    testDb.faults.add({ operation: 'PutItem', nth: 1, error: 'ProvisionedThroughputExceededException' });
    await service().addNote('o1', 'gift wrap');
    // The journal holds what the database received: the throttled attempt and the retry.
    expect(testDb.journal.of('PutItem').map((entry) => entry.error?.name)).toEqual(['ProvisionedThroughputExceededException', undefined]);
  });

  it('surfaces a transaction conflict, writing nothing', async () => {
    testDb.faults.add({ operation: 'TransactWriteItems', cancel: ['TransactionConflict'] });
    await expect(service().placeOrder({ id: 'o2', sku: 'lamp', quantity: 1 })).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(await service().available('lamp')).toBe(3);
  });
});

describe('orders with jest, through magneto serve (the preset)', () => {
  // Unchanged code: the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB, set by the preset's global setup.
  const service = () => ordersService(new DynamoDBClient({ maxAttempts: 3 }));

  it('places an order', async () => {
    await service().placeOrder({ id: 'o1', sku: 'lamp', quantity: 2 });
    expect(await service().available('lamp')).toBe(1);
    expect(await service().getOrder('o1')).toMatchObject({ status: 'PLACED' });
  });

  it('starts each test from the seeded tables (the preset resets its server before each test)', async () => {
    expect(await service().available('lamp')).toBe(3);
    expect(await service().getOrder('o1')).toBeUndefined();
  });

  it('retries a write throttled over the fault control endpoint', async () => {
    await fetch(`${process.env.AWS_ENDPOINT_URL_DYNAMODB}/_magneto/faults`, { method: 'POST', body: JSON.stringify({ operation: 'PutItem', nth: 1, error: 'ThrottlingException' }) });
    await service().addNote('o1', 'gift wrap');
  });
});
