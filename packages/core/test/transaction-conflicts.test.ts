/**
 * Transaction conflict simulation (DatabaseOptions.transactionConflictWindowMs): a committed
 * TransactWriteItems holds its items for the window of the database clock; overlapping transactions are
 * cancelled with TransactionConflict, single-item writes fail with TransactionConflictException. Also:
 * BatchWriteItem checks LSI item-collection limits for the whole batch before writing any item.
 */
import {
  PutItemCommand,
  TransactionCanceledException as SdkTransactionCanceledException,
  TransactionConflictException as SdkTransactionConflictException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  Database,
  ItemCollectionSizeLimitExceededException,
  ManualClock,
  TransactionCanceledException,
  TransactionConflictException,
  type ChangeBatch,
  type CreateTableInput,
  type TransactWriteItem,
} from '../src/index.js';
import { expectSdkError, hashTable, sdkClient } from './support/sdk.js';
import { attributes, keys } from './support/tables.js';

const START = Date.UTC(2024, 0, 1);
const WINDOW = 500;
const CONFLICT = { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' };
const NONE = { Code: 'None' };

async function database(windowMs = WINDOW): Promise<{ db: Database; clock: ManualClock }> {
  const clock = new ManualClock(START);
  const db = new Database({ clock, transactionConflictWindowMs: windowMs });
  await db.createTable({
    TableName: 'acct',
    KeySchema: keys('id'),
    AttributeDefinitions: attributes({ id: 'S' }),
    BillingMode: 'PAY_PER_REQUEST',
  });
  return { db, clock };
}

const put = (id: string, extra: Record<string, { S: string }> = {}): TransactWriteItem => ({ Put: { TableName: 'acct', Item: { id: { S: id }, ...extra } } });
const check = (id: string): TransactWriteItem => ({ ConditionCheck: { TableName: 'acct', Key: { id: { S: id } }, ConditionExpression: 'attribute_exists(id)' } });

async function reasonsOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => new Error('expected a cancellation'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransactionCanceledException);
  return (error as TransactionCanceledException).CancellationReasons;
}

/** How many items committed transactions hold (the simulation module's transaction hook keeps them). */
const heldCount = (db: Database): number => db.engine.transactionHooks.reduce((n, hook) => n + ((hook as { heldCount?: number }).heldCount ?? 0), 0);

