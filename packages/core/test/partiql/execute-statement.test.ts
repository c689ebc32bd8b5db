/**
 * ExecuteStatement through the unchanged AWS SDK v3 (in-process and over HTTP): every statement form,
 * its plan's answer (GetItem, Query, Scan, PutItem, UpdateItem, DeleteItem), paging and DynamoDB's errors.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DuplicateItemException,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeTransports, expectSdkError, ITEM_TABLE_NOT_FOUND, provisioned } from '../support/sdk.js';

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
const MALFORMED = "Statement wasn't well formed, can't be processed: ";

describeTransports((sdkClient) => {
  let client: DynamoDBClient;
  const run = (Statement: string, Parameters?: AttributeValue[], extra: Record<string, unknown> = {}) =>
    client.send(new ExecuteStatementCommand({ Statement, Parameters, ...extra }));

  beforeEach(async () => {
    ({ client } = await sdkClient());
    await client.send(
      new CreateTableCommand({
        ...provisioned('music'),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'genre', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'byGenre', KeySchema: [{ AttributeName: 'genre', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        ],
      }),
    );
    for (let sk = 1; sk <= 5; sk++) {
      const Item: Record<string, AttributeValue> = { pk: S('a'), sk: N(sk), title: S(`song ${sk}`), tags: { L: [S('x'), S(`t${sk}`)] }, info: { M: { year: N(2000 + sk) } } };
      if (sk % 2 === 1) Item.genre = S('rock');
      await client.send(new PutItemCommand({ TableName: 'music', Item }));
    }
    await client.send(new PutItemCommand({ TableName: 'music', Item: { pk: S('b'), sk: N(1), title: S('other') } }));
  });

  describe('SELECT', () => {
    it('reads one item by its full key (a GetItem), with ConsumedCapacity', async () => {
      const out = await run(`SELECT * FROM "music" WHERE pk = 'a' AND sk = 2`, undefined, { ReturnConsumedCapacity: 'TOTAL' });
      expect(out.Items).toEqual([{ pk: S('a'), sk: N(2), title: S('song 2'), tags: { L: [S('x'), S('t2')] }, info: { M: { year: N(2002) } } }]);
      expect(out.ConsumedCapacity).toEqual({ TableName: 'music', CapacityUnits: 0.5 });
      expect(out.NextToken).toBeUndefined();
    });

    it('answers no items for a key no item has', async () => {
      expect((await run(`SELECT * FROM music WHERE pk = ? AND sk = ?`, [S('zz'), N(1)])).Items).toEqual([]);
    });

    it('projects attributes, nested paths and list elements', async () => {
      const out = await run(`SELECT title, info.year, tags[1] FROM "music" WHERE "pk" = 'a' AND sk = 3`);
      expect(out.Items).toEqual([{ title: S('song 3'), year: N(2003), tags: S('t3') }]);
    });

    it('queries a partition with a sort key condition and a filter, in ORDER BY order', async () => {
      const out = await run(`SELECT sk FROM "music" WHERE pk = 'a' AND sk BETWEEN 2 AND 5 AND title <> 'song 4' ORDER BY sk DESC`);
      expect(out.Items).toEqual([{ sk: N(5) }, { sk: N(3) }, { sk: N(2) }]);
    });

    it('scans with a filter when the partition key is not fixed', async () => {
      const out = await run(`SELECT pk, sk FROM "music" WHERE begins_with(title, 'song') AND (sk IN [1, 2] OR contains(tags, 't5')) AND NOT attribute_type(title, 'N')`);
      expect(out.Items).toHaveLength(3);
      const missing = await run(`SELECT pk FROM "music" WHERE genre IS MISSING AND size(title) > 5`);
      expect(missing.Items).toEqual([{ pk: S('a') }, { pk: S('a') }]);
      const present = await run(`SELECT sk FROM "music" WHERE genre IS NOT MISSING`);
      expect(present.Items).toHaveLength(3);
    });

    it('reads a global secondary index named "table"."index"', async () => {
      const out = await run(`SELECT sk FROM "music"."byGenre" WHERE genre = 'rock'`);
      expect(out.Items?.map((i) => i.sk?.N).sort()).toEqual(['1', '3', '5']);
    });

    // Each message as nubo-db/dynamodb-conformance (tier3 partiql) records it against DynamoDB.
    it('refuses index reads as DynamoDB words them', async () => {
      const refuses = (statement: string, message: string, extra: Record<string, unknown> = {}) =>
        expectSdkError(run(statement, undefined, extra), { name: 'ValidationException', message });
      await refuses(`SELECT * FROM "music"."nope"`, 'The table does not have the specified index');
      await refuses(`SELECT * FROM "music"."music" WHERE pk = 'a'`, 'The table does not have the specified index');
      await refuses(`SELECT * FROM "music"."byGenre"."x"`, 'A path may contain at most 2 components in the FROM clause');
      await refuses(`SELECT * FROM "music".""`, 'Path component cannot be an empty string');
      await refuses(`SELECT * FROM ""`, 'Path component cannot be an empty string');
      await refuses(`SELECT * FROM "music"."byGenre"`, 'Strongly consistent read is not supported on Global Secondary Indexes', { ConsistentRead: true });
      await client.send(
        new CreateTableCommand({
          ...provisioned('slim'),
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'N' },
            { AttributeName: 'genre', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: [{ AttributeName: 'genre', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
          LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'genre', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        }),
      );
      await refuses(`SELECT pk FROM "slim"."gsi" WHERE genre = 'x' AND title = 'y'`, 'One or more parameter values were invalid: Secondary index gsi does not project one or more filter attributes: [title]');
      await refuses(`SELECT pk FROM "slim"."lsi" WHERE pk = 'x' AND title = 'y'`, 'One or more parameter values were invalid: Secondary index lsi does not project one or more filter attributes: [title]');
      await refuses(`SELECT title FROM "slim"."gsi" WHERE genre = 'x'`, 'One or more parameter values were invalid: Global secondary index gsi does not project [title]');
    });

    it('pages with Limit and NextToken', async () => {
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const out = await run(`SELECT sk FROM "music" WHERE pk = 'a'`, undefined, { Limit: 2, NextToken });
        seen.push(...(out.Items ?? []).map((i) => i.sk!.N!));
        NextToken = out.NextToken;
        pages++;
      } while (NextToken !== undefined);
      expect(seen).toEqual(['1', '2', '3', '4', '5']);
      expect(pages).toBe(3);
      await expectSdkError(run(`SELECT sk FROM "music" WHERE pk = 'b'`, undefined, { NextToken: 'bm9wZQ==' }), {
        name: 'ValidationException',
        message: 'The provided NextToken is not valid',
      });
    });
  });

  describe('INSERT', () => {
    it('adds an item written as a PartiQL tuple, with sets, lists, maps and parameters', async () => {
      expect((await run(`INSERT INTO "music" VALUE {'pk': 'c', 'sk': 1, 'ss': <<'x', 'y'>>, 'ns': <<1, 2>>, 'l': [1, 'two', TRUE, NULL], 'm': {'k': ?}}`, [S('v')])).Items).toEqual([]);
      const { Item } = await client.send(new GetItemCommand({ TableName: 'music', Key: { pk: S('c'), sk: N(1) } }));
      expect(Item).toEqual({ pk: S('c'), sk: N(1), ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2'] }, l: { L: [N(1), S('two'), { BOOL: true }, { NULL: true }] }, m: { M: { k: S('v') } } });
    });

    it('throws DuplicateItemException when the key exists (INSERT is not an upsert)', async () => {
      await expectSdkError(run(`INSERT INTO "music" VALUE {'pk': 'a', 'sk': 1}`), {
        type: DuplicateItemException,
        name: 'DuplicateItemException',
        message: 'Duplicate primary key exists in table',
      });
      expect((await client.send(new GetItemCommand({ TableName: 'music', Key: { pk: S('a'), sk: N(1) } }))).Item?.title).toEqual(S('song 1'));
    });
  });

  describe('UPDATE', () => {
    it('sets and removes attributes, RETURNING what was asked', async () => {
      const out = await run(`UPDATE "music" SET title = ?, info.year = info.year + 1 REMOVE tags WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *`, [S('new')]);
      expect(out.Items).toEqual([{ pk: S('a'), sk: N(1), title: S('new'), genre: S('rock'), info: { M: { year: N(2002) } } }]);
      const modified = await run(`UPDATE "music" SET title = 'newer' WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED OLD *`);
      expect(modified.Items).toEqual([{ title: S('new') }]);
      const sets = await run(`UPDATE "music" SET s = set_add(s, <<'a', 'b'>>) WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED NEW *`);
      expect(sets.Items).toEqual([{ s: { SS: ['a', 'b'] } }]);
    });

    it('fails with ConditionalCheckFailedException on a missing item or a false condition', async () => {
      await expectSdkError(run(`UPDATE "music" SET x = 1 WHERE pk = 'zz' AND sk = 1`), { type: ConditionalCheckFailedException, name: 'ConditionalCheckFailedException', message: 'The conditional request failed' });
      const error = await expectSdkError(run(`UPDATE "music" SET x = 1 WHERE pk = 'a' AND sk = 1 AND title = 'nope'`, undefined, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }), {
        name: 'ConditionalCheckFailedException',
        message: 'The conditional request failed',
      });
      expect((error as ConditionalCheckFailedException).Item?.title).toEqual(S('song 1'));
    });

    it('needs equality on every key attribute', async () => {
      await expectSdkError(run(`UPDATE "music" SET x = 1 WHERE pk = 'a'`), { name: 'ValidationException', message: 'Where clause does not contain a mandatory equality on all key attributes' });
    });
  });

  describe('DELETE', () => {
    it('deletes by key, RETURNING ALL OLD *; a missing item is a no-op', async () => {
      expect((await run(`DELETE FROM "music" WHERE pk = 'b' AND sk = 1 RETURNING ALL OLD *`)).Items).toEqual([{ pk: S('b'), sk: N(1), title: S('other') }]);
      expect((await run(`DELETE FROM "music" WHERE pk = 'b' AND sk = 1 RETURNING ALL OLD *`)).Items).toEqual([]);
      await expectSdkError(run(`DELETE FROM "music" WHERE pk = 'a' AND sk = 1 AND title = 'nope'`), { name: 'ConditionalCheckFailedException', message: 'The conditional request failed' });
      await expectSdkError(run(`DELETE FROM "music" WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *`), {
        name: 'ValidationException',
        message: 'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.',
      });
    });
  });

  describe('errors', () => {
    it("answers a statement it cannot read with DynamoDB's envelope", async () => {
      await expectSdkError(run(`UPSERT INTO "music" VALUE {'pk': 'a'}`), { name: 'ValidationException', message: `${MALFORMED}Expected data manipulation` });
      const error = await run(`SELECT * FROM`).catch((e: Error) => e);
      expect((error as Error).message.startsWith(MALFORMED)).toBe(true);
    });

    it('answers a missing table with ResourceNotFoundException', async () => {
      await expectSdkError(run(`SELECT * FROM "nope" WHERE pk = 'a'`), ITEM_TABLE_NOT_FOUND);
      await expectSdkError(run(`INSERT INTO "nope" VALUE {'pk': 'a'}`), ITEM_TABLE_NOT_FOUND);
    });

    it('checks the parameter count and the request members', async () => {
      await expectSdkError(run(`SELECT * FROM "music" WHERE pk = ?`), { name: 'ValidationException', message: "Number of parameters in request and statement don't match." });
      await expectSdkError(run(`SELECT * FROM "music" WHERE pk = 'a'`, undefined, { Limit: 0 }), {
        name: 'ValidationException',
        message: "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      });
      await expectSdkError(run(''), {
        name: 'ValidationException',
        message: "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1",
      });
    });
  });
});
