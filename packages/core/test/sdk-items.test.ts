/**
 * The item operations through the real AWS SDK v3 (low-level client and DocumentClient): attribute types
 * round-tripping, ReturnValues, ReturnConsumedCapacity arithmetic and representative errors.
 */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSdkError, hashTable, ITEM_TABLE_NOT_FOUND, provisioned, describeTransports } from './support/sdk.js';

let client: DynamoDBClient;
let docs: DynamoDBDocumentClient;

describeTransports((sdkClient) => {
  beforeEach(async () => {
    ({ client } = await sdkClient());
    docs = DynamoDBDocumentClient.from(client);
    await client.send(new CreateTableCommand(hashTable('items')));
    await client.send(new CreateTableCommand(provisioned('events', 5, 5, 'B')));
  });

  const bytes = (...values: number[]) => new Uint8Array(values);
  const get = (id: string, extra: Record<string, unknown> = {}) =>
    client.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: id } }, ...extra }));

  describe('PutItem and GetItem with the low-level client', () => {
    it('round-trips every attribute type, nested', async () => {
      const item: Record<string, AttributeValue> = {
        id: { S: 'all' },
        s: { S: 'héllo ✓' },
        n: { N: '-12.5' },
        b: { B: bytes(0, 1, 2, 255) },
        t: { BOOL: true },
        f: { BOOL: false },
        z: { NULL: true },
        ss: { SS: ['a', 'b'] },
        ns: { NS: ['1', '2.5'] },
        bs: { BS: [bytes(1), bytes(2, 3)] },
        m: { M: { inner: { M: { deep: { L: [{ S: 'x' }, { N: '1' }, { B: bytes(9) }, { NULL: true }] } } } } },
        l: { L: [{ L: [{ SS: ['q'] }] }, { M: {} }, { BOOL: false }] },
        emptyMap: { M: {} },
        emptyList: { L: [] },
      };
      await client.send(new PutItemCommand({ TableName: 'items', Item: item }));
      const { Item } = await get('all');
      expect(Item).toEqual(item);
      expect(Item!.b!.B).toBeInstanceOf(Uint8Array);
      expect(Item!.bs!.BS![1]).toBeInstanceOf(Uint8Array);
    });

    it('answers numbers in their normalized form', async () => {
      await client.send(
        new PutItemCommand({
          TableName: 'items',
          Item: { id: { S: 'n' }, a: { N: '001.500' }, b: { N: '-0' }, c: { N: '1E+3' }, d: { NS: ['01', '2.50'] } },
        }),
      );
      const { Item } = await get('n');
      expect(Item!.a).toEqual({ N: '1.5' });
      expect(Item!.b).toEqual({ N: '0' });
      expect(Item!.c).toEqual({ N: '1000' });
      expect([...Item!.d!.NS!].sort()).toEqual(['1', '2.5']);
    });

    it('stores empty strings and empty binaries outside the key', async () => {
      await client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'e' }, s: { S: '' }, b: { B: new Uint8Array(0) } } }),
      );
      const { Item } = await get('e');
      expect(Item).toEqual({ id: { S: 'e' }, s: { S: '' }, b: { B: new Uint8Array(0) } });
    });

    it('uses binary and number key attributes', async () => {
      const key = { pk: { B: bytes(1, 2, 3) }, sk: { N: '042' } };
      await client.send(new PutItemCommand({ TableName: 'events', Item: { ...key, v: { S: 'x' } } }));
      const { Item } = await client.send(
        new GetItemCommand({ TableName: 'events', Key: { pk: { B: bytes(1, 2, 3) }, sk: { N: '42' } } }),
      );
      expect(Item).toEqual({ pk: { B: bytes(1, 2, 3) }, sk: { N: '42' }, v: { S: 'x' } });
    });

    it('answers no Item for a key that has none', async () => {
      const out = await get('missing');
      expect(out.Item).toBeUndefined();
      expect(out.$metadata.httpStatusCode).toBe(200);
    });

    it('replaces the whole item on a second put', async () => {
      await client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'r' }, a: { S: '1' }, b: { S: '2' } } }));
      await client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'r' }, c: { S: '3' } } }));
      expect((await get('r')).Item).toEqual({ id: { S: 'r' }, c: { S: '3' } });
    });
  });

  describe('PutItem', () => {
    it('returns the replaced item with ReturnValues ALL_OLD', async () => {
      const first = await client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'k' }, v: { N: '1' } }, ReturnValues: 'ALL_OLD' }),
      );
      expect(first.Attributes).toBeUndefined();
      const second = await client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'k' }, v: { N: '2' } }, ReturnValues: 'ALL_OLD' }),
      );
      expect(second.Attributes).toEqual({ id: { S: 'k' }, v: { N: '1' } });
    });

    it('returns no attributes without ReturnValues', async () => {
      await client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'k' } } }));
      const out = await client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'k' } } }));
      expect(out.Attributes).toBeUndefined();
      expect(out.ConsumedCapacity).toBeUndefined();
    });

    it('refuses an item without its key with a ValidationException', async () => {
      await expectSdkError(client.send(new PutItemCommand({ TableName: 'items', Item: { other: { S: 'x' } } })), {
        name: 'ValidationException',
        message: 'One or more parameter values were invalid: Missing the key id in the item',
      });
    });

    it('refuses a key of the wrong type with a ValidationException', async () => {
      await expectSdkError(client.send(new PutItemCommand({ TableName: 'items', Item: { id: { N: '1' } } })), {
        name: 'ValidationException',
        message: 'One or more parameter values were invalid: Type mismatch for key id expected: S actual: N',
      });
    });

    it('refuses an item over 400 KB with a ValidationException', async () => {
      await expectSdkError(
        client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'big' }, v: { S: 'x'.repeat(400 * 1024) } } })),
        { name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' },
      );
    });

    it('answers ResourceNotFoundException for a missing table', async () => {
      await expectSdkError(client.send(new PutItemCommand({ TableName: 'nope', Item: { id: { S: '1' } } })), ITEM_TABLE_NOT_FOUND);
    });
  });

  describe('GetItem', () => {
    it('refuses a key that does not match the schema', async () => {
      const mismatch = { name: 'ValidationException', message: 'The provided key element does not match the schema' };
      await expectSdkError(get('x', { Key: { other: { S: 'x' } } }), mismatch);
      await expectSdkError(get('x', { Key: { id: { N: '1' } } }), mismatch);
      await expectSdkError(get('x', { Key: { id: { S: 'x' }, extra: { S: 'y' } } }), mismatch);
    });

    it('answers ResourceNotFoundException for a missing table', async () => {
      await expectSdkError(client.send(new GetItemCommand({ TableName: 'nope', Key: { id: { S: '1' } } })), ITEM_TABLE_NOT_FOUND);
    });
  });

  describe('DeleteItem', () => {
    it('removes the item and returns it with ReturnValues ALL_OLD', async () => {
      await client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'd' }, v: { SS: ['a'] } } }));
      const out = await client.send(new DeleteItemCommand({ TableName: 'items', Key: { id: { S: 'd' } }, ReturnValues: 'ALL_OLD' }));
      expect(out.Attributes).toEqual({ id: { S: 'd' }, v: { SS: ['a'] } });
      expect((await get('d')).Item).toBeUndefined();
      const again = await client.send(new DeleteItemCommand({ TableName: 'items', Key: { id: { S: 'd' } }, ReturnValues: 'ALL_OLD' }));
      expect(again.Attributes).toBeUndefined();
    });

    it('refuses a key that does not match the schema', async () => {
      await expectSdkError(client.send(new DeleteItemCommand({ TableName: 'items', Key: { id: { B: bytes(1) } } })), {
        name: 'ValidationException',
        message: 'The provided key element does not match the schema',
      });
    });

    it('answers ResourceNotFoundException for a missing table', async () => {
      await expectSdkError(client.send(new DeleteItemCommand({ TableName: 'nope', Key: { id: { S: '1' } } })), ITEM_TABLE_NOT_FOUND);
    });
  });

  describe('ReturnConsumedCapacity', () => {
    // id+'big' = 5 bytes, data+4995 chars = 4999 bytes: 5004 bytes, over 4 KB and under 5 KB.
    const big = { id: { S: 'big' }, data: { S: 'x'.repeat(4995) } };

    it('answers TOTAL as the table name and its units', async () => {
      const out = await client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(out.ConsumedCapacity).toEqual({ TableName: 'items', CapacityUnits: 1 });
    });

    it("answers INDEXES with the table's own share as well", async () => {
      const out = await get('a', { ReturnConsumedCapacity: 'INDEXES' });
      expect(out.ConsumedCapacity).toEqual({ TableName: 'items', CapacityUnits: 0.5, Table: { CapacityUnits: 0.5 } });
    });

    it('answers nothing for NONE', async () => {
      const out = await get('a', { ReturnConsumedCapacity: 'NONE' });
      expect(out.ConsumedCapacity).toBeUndefined();
    });

    it('charges a read of a missing item half a unit, or one when strongly consistent', async () => {
      expect((await get('nope', { ReturnConsumedCapacity: 'TOTAL' })).ConsumedCapacity!.CapacityUnits).toBe(0.5);
      expect((await get('nope', { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true })).ConsumedCapacity!.CapacityUnits).toBe(1);
    });

    it('charges a 5 KB item 5 write units, 2 strongly consistent read units and 1 eventually consistent', async () => {
      const put = await client.send(new PutItemCommand({ TableName: 'items', Item: big, ReturnConsumedCapacity: 'TOTAL' }));
      expect(put.ConsumedCapacity!.CapacityUnits).toBe(5);
      expect((await get('big', { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true })).ConsumedCapacity!.CapacityUnits).toBe(2);
      expect((await get('big', { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: false })).ConsumedCapacity!.CapacityUnits).toBe(1);
      expect((await get('big', { ReturnConsumedCapacity: 'TOTAL' })).ConsumedCapacity!.CapacityUnits).toBe(1);
    });

    it('rounds write units up per started KB', async () => {
      // id+'w' = 3 bytes, v + 1021 chars = 1022 bytes: 1025 bytes, just over 1 KB.
      const out = await client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'w' }, v: { S: 'x'.repeat(1021) } }, ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(out.ConsumedCapacity!.CapacityUnits).toBe(2);
      const exact = await client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'w' }, v: { S: 'x'.repeat(1020) } }, ReturnConsumedCapacity: 'TOTAL' }),
      );
      // 1024 bytes exactly, but the replaced item was 1025: charged the larger.
      expect(exact.ConsumedCapacity!.CapacityUnits).toBe(2);
      const again = await client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'w' }, v: { S: 'x'.repeat(1020) } }, ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(again.ConsumedCapacity!.CapacityUnits).toBe(1);
    });

    it('charges a put that replaces a larger item for the larger one', async () => {
      await client.send(new PutItemCommand({ TableName: 'items', Item: big }));
      const out = await client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'big' } }, ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(out.ConsumedCapacity!.CapacityUnits).toBe(5);
    });

    it('charges a delete for the deleted item, and a delete of a missing item one unit', async () => {
      await client.send(new PutItemCommand({ TableName: 'items', Item: big }));
      const del = await client.send(
        new DeleteItemCommand({ TableName: 'items', Key: { id: { S: 'big' } }, ReturnConsumedCapacity: 'INDEXES' }),
      );
      expect(del.ConsumedCapacity).toEqual({ TableName: 'items', CapacityUnits: 5, Table: { CapacityUnits: 5 } });
      const missing = await client.send(
        new DeleteItemCommand({ TableName: 'items', Key: { id: { S: 'big' } }, ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(missing.ConsumedCapacity).toEqual({ TableName: 'items', CapacityUnits: 1 });
    });

    it('is reflected in TableSizeBytes', async () => {
      await client.send(new PutItemCommand({ TableName: 'items', Item: big }));
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'items' }));
      expect(Table).toMatchObject({ ItemCount: 1, TableSizeBytes: 5004 });
    });
  });

  describe('DocumentClient', () => {
    it('round-trips native values: numbers, sets, nested maps and lists, binary, null', async () => {
      const item = {
        id: 'doc',
        count: 42,
        price: 19.99,
        negative: -0.5,
        flag: true,
        nothing: null,
        tags: new Set(['a', 'b']),
        scores: new Set([1, 2.5]),
        blobs: new Set([bytes(1), bytes(2)]),
        data: bytes(7, 8),
        profile: { name: 'Ada', address: { city: 'London', zip: '' }, langs: ['en', { nested: [1, 2] }] },
        empty: '',
      };
      await docs.send(new PutCommand({ TableName: 'items', Item: item }));
      const { Item } = await docs.send(new GetCommand({ TableName: 'items', Key: { id: 'doc' } }));
      expect(Item).toEqual(item);
      expect(Item!.tags).toBeInstanceOf(Set);
      expect(Item!.scores).toEqual(new Set([1, 2.5]));
      expect(Item!.data).toBeInstanceOf(Uint8Array);
      // the low-level view of the same item
      const raw = await get('doc');
      expect(raw.Item!.count).toEqual({ N: '42' });
      expect(raw.Item!.tags).toEqual({ SS: ['a', 'b'] });
      expect(raw.Item!.profile!.M!.address!.M!.zip).toEqual({ S: '' });
    });

    it('returns old values on put and delete with ReturnValues ALL_OLD', async () => {
      await docs.send(new PutCommand({ TableName: 'items', Item: { id: 'o', v: 1 } }));
      const put = await docs.send(new PutCommand({ TableName: 'items', Item: { id: 'o', v: 2 }, ReturnValues: 'ALL_OLD' }));
      expect(put.Attributes).toEqual({ id: 'o', v: 1 });
      const del = await docs.send(new DeleteCommand({ TableName: 'items', Key: { id: 'o' }, ReturnValues: 'ALL_OLD' }));
      expect(del.Attributes).toEqual({ id: 'o', v: 2 });
      expect((await docs.send(new GetCommand({ TableName: 'items', Key: { id: 'o' } }))).Item).toBeUndefined();
    });

    it('reads with ConsistentRead and reports consumed capacity', async () => {
      await docs.send(new PutCommand({ TableName: 'items', Item: { id: 'c' } }));
      const out = await docs.send(
        new GetCommand({ TableName: 'items', Key: { id: 'c' }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
      );
      expect(out.ConsumedCapacity).toEqual({ TableName: 'items', CapacityUnits: 1 });
    });

    it('surfaces the same SDK exceptions as the low-level client', async () => {
      await expectSdkError(docs.send(new GetCommand({ TableName: 'nope', Key: { id: 'x' } })), ITEM_TABLE_NOT_FOUND);
      await expectSdkError(docs.send(new PutCommand({ TableName: 'items', Item: { id: 1 } })), {
        name: 'ValidationException',
        message: 'One or more parameter values were invalid: Type mismatch for key id expected: S actual: N',
      });
    });
  });
});
