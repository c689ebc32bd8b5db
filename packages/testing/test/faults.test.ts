import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database, faults, ManualClock, type FaultsModule } from '@magneto/core';
import { serveInProcess } from '@magneto/testing';
import { describe, expect, it } from 'vitest';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const item = (id: string) => ({ id: { S: id } });

async function setup(options: { seed?: number; clock?: ManualClock; maxAttempts?: number; wire?: boolean } = {}): Promise<{ db: Database; chaos: FaultsModule; client: DynamoDBClient }> {
  const chaos = faults({ seed: options.seed ?? 1 });
  const db = new Database({ modules: [chaos], ...(options.clock ? { clock: options.clock } : {}) });
  await db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  const config = { region: 'us-east-1', credentials, maxAttempts: options.maxAttempts ?? 1 };
  const client = options.wire === true ? new DynamoDBClient({ ...config, requestHandler: createRequestHandler(db) }) : serveInProcess(new DynamoDBClient(config), db);
  return { db, chaos, client };
}

describe('faults()', () => {
  it('throttles the n-th matching call; the SDK retry strategy sees the throttling error and retries', async () => {
    const { db, chaos, client } = await setup({ maxAttempts: 3 });
    const rule = chaos.add({ operation: 'PutItem', table: 'orders', nth: 1, error: 'ProvisionedThroughputExceededException' });
    const output = await client.send(new PutItemCommand({ TableName: 'orders', Item: item('a') }));
    expect(output.$metadata.attempts).toBe(2);
    expect((await db.getItem({ TableName: 'orders', Key: item('a') })).Item).toEqual(item('a'));
    expect([rule.matched, rule.fired]).toEqual([2, 1]);
    expect(chaos.injected.map(({ rule, operation, fault }) => ({ rule, operation, fault }))).toEqual([{ rule: 'rule 1', operation: 'PutItem', fault: 'ProvisionedThroughputExceededException' }]);
  });

  it.each([
    ['InternalServerError', 500, 'server'],
    ['ServiceUnavailable', 503, 'server'],
    ['ThrottlingException', 400, 'client'],
    ['RequestLimitExceeded', 400, 'client'],
    ['TransactionConflictException', 400, 'client'],
  ])('throws %s with its wire form (HTTP %i) on the wire path and the fast path alike', async (error, status, fault) => {
    for (const wire of [true, false]) {
      const { chaos, client } = await setup({ wire });
      chaos.add({ operation: 'GetItem', error });
      const thrown = await client.send(new GetItemCommand({ TableName: 'orders', Key: item('a') })).catch((e: unknown) => e);
      expect(thrown).toMatchObject({ name: error, $fault: fault, $metadata: { httpStatusCode: status } });
    }
  });

  it('matches by key: only requests for that item fail', async () => {
    const { client, chaos } = await setup();
    chaos.add({ key: { id: { S: 'bad' } }, error: 'InternalServerError' });
    await expect(client.send(new PutItemCommand({ TableName: 'orders', Item: item('good') }))).resolves.toBeDefined();
    await expect(client.send(new PutItemCommand({ TableName: 'orders', Item: item('bad') }))).rejects.toMatchObject({ name: 'InternalServerError' });
  });

  it('returns partial batches: the last requests come back unprocessed and are not written', async () => {
    const { db, client, chaos } = await setup();
    chaos.add({ operation: 'BatchWriteItem', unprocessed: 1, times: 1 });
    const requests = ['a', 'b', 'c'].map((id) => ({ PutRequest: { Item: item(id) } }));
    const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { orders: requests } }));
    expect(UnprocessedItems).toEqual({ orders: [requests[2]] });
    expect((await db.scan({ TableName: 'orders' })).Count).toBe(2);
    chaos.add({ operation: 'BatchWriteItem', unprocessed: 'all' });
    await expect(client.send(new BatchWriteItemCommand({ RequestItems: { orders: requests } }))).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  });

  it('cancels transactions with the chosen reasons, doing nothing', async () => {
    const { db, client, chaos } = await setup();
    chaos.add({ operation: 'TransactWriteItems', cancel: ['None', 'TransactionConflict'] });
    const thrown = await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'orders', Item: item('a') } }, { Put: { TableName: 'orders', Item: item('b') } }] })).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TransactionCanceledException);
    expect((thrown as TransactionCanceledException).CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }]);
    expect((await db.scan({ TableName: 'orders' })).Count).toBe(0);
  });

  it('delays answers on the database clock', async () => {
    const clock = new ManualClock(0);
    const { db, chaos } = await setup({ clock });
    chaos.add({ operation: 'GetItem', latencyMs: 1000 });
    let answered = false;
    const pending = db.getItem({ TableName: 'orders', Key: item('a') }).then(() => (answered = true));
    await clock.advance(999);
    expect(answered).toBe(false);
    await clock.advance(1);
    await pending;
    expect(answered).toBe(true);
  });

  it('fails after the write: the item is written, the answer lost', async () => {
    const { db, client, chaos } = await setup();
    chaos.add({ operation: 'PutItem', error: 'InternalServerError', afterWrite: true });
    await expect(client.send(new PutItemCommand({ TableName: 'orders', Item: item('a') }))).rejects.toMatchObject({ name: 'InternalServerError' });
    expect((await db.getItem({ TableName: 'orders', Key: item('a') })).Item).toEqual(item('a'));
  });

  it('fires the same faults across runs with the same seed, and others with another seed', async () => {
    const run = async (seed: number): Promise<boolean[]> => {
      const { db, chaos } = await setup({ seed });
      chaos.add({ operation: 'GetItem', probability: 0.5, error: 'InternalServerError' });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 40; i++) outcomes.push(await db.getItem({ TableName: 'orders', Key: item('a') }).then(() => true, () => false));
      return outcomes;
    };
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
    expect(await run(43)).not.toEqual(first);
  });
});
