/**
 * BatchExecuteStatement and ExecuteTransaction through the unchanged AWS SDK v3 (in-process and over HTTP).
 */
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  IdempotentParameterMismatchException,
  PutItemCommand,
  TransactionCanceledException,
  UpdateTableCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeTransports, expectSdkError, hashTable } from '../support/sdk.js';

const S = (s: string): AttributeValue => ({ S: s });

describeTransports((sdkClient) => {
  let client: DynamoDBClient;
  const get = async (id: string) => (await client.send(new GetItemCommand({ TableName: 'users', Key: { id: S(id) } }))).Item;

  beforeEach(async () => {
    ({ client } = await sdkClient());
    await client.send(new CreateTableCommand(hashTable('users')));
    for (const id of ['a', 'b']) await client.send(new PutItemCommand({ TableName: 'users', Item: { id: S(id), n: { N: '1' } } }));
  });

  describe('BatchExecuteStatement', () => {
    it('reads items by key, each in its own response', async () => {
      const out = await client.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `SELECT * FROM "users" WHERE id = ?`, Parameters: [S('a')] },
            { Statement: `SELECT id FROM "users" WHERE id = 'zz'` },
            { Statement: `SELECT * FROM "nope" WHERE id = 'a'` },
          ],
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      expect(out.Responses).toEqual([
        { TableName: 'users', Item: { id: S('a'), n: { N: '1' } } },
        { TableName: 'users' },
        { Error: { Code: 'ResourceNotFound', Message: 'Requested resource not found' } },
      ]);
      expect(out.ConsumedCapacity).toEqual([{ TableName: 'users', CapacityUnits: 1 }]);
    });

    it('writes, answering each failed statement with its error code while the others succeed', async () => {
      const out = await client.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `INSERT INTO "users" VALUE {'id': 'c'}` },
            { Statement: `INSERT INTO "users" VALUE {'id': 'a'}` },
            { Statement: `UPDATE "users" SET n = 2 WHERE id = 'b' AND n = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
            { Statement: `DELETE FROM "users" WHERE id = 'zz' RETURNING ALL OLD *` },
            { Statement: `SELEKT` },
          ],
        }),
      );
      expect(out.Responses).toEqual([
        { TableName: 'users' },
        { Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
        { Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: S('b'), n: { N: '1' } } } },
        { TableName: 'users' },
        { Error: { Code: 'ValidationError', Message: "Statement wasn't well formed, can't be processed: Expected data manipulation" } },
      ]);
      expect(await get('c')).toEqual({ id: S('c') });
      const returned = await client.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `DELETE FROM "users" WHERE id = 'a' RETURNING ALL OLD *` }] }));
      expect(returned.Responses).toEqual([{ TableName: 'users', Item: { id: S('a'), n: { N: '1' } } }]);
    });

    it('refuses reads with writes, one item twice, and more than 25 statements', async () => {
      const send = (Statements: { Statement: string }[]) => client.send(new BatchExecuteStatementCommand({ Statements }));
      await expectSdkError(send([{ Statement: `SELECT * FROM users WHERE id = 'a'` }, { Statement: `DELETE FROM users WHERE id = 'b'` }]), {
        name: 'ValidationException',
        message: 'Read and write requests together in the same batch is not supported.',
      });
      await expectSdkError(send([{ Statement: `DELETE FROM users WHERE id = 'a'` }, { Statement: `UPDATE users SET x = 1 WHERE id = 'a'` }]), {
        name: 'ValidationException',
        message: 'Provided list of item keys contains duplicates',
      });
      const many = Array.from({ length: 26 }, (_, i) => ({ Statement: `DELETE FROM users WHERE id = '${i}'` }));
      const error = await send(many).catch((e: Error) => e);
      expect((error as Error).message).toMatch(/^1 validation error detected: Value '\[.*\]' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25$/);
      expect(await get('a')).toBeDefined();
    });
  });

  describe('ExecuteTransaction', () => {
    it('writes all statements together, EXISTS checking an item', async () => {
      await client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `EXISTS(SELECT * FROM "users" WHERE id = 'a' AND n = 1)` },
            { Statement: `INSERT INTO "users" VALUE {'id': ?, 'n': 7}`, Parameters: [S('c')] },
            { Statement: `UPDATE "users" SET n = n + 1 WHERE id = 'b'` },
          ],
        }),
      );
      expect(await get('c')).toEqual({ id: S('c'), n: { N: '7' } });
      expect(await get('b')).toEqual({ id: S('b'), n: { N: '2' } });
    });

    it('cancels everything with reasons in statement order, DuplicateItem for an INSERT of an existing key', async () => {
      const error = await expectSdkError(
        client.send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `UPDATE "users" SET n = 9 WHERE id = 'b'` },
              { Statement: `INSERT INTO "users" VALUE {'id': 'a'}` },
              { Statement: `DELETE FROM "users" WHERE id = 'zz' AND n = 1` },
            ],
          }),
        ),
        { type: TransactionCanceledException, name: 'TransactionCanceledException', message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, None]' },
      );
      expect((error as TransactionCanceledException).CancellationReasons).toEqual([
        { Code: 'None' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
        { Code: 'None' },
      ]);
      expect(await get('b')).toEqual({ id: S('b'), n: { N: '1' } });
    });

    it('reads items as one consistent view', async () => {
      const out = await client.send(
        new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT n FROM users WHERE id = 'a'` }, { Statement: `SELECT * FROM users WHERE id = 'zz'` }], ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(out.Responses).toEqual([{ Item: { n: { N: '1' } } }, {}]);
      expect(out.ConsumedCapacity).toEqual([{ TableName: 'users', CapacityUnits: 4 }]);
    });

    it('is idempotent with a ClientRequestToken', async () => {
      const send = (Statement: string) => client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement }], ClientRequestToken: 'token-1' }));
      await send(`UPDATE users SET n = n + 1 WHERE id = 'a'`);
      await send(`UPDATE users SET n = n + 1 WHERE id = 'a'`);
      expect(await get('a')).toEqual({ id: S('a'), n: { N: '2' } });
      await expectSdkError(send(`UPDATE users SET n = n + 5 WHERE id = 'a'`), {
        type: IdempotentParameterMismatchException,
        name: 'IdempotentParameterMismatchException',
        message: 'The request cannot be retried because its parameters do not match the original request associated with this ClientRequestToken.',
      });
    });

    it('refuses RETURNING and index reads, as DynamoDB words them (nubo-db/dynamodb-conformance)', async () => {
      await expectSdkError(client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `UPDATE users SET n = 1 WHERE id = 'a' RETURNING ALL NEW *` }] })), {
        name: 'ValidationException',
        message: 'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.',
      });
      await client.send(new UpdateTableCommand({ TableName: 'users', AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }], GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byN', KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }] }));
      await expectSdkError(client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM users WHERE id = 'a'` }, { Statement: `SELECT * FROM users."byN" WHERE n = 1` }] })), {
        name: 'ValidationException',
        message: 'Validation failed in TransactStatements[1]: Reads on indices are not supported within transactions.',
      });
    });

    it('refuses a SELECT that does not name one item, and more than 100 statements', async () => {
      await expectSdkError(client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM users` }] })), {
        name: 'ValidationException',
        message: 'Where clause does not contain a mandatory equality on all key attributes',
      });
      const many = Array.from({ length: 101 }, (_, i) => ({ Statement: `DELETE FROM users WHERE id = '${i}'` }));
      const error = await client.send(new ExecuteTransactionCommand({ TransactStatements: many })).catch((e: Error) => e);
      expect((error as Error).message).toMatch(/at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100$/);
    });
  });
});