describe('transaction conflict simulation', () => {
  it('is off by default: overlapping transactions and writes succeed', async () => {
    const { db } = await database(0);
    await db.transactWriteItems({ TransactItems: [put('a')] });
    await db.transactWriteItems({ TransactItems: [put('a', { v: { S: '2' } })] });
    await db.putItem({ TableName: 'acct', Item: { id: { S: 'a' } } });
    await db.transactGetItems({ TransactItems: [{ Get: { TableName: 'acct', Key: { id: { S: 'a' } } } }] });
    expect(db.engine.transactionHooks).toHaveLength(0);
  });

  it('cancels a transaction touching a held item, with TransactionConflict for that action only; the retry succeeds after the window', async () => {
    const { db, clock } = await database();
    const feed: ChangeBatch[] = [];
    db.engine.moduleContext().onChange((batch) => feed.push(batch));
    await db.transactWriteItems({ TransactItems: [put('a'), put('b')] });
    expect(feed).toHaveLength(1);
    const attempt = { TransactItems: [put('c'), put('b', { v: { S: 'x' } })] };
    expect(await reasonsOf(db.transactWriteItems(attempt))).toEqual([NONE, CONFLICT]);
    await expect(db.transactWriteItems(attempt)).rejects.toThrow('Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]');
    // nothing of the cancelled transaction was written
    expect((await db.getItem({ TableName: 'acct', Key: { id: { S: 'c' } } })).Item).toBeUndefined();
    expect(feed).toHaveLength(1);
    await clock.advance(WINDOW - 1);
    expect(await reasonsOf(db.transactWriteItems(attempt))).toEqual([NONE, CONFLICT]);
    await clock.advance(1);
    await db.transactWriteItems(attempt);
    expect((await db.getItem({ TableName: 'acct', Key: { id: { S: 'b' } } })).Item).toEqual({ id: { S: 'b' }, v: { S: 'x' } });
    expect(feed).toHaveLength(2);
    // the new transaction now holds b and c, while a is free again
    expect(await reasonsOf(db.transactWriteItems({ TransactItems: [put('a'), check('b'), put('c')] }))).toEqual([NONE, CONFLICT, CONFLICT]);
  });

  it('holds the items of ConditionChecks too, and not those of cancelled transactions', async () => {
    const { db } = await database();
    await db.putItem({ TableName: 'acct', Item: { id: { S: 'a' } } });
    await expect(db.transactWriteItems({ TransactItems: [check('missing'), put('x')] })).rejects.toBeInstanceOf(TransactionCanceledException);
    await db.transactWriteItems({ TransactItems: [put('x')] });
    await db.transactWriteItems({ TransactItems: [check('a'), put('y')] });
    expect(await reasonsOf(db.transactWriteItems({ TransactItems: [put('a')] }))).toEqual([CONFLICT]);
  });

  it('fails PutItem, UpdateItem and DeleteItem on a held item with TransactionConflictException', async () => {
    const { db, clock } = await database();
    await db.transactWriteItems({ TransactItems: [put('a')] });
    const writes = [
      () => db.putItem({ TableName: 'acct', Item: { id: { S: 'a' }, v: { S: '1' } } }),
      () => db.updateItem({ TableName: 'acct', Key: { id: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: '2' } } }),
      () => db.deleteItem({ TableName: 'acct', Key: { id: { S: 'a' } } }),
    ];
    for (const write of writes) {
      const error = await write().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TransactionConflictException);
      expect((error as Error).name).toBe('TransactionConflictException');
      expect((error as Error).message).toBe('Transaction is ongoing for the item');
    }
    expect((await db.getItem({ TableName: 'acct', Key: { id: { S: 'a' } } })).Item).toEqual({ id: { S: 'a' } });
    // other items, reads and batches are not affected
    await db.putItem({ TableName: 'acct', Item: { id: { S: 'b' } } });
    expect((await db.getItem({ TableName: 'acct', Key: { id: { S: 'a' } } })).Item).toBeDefined();
    await clock.advance(WINDOW);
    for (const write of writes) await write();
    expect((await db.getItem({ TableName: 'acct', Key: { id: { S: 'a' } } })).Item).toBeUndefined();
  });

  it('cancels TransactGetItems touching a held item', async () => {
    const { db, clock } = await database();
    await db.transactWriteItems({ TransactItems: [put('a', { v: { S: '1' } })] });
    const get = { TransactItems: [{ Get: { TableName: 'acct', Key: { id: { S: 'z' } } } }, { Get: { TableName: 'acct', Key: { id: { S: 'a' } } } }] };
    expect(await reasonsOf(db.transactGetItems(get))).toEqual([NONE, CONFLICT]);
    await clock.advance(WINDOW);
    expect((await db.transactGetItems(get)).Responses).toEqual([{}, { Item: { id: { S: 'a' }, v: { S: '1' } } }]);
  });

  it('prunes expired holds lazily', async () => {
    const { db, clock } = await database();
    for (let i = 0; i < 5; i++) await db.transactWriteItems({ TransactItems: [put(`k${i}`)] });
    expect(heldCount(db)).toBe(5);
    await clock.advance(WINDOW);
    await db.transactWriteItems({ TransactItems: [put('fresh')] });
    expect(heldCount(db)).toBe(1);
  });

  it('answers through the SDK: CancellationReasons with TransactionConflict, TransactionConflictException, retry after the window', async () => {
    const clock = new ManualClock(START);
    const { db, client } = sdkClient({ clock, transactionConflictWindowMs: WINDOW });
    await db.createTable(hashTable('tbl') as CreateTableInput);
    const transfer = () =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'tbl', Item: { id: { S: 'other' } } } },
            { Update: { TableName: 'tbl', Key: { id: { S: 'a' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          ],
        }),
      );
    await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'tbl', Item: { id: { S: 'a' }, n: { N: '0' } } } }] }));
    const error = await expectSdkError(transfer(), {
      type: SdkTransactionCanceledException,
      name: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]',
    });
    expect((error as SdkTransactionCanceledException).CancellationReasons).toEqual([NONE, CONFLICT]);
    await expectSdkError(client.send(new PutItemCommand({ TableName: 'tbl', Item: { id: { S: 'a' } } })), {
      type: SdkTransactionConflictException,
      name: 'TransactionConflictException',
      message: 'Transaction is ongoing for the item',
    });
    await expectSdkError(
      client.send(new UpdateItemCommand({ TableName: 'tbl', Key: { id: { S: 'a' } }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': { S: 'x' } } })),
      { type: SdkTransactionConflictException, name: 'TransactionConflictException', message: 'Transaction is ongoing for the item' },
    );
    await clock.advance(WINDOW);
    await transfer();
    expect((await db.getItem({ TableName: 'tbl', Key: { id: { S: 'a' } } })).Item).toEqual({ id: { S: 'a' }, n: { N: '1' } });
  });
});

describe('BatchWriteItem and LSI item-collection limits', () => {
  const LSI_TABLE: CreateTableInput = {
    TableName: 'coll',
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keys('pk', 'sk'),
    AttributeDefinitions: attributes({ pk: 'S', sk: 'S', l: 'S' }),
    LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: keys('pk', 'l'), Projection: { ProjectionType: 'KEYS_ONLY' } }],
  };
  const big = 'x'.repeat(400);
  const item = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk }, l: { S: 'a' }, v: { S: big } });

  it('refuses the whole batch, before writing anything, when one write would grow a collection past the limit', async () => {
    const db = new Database({ itemCollectionSizeLimitBytes: 2000 });
    await db.createTable(LSI_TABLE);
    const feed: ChangeBatch[] = [];
    db.engine.moduleContext().onChange((batch) => feed.push(batch));
    await db.putItem({ TableName: 'coll', Item: item('p', '0') });
    const requests = ['1', '2', '3', '4', '5'].map((sk) => ({ PutRequest: { Item: item('p', sk) } }));
    const error = await db
      .batchWriteItem({ RequestItems: { coll: [{ PutRequest: { Item: item('q', '0') } }, ...requests] } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ItemCollectionSizeLimitExceededException);
    expect((error as Error).message).toBe('Collection size exceeded.');
    const { Items } = await db.scan({ TableName: 'coll' });
    expect(Items).toHaveLength(1);
    expect(feed).toHaveLength(1);
    // a batch within the limit, with deletes making room first, is applied
    await db.batchWriteItem({ RequestItems: { coll: [{ DeleteRequest: { Key: { pk: { S: 'p' }, sk: { S: '0' } } } }, ...requests.slice(0, 2)] } });
    expect((await db.scan({ TableName: 'coll' })).Items).toHaveLength(2);
  });
});
