import {
  TransactGetItemsCommand,
  TransactionCanceledException as SdkTransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Database,
  IdempotentParameterMismatchException,
  ManualClock,
  ResourceNotFoundException,
  TransactionCanceledException,
  ValidationException,
  type ChangeBatch,
  type DatabaseModule,
  type Item,
} from '../src/index.js';
import { expectSdkError, hashTable, describeTransports } from './support/sdk.js';

const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });

async function database(options: ConstructorParameters<typeof Database>[0] = {}): Promise<Database> {
  const db = new Database(options);
  await db.createTable({
    TableName: 'accounts',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  await db.createTable({
    TableName: 'ledger',
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return db;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
}

const get = async (db: Database, id: string) => (await db.getItem({ TableName: 'accounts', Key: { id: S(id) } })).Item;

describe('TransactWriteItems', () => {
  it('applies Put, Update, Delete and ConditionCheck over two tables at once', async () => {
    const db = await database();
    await db.putItem({ TableName: 'accounts', Item: { id: S('a'), balance: N(10) } });
    await db.putItem({ TableName: 'accounts', Item: { id: S('gone'), balance: N(0) } });
    await db.transactWriteItems({
      TransactItems: [
        { Put: { TableName: 'accounts', Item: { id: S('b'), balance: N(5) }, ConditionExpression: 'attribute_not_exists(id)' } },
        { Update: { TableName: 'accounts', Key: { id: S('a') }, UpdateExpression: 'SET balance = balance - :v', ExpressionAttributeValues: { ':v': N(3) } } },
        { Delete: { TableName: 'accounts', Key: { id: S('gone') } } },
        { ConditionCheck: { TableName: 'ledger', Key: { pk: S('x'), sk: N(1) }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    });
    expect(await get(db, 'a')).toEqual({ id: S('a'), balance: N(7) });
    expect(await get(db, 'b')).toEqual({ id: S('b'), balance: N(5) });
    expect(await get(db, 'gone')).toBeUndefined();
    expect((await db.scan({ TableName: 'ledger' })).Count).toBe(0);
  });

  it('cancels with one reason per action, in order, and writes nothing', async () => {
    const db = await database();
    await db.putItem({ TableName: 'accounts', Item: { id: S('a'), balance: N(10) } });
    const error = await rejection(
      db.transactWriteItems({
        TransactItems: [
          { Put: { TableName: 'accounts', Item: { id: S('new') } } },
          {
            Update: {
              TableName: 'accounts',
              Key: { id: S('a') },
              UpdateExpression: 'SET balance = :v',
              ConditionExpression: 'balance > :min',
              ExpressionAttributeValues: { ':v': N(0), ':min': N(100) },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { ConditionCheck: { TableName: 'accounts', Key: { id: S('zzz') }, ConditionExpression: 'attribute_exists(id)' } },
        ],
      }),
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const cancelled = error as TransactionCanceledException;
    expect(cancelled.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]',
    );
    expect(cancelled.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: S('a'), balance: N(10) } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect(await get(db, 'new')).toBeUndefined();
    expect(await get(db, 'a')).toEqual({ id: S('a'), balance: N(10) });
  });

  it('reports a key that does not match its schema as the first ValidationError', async () => {
    const db = await database();
    const error = (await rejection(
      db.transactWriteItems({
        TransactItems: [
          { Put: { TableName: 'accounts', Item: { id: N(7) } } },
          { Put: { TableName: 'accounts', Item: { id: N(8) } } },
          { Put: { TableName: 'accounts', Item: { id: S('p') }, ConditionExpression: 'attribute_exists(id)' } },
        ],
      }),
    )) as TransactionCanceledException;
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.CancellationReasons.map((r) => r.Code)).toEqual(['ValidationError', 'None', 'None']);
    expect(error.CancellationReasons[0]!.Message).toMatch(/^One or more parameter values were invalid: Type mismatch for key id/);
  });

  it('refuses requests as DynamoDB does', async () => {
    const db = await database();
    const put = (id: string) => ({ Put: { TableName: 'accounts', Item: { id: S(id) } } });
    const cases: Array<[unknown, string]> = [
      [{ TransactItems: [] }, "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
      [{ TransactItems: [put('a'), put('a')] }, 'Transaction request cannot include multiple operations on one item'],
      [
        { TransactItems: [put('a'), { ConditionCheck: { TableName: 'accounts', Key: { id: S('a') }, ConditionExpression: 'attribute_exists(id)' } }] },
        'Transaction request cannot include multiple operations on one item',
      ],
      [{ TransactItems: [{ ...put('a'), Delete: { TableName: 'accounts', Key: { id: S('a') } } }] }, 'TransactItems can only contain one of Check, Put, Update or Delete'],
      [
        { TransactItems: [{ ConditionCheck: { TableName: 'accounts', Key: { id: S('a') } } }] },
        "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
      ],
      [
        { TransactItems: [put('a')], ClientRequestToken: 'x'.repeat(37) },
        `1 validation error detected: Value '${'x'.repeat(37)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`,
      ],
      [
        { TransactItems: [{ Put: { TableName: 'accounts', Item: { id: S('a') }, ConditionExpression: 'attribute_exists(#xyz)' } }] },
        'Value provided in ExpressionAttributeNames unused in expressions: keys: {#xyz}',
      ],
    ];
    for (const [input, message] of cases) {
      const error = await rejection(db.transactWriteItems(input as never));
      if (message.startsWith('Value provided')) {
        expect(error).toBeInstanceOf(ValidationException);
        expect((error as Error).message).toMatch(/#xyz/);
        continue;
      }
      expect(error).toBeInstanceOf(ValidationException);
      expect((error as Error).message).toBe(message);
    }
    const tooMany = await rejection(db.transactWriteItems({ TransactItems: Array.from({ length: 101 }, (_, i) => put(`k${i}`)) } as never));
    expect((tooMany as Error).message).toMatch(/at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/);
    const missing = await rejection(db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'nope', Item: { id: S('a') } } }] }));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((missing as Error).message).toBe('Requested resource not found');
  });

  it('accepts 100 actions', async () => {
    const db = await database();
    await db.transactWriteItems({ TransactItems: Array.from({ length: 100 }, (_, i) => ({ Put: { TableName: 'accounts', Item: { id: S(`k${i}`) } } })) });
    expect((await db.scan({ TableName: 'accounts' })).Count).toBe(100);
  });

  it('publishes the whole transaction as one change batch', async () => {
    const batches: ChangeBatch[] = [];
    const spy: DatabaseModule = { name: 'spy', install: (context) => void context.onChange((batch) => batches.push(batch)) } as DatabaseModule;
    const db = await database({ modules: [spy] });
    await db.putItem({ TableName: 'accounts', Item: { id: S('a'), balance: N(1) } });
    batches.length = 0;
    await db.transactWriteItems({
      TransactItems: [
        { Put: { TableName: 'accounts', Item: { id: S('b') } } },
        { Delete: { TableName: 'accounts', Key: { id: S('a') } } },
        { Put: { TableName: 'ledger', Item: { pk: S('x'), sk: N(1) } } },
      ],
    });
    expect(batches).toHaveLength(1);
    expect(batches[0]!.records.map((r) => `${r.tableName}:${r.eventName}`)).toEqual(['accounts:INSERT', 'accounts:REMOVE', 'ledger:INSERT']);
  });

  it('charges 2 write units per item, per table', async () => {
    const db = await database();
    const output = await db.transactWriteItems({
      ReturnConsumedCapacity: 'TOTAL',
      TransactItems: [
        { Put: { TableName: 'accounts', Item: { id: S('a') } } },
        { Put: { TableName: 'accounts', Item: { id: S('b'), big: S('x'.repeat(1500)) } } },
        { Put: { TableName: 'ledger', Item: { pk: S('x'), sk: N(1) } } },
      ],
    });
    expect(output.ConsumedCapacity).toEqual([
      { TableName: 'accounts', CapacityUnits: 6 },
      { TableName: 'ledger', CapacityUnits: 2 },
    ]);
  });

  it('honours a ClientRequestToken for 10 minutes of the database clock', async () => {
    const clock = new ManualClock(0);
    const db = await database({ clock });
    await db.putItem({ TableName: 'accounts', Item: { id: S('a'), n: N(0) } });
    const increment = {
      ClientRequestToken: 'token-1',
      TransactItems: [{ Update: { TableName: 'accounts', Key: { id: S('a') }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': N(1) } } }],
    };
    await db.transactWriteItems(increment);
    await db.transactWriteItems(increment);
    expect((await get(db, 'a'))!.n).toEqual(N(1));
    const mismatch = await rejection(db.transactWriteItems({ ...increment, TransactItems: [{ Put: { TableName: 'accounts', Item: { id: S('other') } } }] }));
    expect(mismatch).toBeInstanceOf(IdempotentParameterMismatchException);
    await clock.advance(10 * 60 * 1000 - 1);
    await db.transactWriteItems(increment);
    expect((await get(db, 'a'))!.n).toEqual(N(1));
    await clock.advance(1);
    await db.transactWriteItems(increment);
    expect((await get(db, 'a'))!.n).toEqual(N(2));
  });

  it('keeps the sum of balances across random transfers; a cancelled transfer changes nothing', async () => {
    const accounts = ['a', 'b', 'c', 'd'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ from: fc.constantFrom(...accounts), to: fc.constantFrom(...accounts), amount: fc.integer({ min: 1, max: 80 }) }), { maxLength: 30 }),
        async (transfers) => {
          const db = await database();
          for (const id of accounts) await db.putItem({ TableName: 'accounts', Item: { id: S(id), balance: N(50) } });
          for (const { from, to, amount } of transfers) {
            const before = await Promise.all(accounts.map((id) => get(db, id)));
            const result = await rejection(
              db.transactWriteItems({
                TransactItems: [
                  {
                    Update: {
                      TableName: 'accounts',
                      Key: { id: S(from) },
                      UpdateExpression: 'SET balance = balance - :v',
                      ConditionExpression: 'balance >= :v',
                      ExpressionAttributeValues: { ':v': N(amount) },
                    },
                  },
                  { Update: { TableName: 'accounts', Key: { id: S(to) }, UpdateExpression: 'SET balance = balance + :v', ExpressionAttributeValues: { ':v': N(amount) } } },
                ],
              }),
            );
            const after = await Promise.all(accounts.map((id) => get(db, id)));
            const balance = (id: string) => Number((before[accounts.indexOf(id)]!.balance as { N: string }).N);
            const committed = result instanceof Error && result.message === 'expected a rejection';
            if (from === to) expect(result).toBeInstanceOf(ValidationException);
            else if (balance(from) < amount) expect(result).toBeInstanceOf(TransactionCanceledException);
            else expect(committed).toBe(true);
            if (!committed) expect(after).toEqual(before);
            const sum = after.reduce((s, item) => s + Number(((item as Item).balance as { N: string }).N), 0);
            expect(sum).toBe(200);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('TransactGetItems', () => {
  it('answers in request order, with projections, {} for a missing item and 2 read units each', async () => {
    const db = await database();
    await db.putItem({ TableName: 'accounts', Item: { id: S('a'), x: N(1), y: N(2) } });
    await db.putItem({ TableName: 'ledger', Item: { pk: S('p'), sk: N(1), z: S('z') } });
    const output = await db.transactGetItems({
      ReturnConsumedCapacity: 'TOTAL',
      TransactItems: [
        { Get: { TableName: 'ledger', Key: { pk: S('p'), sk: N(1) } } },
        { Get: { TableName: 'accounts', Key: { id: S('missing') } } },
        { Get: { TableName: 'accounts', Key: { id: S('a') }, ProjectionExpression: '#x', ExpressionAttributeNames: { '#x': 'x' } } },
      ],
    });
    expect(output.Responses).toEqual([{ Item: { pk: S('p'), sk: N(1), z: S('z') } }, {}, { Item: { x: N(1) } }]);
    expect(output.ConsumedCapacity).toEqual([
      { TableName: 'ledger', CapacityUnits: 2 },
      { TableName: 'accounts', CapacityUnits: 4 },
    ]);
  });

  it('refuses unused names, a missing table and 101 Gets', async () => {
    const db = await database();
    const unused = await rejection(
      db.transactGetItems({ TransactItems: [{ Get: { TableName: 'accounts', Key: { id: S('a') }, ProjectionExpression: '#x', ExpressionAttributeNames: { '#x': 'x', '#qq': 'q' } } }] }),
    );
    expect(unused).toBeInstanceOf(ValidationException);
    expect((unused as Error).message).toBe('Value provided in ExpressionAttributeNames unused in expressions: keys: {#qq}');
    const missing = await rejection(db.transactGetItems({ TransactItems: [{ Get: { TableName: 'nope', Key: { id: S('a') } } }] }));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    const tooMany = await rejection(db.transactGetItems({ TransactItems: Array.from({ length: 101 }, (_, i) => ({ Get: { TableName: 'accounts', Key: { id: S(`k${i}`) } } })) }));
    expect((tooMany as Error).message).toMatch(/at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/);
  });
});

describeTransports((sdkClient) => {
  describe('transactions through the AWS SDK', () => {
    it('exposes CancellationReasons, Item included, on the SDK exception', async () => {
      const { db, client } = await sdkClient();
      await db.createTable(hashTable('tx1') as never);
      await db.putItem({ TableName: 'tx1', Item: { id: S('a'), v: N(1) } });
      const error = await expectSdkError(
        client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: 'tx1', Item: { id: { S: 'b' } } } },
              { ConditionCheck: { TableName: 'tx1', Key: { id: { S: 'a' } }, ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': { N: '2' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            ],
          }),
        ),
        {
          type: SdkTransactionCanceledException,
          name: 'TransactionCanceledException',
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
        },
      );
      expect((error as SdkTransactionCanceledException).CancellationReasons).toEqual([
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 'a' }, v: { N: '1' } } },
      ]);
      const got = await client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'tx1', Key: { id: { S: 'a' } } } }, { Get: { TableName: 'tx1', Key: { id: { S: 'b' } } } }] }));
      expect(got.Responses).toEqual([{ Item: { id: { S: 'a' }, v: { N: '1' } } }, {}]);
      await expectSdkError(
        client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'tok', TransactItems: [{ Put: { TableName: 'tx1', Item: { id: { S: 'c' } } } }] })).then(() =>
          client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'tok', TransactItems: [{ Put: { TableName: 'tx1', Item: { id: { S: 'd' } } } }] })),
        ),
        {
          name: 'IdempotentParameterMismatchException',
          message: 'The request cannot be retried because its parameters do not match the original request associated with this ClientRequestToken.',
        },
      );
    });

    it('works with the DocumentClient', async () => {
      const { db, client } = await sdkClient();
      await db.createTable(hashTable('tx1') as never);
      const docs = DynamoDBDocumentClient.from(client);
      await docs.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'tx1', Item: { id: 'a', n: 1, tags: ['x'] } } },
            { Update: { TableName: 'tx1', Key: { id: 'b' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 2 } } },
          ],
        }),
      );
      const got = await docs.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: 'tx1', Key: { id: 'a' } } }, { Get: { TableName: 'tx1', Key: { id: 'b' } } }] }));
      expect(got.Responses).toEqual([{ Item: { id: 'a', n: 1, tags: ['x'] } }, { Item: { id: 'b', n: 2 } }]);
      const error = await rejection(
        docs.send(new TransactWriteCommand({ TransactItems: [{ ConditionCheck: { TableName: 'tx1', Key: { id: 'a' }, ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': 9 } } }] })),
      );
      expect(error).toBeInstanceOf(SdkTransactionCanceledException);
      expect((error as SdkTransactionCanceledException).CancellationReasons).toEqual([{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
    });

    it('create-if-absent uniqueness records: a second signup with the same email is cancelled and writes nothing', async () => {
      const { db, client } = await sdkClient();
      await db.createTable(hashTable('users') as never);
      const docs = DynamoDBDocumentClient.from(client);
      const signUp = (id: string, email: string) =>
        docs.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: 'users', Item: { id: `user#${id}`, email }, ConditionExpression: 'attribute_not_exists(id)' } },
              { Put: { TableName: 'users', Item: { id: `email#${email}`, owner: id }, ConditionExpression: 'attribute_not_exists(id)' } },
            ],
          }),
        );
      await signUp('ada', 'ada@example.com');
      const error = await rejection(signUp('eve', 'ada@example.com'));
      expect(error).toBeInstanceOf(SdkTransactionCanceledException);
      expect((error as SdkTransactionCanceledException).message).toBe(
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      );
      expect((error as SdkTransactionCanceledException).CancellationReasons).toEqual([
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ]);
      expect((await docs.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: 'users', Key: { id: 'user#eve' } } }] }))).Responses).toEqual([
        {},
      ]);
    });
  });
});
