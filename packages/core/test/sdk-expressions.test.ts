/**
 * The expression patterns real code sends, through unchanged AWS SDK v3 clients: optimistic locking,
 * create-only puts, counters, list_append, set ADD/DELETE, ReturnValues, and the expression shapes
 * ElectroDB and dynamodb-toolbox generate.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { expectSdkError, hashTable, describeTransports } from './support/sdk.js';

const CONDITION_FAILED = {
  type: ConditionalCheckFailedException,
  name: 'ConditionalCheckFailedException',
  message: 'The conditional request failed',
};

describeTransports((sdkClient) => {
  async function documents() {
    const { db, client } = await sdkClient();
    await client.send(new CreateTableCommand(hashTable('users')));
    return { db, client, docs: DynamoDBDocumentClient.from(client) };
  }

  describe('optimistic locking with a version attribute', () => {
    it('UpdateItem › succeeds when the version matches and fails, changing nothing, when it does not', async () => {
      const { docs } = await documents();
      await docs.send(new PutCommand({ TableName: 'users', Item: { id: 'u1', name: 'Ada', version: 1 } }));
      const updated = await docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'SET #name = :name, #version = #version + :one',
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
          ExpressionAttributeValues: { ':name': 'Ada L.', ':one': 1, ':expected': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      expect(updated.Attributes).toEqual({ id: 'u1', name: 'Ada L.', version: 2 });

      const stale = docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'SET #name = :name, #version = #version + :one',
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
          ExpressionAttributeValues: { ':name': 'stale', ':one': 1, ':expected': 1 },
        }),
      );
      await expectSdkError(stale, CONDITION_FAILED);
      expect((await docs.send(new GetCommand({ TableName: 'users', Key: { id: 'u1' } }))).Item).toEqual({
        id: 'u1',
        name: 'Ada L.',
        version: 2,
      });
    });

    it('ConditionalCheckFailedException › carries the current item with ReturnValuesOnConditionCheckFailure ALL_OLD', async () => {
      const { client } = await documents();
      await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'u1' }, version: { N: '3' } } }));
      const error = await expectSdkError(
        client.send(
          new PutItemCommand({
            TableName: 'users',
            Item: { id: { S: 'u1' }, version: { N: '4' } },
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': { N: '2' } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
        CONDITION_FAILED,
      );
      expect((error as ConditionalCheckFailedException).Item).toEqual({ id: { S: 'u1' }, version: { N: '3' } });
    });
  });

  describe('create-only puts', () => {
    it('PutItem › attribute_not_exists(id) creates once, then fails', async () => {
      const { docs } = await documents();
      const create = () =>
        docs.send(
          new PutCommand({ TableName: 'users', Item: { id: 'u1', n: 1 }, ConditionExpression: 'attribute_not_exists(id)' }),
        );
      await create();
      await expectSdkError(create(), CONDITION_FAILED);
    });

    it('DeleteItem › attribute_exists guards a delete', async () => {
      const { docs } = await documents();
      const remove = () =>
        docs.send(new DeleteCommand({ TableName: 'users', Key: { id: 'u1' }, ConditionExpression: 'attribute_exists(id)' }));
      await expectSdkError(remove(), CONDITION_FAILED);
      await docs.send(new PutCommand({ TableName: 'users', Item: { id: 'u1' } }));
      await remove();
      expect((await docs.send(new GetCommand({ TableName: 'users', Key: { id: 'u1' } }))).Item).toBeUndefined();
    });
  });

  describe('counters and collections', () => {
    it('UpdateItem › if_not_exists counters start from a default and create the item', async () => {
      const { docs } = await documents();
      for (let i = 0; i < 3; i++) {
        await docs.send(
          new UpdateCommand({
            TableName: 'users',
            Key: { id: 'counter' },
            UpdateExpression: 'SET hits = if_not_exists(hits, :zero) + :one',
            ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
          }),
        );
      }
      expect((await docs.send(new GetCommand({ TableName: 'users', Key: { id: 'counter' } }))).Item).toEqual({
        id: 'counter',
        hits: 3,
      });
    });

    it('UpdateItem › ADD increments numbers and adds set members; DELETE removes them and an emptied set disappears', async () => {
      const { docs } = await documents();
      await docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'ADD visits :one, tags :tags',
          ExpressionAttributeValues: { ':one': 1, ':tags': new Set(['a', 'b']) },
        }),
      );
      await docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'ADD visits :two DELETE tags :gone',
          ExpressionAttributeValues: { ':two': 2, ':gone': new Set(['a']) },
        }),
      );
      expect((await docs.send(new GetCommand({ TableName: 'users', Key: { id: 'u1' } }))).Item).toEqual({
        id: 'u1',
        visits: 3,
        tags: new Set(['b']),
      });
      await docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'DELETE tags :gone',
          ExpressionAttributeValues: { ':gone': new Set(['b']) },
        }),
      );
      expect((await docs.send(new GetCommand({ TableName: 'users', Key: { id: 'u1' } }))).Item).toEqual({ id: 'u1', visits: 3 });
    });

    it('UpdateItem › list_append appends and prepends; REMOVE drops list elements', async () => {
      const { docs } = await documents();
      await docs.send(new PutCommand({ TableName: 'users', Item: { id: 'u1', events: ['b'] } }));
      await docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'SET events = list_append(events, :after)',
          ExpressionAttributeValues: { ':after': ['c', 'd'] },
        }),
      );
      await docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'SET events = list_append(:before, events)',
          ExpressionAttributeValues: { ':before': ['a'] },
        }),
      );
      await docs.send(new UpdateCommand({ TableName: 'users', Key: { id: 'u1' }, UpdateExpression: 'REMOVE events[1], events[3]' }));
      expect((await docs.send(new GetCommand({ TableName: 'users', Key: { id: 'u1' } }))).Item).toEqual({
        id: 'u1',
        events: ['a', 'c'],
      });
    });
  });

  describe('ReturnValues', () => {
    it('UpdateItem › returns UPDATED_OLD and UPDATED_NEW as the touched attributes only', async () => {
      const { docs } = await documents();
      await docs.send(new PutCommand({ TableName: 'users', Item: { id: 'u1', a: 1, b: { c: 2, d: 3 }, e: 'keep' } }));
      const update = (ReturnValues: 'UPDATED_OLD' | 'UPDATED_NEW' | 'ALL_OLD' | 'ALL_NEW') =>
        docs.send(
          new UpdateCommand({
            TableName: 'users',
            Key: { id: 'u1' },
            UpdateExpression: 'SET a = a + :one, b.c = :c',
            ExpressionAttributeValues: { ':one': 1, ':c': 20 },
            ReturnValues,
          }),
        );
      expect((await update('UPDATED_OLD')).Attributes).toEqual({ a: 1, b: { c: 2 } });
      expect((await update('UPDATED_NEW')).Attributes).toEqual({ a: 3, b: { c: 20 } });
      expect((await update('ALL_OLD')).Attributes).toEqual({ id: 'u1', a: 3, b: { c: 20, d: 3 }, e: 'keep' });
      expect((await update('ALL_NEW')).Attributes).toEqual({ id: 'u1', a: 5, b: { c: 20, d: 3 }, e: 'keep' });
    });

    it('UpdateItem › with only a Key creates an item holding just the key', async () => {
      const { client } = await documents();
      const { Attributes } = await client.send(
        new UpdateItemCommand({ TableName: 'users', Key: { id: { S: 'bare' } }, ReturnValues: 'ALL_NEW' }),
      );
      expect(Attributes).toEqual({ id: { S: 'bare' } });
    });
  });

  describe('projections', () => {
    it('GetItem › returns the nested shape of a ProjectionExpression', async () => {
      const { client } = await documents();
      await client.send(
        new PutItemCommand({
          TableName: 'users',
          Item: {
            id: { S: 'u1' },
            profile: { M: { name: { S: 'Ada' }, langs: { L: [{ S: 'en' }, { S: 'fr' }, { S: 'de' }] } } },
            secret: { S: 'x' },
          },
        }),
      );
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: 'users',
          Key: { id: { S: 'u1' } },
          ProjectionExpression: '#p.#n, #p.langs[2], id',
          ExpressionAttributeNames: { '#p': 'profile', '#n': 'name' },
        }),
      );
      expect(Item).toEqual({ id: { S: 'u1' }, profile: { M: { name: { S: 'Ada' }, langs: { L: [{ S: 'de' }] } } } });
    });

    it('GetItem › AttributesToGet, the legacy projection', async () => {
      const { client } = await documents();
      await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'u1' }, a: { N: '1' }, b: { N: '2' } } }));
      const { Item } = await client.send(
        new GetItemCommand({ TableName: 'users', Key: { id: { S: 'u1' } }, AttributesToGet: ['b'] }),
      );
      expect(Item).toEqual({ b: { N: '2' } });
    });
  });

  describe('expressions generated by modelling libraries', () => {
    it('ElectroDB-style update: placeholders with suffixes and an existence guard on both keys', async () => {
      const { docs } = await documents();
      await docs.send(new PutCommand({ TableName: 'users', Item: { id: 'u1', name: 'old', __edb_e__: 'user', __edb_v__: '1' } }));
      const { Attributes } = await docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'SET #name = :name_u0, #__edb_e__ = :__edb_e___u0, #__edb_v__ = :__edb_v___u0',
          ConditionExpression: 'attribute_exists(#id)',
          ExpressionAttributeNames: { '#name': 'name', '#__edb_e__': '__edb_e__', '#__edb_v__': '__edb_v__', '#id': 'id' },
          ExpressionAttributeValues: { ':name_u0': 'new', ':__edb_e___u0': 'user', ':__edb_v___u0': '1' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      expect(Attributes).toEqual({ id: 'u1', name: 'new', __edb_e__: 'user', __edb_v__: '1' });
    });

    it('dynamodb-toolbox-style update: if_not_exists defaults, ADD and a size() condition', async () => {
      const { docs } = await documents();
      await docs.send(new PutCommand({ TableName: 'users', Item: { id: 'u1', tags: ['x'] } }));
      await docs.send(
        new UpdateCommand({
          TableName: 'users',
          Key: { id: 'u1' },
          UpdateExpression: 'SET #s_1 = if_not_exists(#s_1, :s_1), #s_2 = :s_2 ADD #a_1 :a_1',
          ConditionExpression: '(attribute_exists(#c_1)) AND (size(#c_2) < :c_1)',
          ExpressionAttributeNames: { '#s_1': 'created', '#s_2': 'updated', '#a_1': 'count', '#c_1': 'id', '#c_2': 'tags' },
          ExpressionAttributeValues: { ':s_1': '2024-01-01', ':s_2': '2024-06-01', ':a_1': 5, ':c_1': 3 },
        }),
      );
      expect((await docs.send(new GetCommand({ TableName: 'users', Key: { id: 'u1' } }))).Item).toEqual({
        id: 'u1',
        tags: ['x'],
        created: '2024-01-01',
        updated: '2024-06-01',
        count: 5,
      });
    });
  });

  describe('validation through the SDK', () => {
    it('UpdateItem › rejects updating a key attribute', async () => {
      const { client } = await documents();
      await expectSdkError(
        client.send(
          new UpdateItemCommand({
            TableName: 'users',
            Key: { id: { S: 'u1' } },
            UpdateExpression: 'SET id = :v',
            ExpressionAttributeValues: { ':v': { S: 'u2' } },
          }),
        ),
        { name: 'ValidationException', message: 'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key' },
      );
    });

    it('UpdateItem › reports an unused ExpressionAttributeValues placeholder', async () => {
      const { client } = await documents();
      await expectSdkError(
        client.send(
          new UpdateItemCommand({
            TableName: 'users',
            Key: { id: { S: 'u1' } },
            UpdateExpression: 'SET a = :a',
            ExpressionAttributeValues: { ':a': { S: 'x' }, ':x': { S: 'y' } },
          }),
        ),
        { name: 'ValidationException', message: 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}' },
      );
    });

    it('UpdateItem › reports a syntax error in DynamoDB’s form', async () => {
      const { client } = await documents();
      await expectSdkError(
        client.send(
          new UpdateItemCommand({ TableName: 'users', Key: { id: { S: 'u1' } }, UpdateExpression: 'SET a = ' }),
        ),
        { name: 'ValidationException', message: 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="' },
      );
    });
  });
});
