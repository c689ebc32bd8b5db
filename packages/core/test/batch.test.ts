/**
 * BatchGetItem and BatchWriteItem behaviour: results, UnprocessedKeys at 16 MB, ConsumedCapacity and
 * ItemCollectionMetrics (dynalite test/batch*.js arithmetic), the change feed, the AWS SDK v3 low-level
 * client and DocumentClient, and a property against a Map model.
 */
import { BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, type ChangeRecord, type Item } from '../src/index.js';
import { expectSdkError, hashTable, ITEM_TABLE_NOT_FOUND, describeTransports } from './support/sdk.js';
import { attributes, keys } from './support/tables.js';

/** dynalite's BS values: AQI=, Ag==, AQ== */
const SETS = [new Uint8Array([1, 2]), new Uint8Array([2]), new Uint8Array([1])];

async function twoTables(): Promise<Database> {
  const db = new Database();
  await db.createTable({ TableName: 'hash', KeySchema: keys('a'), AttributeDefinitions: attributes({ a: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
  await db.createTable({ TableName: 'hashN', KeySchema: keys('a'), AttributeDefinitions: attributes({ a: 'N' }), BillingMode: 'PAY_PER_REQUEST' });
  return db;
}

describe('BatchWriteItem', () => {
  it('puts and deletes in several tables and answers UnprocessedItems {}', async () => {
    const db = await twoTables();
    const item = { a: { S: 'x' }, c: { S: 'c' } };
    expect(await db.batchWriteItem({ RequestItems: { hash: [{ PutRequest: { Item: item } }], hashN: [{ PutRequest: { Item: { a: { N: '1' } } } }] } })).toEqual({
      UnprocessedItems: {},
    });
    expect((await db.getItem({ TableName: 'hash', Key: { a: { S: 'x' } } })).Item).toEqual(item);
    await db.batchWriteItem({ RequestItems: { hash: [{ DeleteRequest: { Key: { a: { S: 'x' } } } }, { PutRequest: { Item: { a: { S: 'y' } } } }] } });
    expect((await db.getItem({ TableName: 'hash', Key: { a: { S: 'x' } } })).Item).toBeUndefined();
    expect((await db.getItem({ TableName: 'hash', Key: { a: { S: 'y' } } })).Item).toEqual({ a: { S: 'y' } });
  });

  it('charges each write in 1 KB units per table (dynalite: small and larger items)', async () => {
    for (const [length, setSize, putUnits, deleteUnits] of [
      [1009, 3, 2, 2],
      [1011, 2, 3, 3],
    ] as const) {
      const db = await twoTables();
      const a = 'key';
      const item = { a: { S: a }, b: { S: 'b'.repeat(length - a.length) }, c: { N: '12.3456' }, d: { B: new Uint8Array([1, 2]) }, e: { BS: SETS.slice(0, setSize) } };
      const puts = { hash: [{ PutRequest: { Item: item } }, { PutRequest: { Item: { a: { S: 'k2' } } } }], hashN: [{ PutRequest: { Item: { a: { N: '7' } } } }] };
      const out = await db.batchWriteItem({ RequestItems: puts, ReturnConsumedCapacity: 'TOTAL' });
      expect(out.ConsumedCapacity).toEqual([
        { TableName: 'hash', CapacityUnits: putUnits },
        { TableName: 'hashN', CapacityUnits: 1 },
      ]);
      const again = await db.batchWriteItem({ RequestItems: puts, ReturnConsumedCapacity: 'INDEXES' });
      expect(again.ConsumedCapacity).toContainEqual({ TableName: 'hash', CapacityUnits: putUnits, Table: { CapacityUnits: putUnits } });
      const deletes = { hash: [{ DeleteRequest: { Key: { a: { S: a } } } }, { DeleteRequest: { Key: { a: { S: 'k2' } } } }], hashN: [{ DeleteRequest: { Key: { a: { N: '7' } } } }] };
      const removed = await db.batchWriteItem({ RequestItems: deletes, ReturnConsumedCapacity: 'TOTAL' });
      expect(removed.ConsumedCapacity).toContainEqual({ TableName: 'hash', CapacityUnits: deleteUnits });
      const none = await db.batchWriteItem({ RequestItems: deletes, ReturnConsumedCapacity: 'INDEXES' });
      expect(none.ConsumedCapacity).toContainEqual({ TableName: 'hash', CapacityUnits: 2, Table: { CapacityUnits: 2 } });
    }
  });

  it('gives index units and ItemCollectionMetrics per table with ReturnItemCollectionMetrics SIZE', async () => {
    const db = new Database();
    await db.createTable({
      TableName: 'lsi',
      KeySchema: keys('pk', 'sk'),
      AttributeDefinitions: attributes({ pk: 'S', sk: 'S', alt: 'S' }),
      BillingMode: 'PAY_PER_REQUEST',
      LocalSecondaryIndexes: [{ IndexName: 'byAlt', KeySchema: keys('pk', 'alt'), Projection: { ProjectionType: 'ALL' } }],
    });
    const out = await db.batchWriteItem({
      RequestItems: {
        lsi: [
          { PutRequest: { Item: { pk: { S: 'p' }, sk: { S: '1' }, alt: { S: 'x' } } } },
          { PutRequest: { Item: { pk: { S: 'p' }, sk: { S: '2' } } } },
          { PutRequest: { Item: { pk: { S: 'q' }, sk: { S: '1' }, alt: { S: 'y' } } } },
        ],
      },
      ReturnConsumedCapacity: 'INDEXES',
      ReturnItemCollectionMetrics: 'SIZE',
    });
    expect(out.ConsumedCapacity).toEqual([{ TableName: 'lsi', CapacityUnits: 5, Table: { CapacityUnits: 3 }, LocalSecondaryIndexes: { byAlt: { CapacityUnits: 2 } } }]);
    expect(out.ItemCollectionMetrics).toEqual({
      lsi: [
        { ItemCollectionKey: { pk: { S: 'p' } }, SizeEstimateRangeGB: [0, 1] },
        { ItemCollectionKey: { pk: { S: 'q' } }, SizeEstimateRangeGB: [0, 1] },
      ],
    });
    const plain = await twoTables();
    expect(await plain.batchWriteItem({ RequestItems: { hash: [{ PutRequest: { Item: { a: { S: 'x' } } } }] }, ReturnItemCollectionMetrics: 'SIZE' })).toEqual({ UnprocessedItems: {} });
  });

  it('publishes one change record per write that changed something', async () => {
    const db = await twoTables();
    const records: ChangeRecord[] = [];
    db.engine.moduleContext().onChange((batch) => records.push(...batch.records));
    await db.putItem({ TableName: 'hash', Item: { a: { S: 'old' } } });
    records.length = 0;
    await db.batchWriteItem({
      RequestItems: {
        hash: [{ PutRequest: { Item: { a: { S: 'new' } } } }, { DeleteRequest: { Key: { a: { S: 'old' } } } }, { DeleteRequest: { Key: { a: { S: 'none' } } } }],
        hashN: [{ PutRequest: { Item: { a: { N: '1' } } } }],
      },
    });
    expect(records.map((r) => [r.tableName, r.eventName, r.keys])).toEqual([
      ['hash', 'INSERT', { a: { S: 'new' } }],
      ['hash', 'REMOVE', { a: { S: 'old' } }],
      ['hashN', 'INSERT', { a: { N: '1' } }],
    ]);
  });
});

describe('BatchGetItem', () => {
  it('answers only the items that exist, projected, with an entry per table', async () => {
    const db = await twoTables();
    const item = { a: { S: '1' }, b: { N: '5' }, c: { S: 'c' } };
    await db.batchWriteItem({ RequestItems: { hash: [{ PutRequest: { Item: item } }, { PutRequest: { Item: { a: { S: '3' }, b: { N: '6' } } } }, { PutRequest: { Item: { a: { S: '4' } } } }] } });
    const all = await db.batchGetItem({ RequestItems: { hash: { Keys: [{ a: { S: '1' } }, { a: { S: '2' } }] }, hashN: { Keys: [{ a: { N: '1' } }] } } });
    expect(all).toEqual({ Responses: { hash: [item], hashN: [] }, UnprocessedKeys: {} });
    const legacy = await db.batchGetItem({
      RequestItems: { hash: { Keys: [{ a: { S: '1' } }, { a: { S: '2' } }, { a: { S: '3' } }, { a: { S: '4' } }], AttributesToGet: ['b', 'c'], ConsistentRead: true } },
    });
    expect(legacy.Responses.hash).toEqual([{ b: { N: '5' }, c: { S: 'c' } }, { b: { N: '6' } }, {}]);
    const expression = await db.batchGetItem({ RequestItems: { hash: { Keys: [{ a: { S: '1' } }], ProjectionExpression: '#c, b', ExpressionAttributeNames: { '#c': 'c' } } } });
    expect(expression.Responses.hash).toEqual([{ b: { N: '5' }, c: { S: 'c' } }]);
  });

  it('charges each key in 4 KB units, halved unless ConsistentRead (dynalite arithmetic)', async () => {
    for (const [length, setSize, eventual, consistent] of [
      [4081, 3, 1.5, 3],
      [4083, 2, 2, 4],
    ] as const) {
      const db = await twoTables();
      const a = 'key';
      const item = { a: { S: a }, b: { S: 'b'.repeat(length - a.length) }, c: { N: '12.3456' }, d: { B: new Uint8Array([1, 2]) }, e: { BS: SETS.slice(0, setSize) } };
      await db.batchWriteItem({ RequestItems: { hash: [{ PutRequest: { Item: item } }, { PutRequest: { Item: { a: { S: 'k2' } } } }] } });
      const Keys = [{ a: { S: a } }, { a: { S: 'k2' } }, { a: { S: 'missing' } }];
      const total = await db.batchGetItem({ RequestItems: { hash: { Keys }, hashN: { Keys: [{ a: { N: '1' } }] } }, ReturnConsumedCapacity: 'TOTAL' });
      expect(total.ConsumedCapacity).toEqual([
        { TableName: 'hash', CapacityUnits: eventual },
        { TableName: 'hashN', CapacityUnits: 0.5 },
      ]);
      const indexes = await db.batchGetItem({ RequestItems: { hash: { Keys, ConsistentRead: true }, hashN: { Keys: [{ a: { N: '1' } }], ConsistentRead: true } }, ReturnConsumedCapacity: 'INDEXES' });
      expect(indexes.ConsumedCapacity).toEqual([
        { TableName: 'hash', CapacityUnits: consistent, Table: { CapacityUnits: consistent } },
        { TableName: 'hashN', CapacityUnits: 1, Table: { CapacityUnits: 1 } },
      ]);
    }
  });

  it('returns the keys beyond 16 MB as UnprocessedKeys, with their projection parameters', async () => {
    const db = await twoTables();
    const big = 'x'.repeat(400_000);
    const ids = Array.from({ length: 45 }, (_, i) => String(i).padStart(2, '0'));
    for (let i = 0; i < ids.length; i += 25) {
      await db.batchWriteItem({ RequestItems: { hash: ids.slice(i, i + 25).map((id) => ({ PutRequest: { Item: { a: { S: id }, big: { S: big } } } })) } });
    }
    const request = { Keys: ids.map((id) => ({ a: { S: id } })), ProjectionExpression: 'a, #b', ExpressionAttributeNames: { '#b': 'big' }, ConsistentRead: true };
    const out = await db.batchGetItem({ RequestItems: { hash: request, hashN: { Keys: [{ a: { N: '1' } }] } }, ReturnConsumedCapacity: 'TOTAL' });
    const got = out.Responses.hash!;
    expect(got.length).toBe(Math.floor((16 * 1024 * 1024) / 400_007));
    const left = out.UnprocessedKeys.hash!;
    expect(left).toEqual({ ...request, Keys: request.Keys.slice(got.length) });
    expect(out.UnprocessedKeys.hashN).toEqual({ Keys: [{ a: { N: '1' } }] });
    expect(out.ConsumedCapacity![0]!.CapacityUnits).toBe(got.length * 98);
    const rest = await db.batchGetItem({ RequestItems: out.UnprocessedKeys });
    expect(rest.Responses.hash!.length).toBe(ids.length - got.length);
    expect(rest.UnprocessedKeys).toEqual({});
  });
});

describeTransports((sdkClient) => {
  describe('through the AWS SDK v3', () => {
    async function setup(): Promise<{ client: DynamoDBClient; docs: DynamoDBDocumentClient }> {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('items')));
      return { client, docs: DynamoDBDocumentClient.from(client) };
    }

    it('writes and reads with the low-level client', async () => {
      const { client } = await setup();
      const written = await client.send(
        new BatchWriteItemCommand({
          RequestItems: { items: [{ PutRequest: { Item: { id: { S: '1' }, b: { B: new Uint8Array([1, 2]) }, n: { N: '01.50' } } } }, { PutRequest: { Item: { id: { S: '2' } } } }] },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      expect(written.UnprocessedItems).toEqual({});
      expect(written.ConsumedCapacity).toEqual([{ TableName: 'items', CapacityUnits: 2 }]);
      const read = await client.send(new BatchGetItemCommand({ RequestItems: { items: { Keys: [{ id: { S: '1' } }, { id: { S: '3' } }] } }, ReturnConsumedCapacity: 'TOTAL' }));
      expect(read.Responses).toEqual({ items: [{ id: { S: '1' }, b: { B: new Uint8Array([1, 2]) }, n: { N: '1.5' } }] });
      expect(read.UnprocessedKeys).toEqual({});
      expect(read.ConsumedCapacity).toEqual([{ TableName: 'items', CapacityUnits: 1 }]);
      await expectSdkError(client.send(new BatchGetItemCommand({ RequestItems: { nope: { Keys: [{ id: { S: '1' } }] } } })), ITEM_TABLE_NOT_FOUND);
      await expectSdkError(
        client.send(new BatchWriteItemCommand({ RequestItems: { items: [{ PutRequest: { Item: { id: { S: '1' } } } }, { DeleteRequest: { Key: { id: { S: '1' } } } }] } })),
        { name: 'ValidationException', message: 'Provided list of item keys contains duplicates' },
      );
    });

    it('writes and reads with the DocumentClient', async () => {
      const { docs } = await setup();
      await docs.send(new BatchWriteCommand({ RequestItems: { items: [{ PutRequest: { Item: { id: 'a', n: 1, tags: new Set(['x']) } } }, { PutRequest: { Item: { id: 'b', m: { k: [true, null] } } } }] } }));
      const out = await docs.send(new BatchGetCommand({ RequestItems: { items: { Keys: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } } }));
      const byId = Object.fromEntries(out.Responses!.items!.map((item) => [item.id as string, item]));
      expect(byId).toEqual({ a: { id: 'a', n: 1, tags: new Set(['x']) }, b: { id: 'b', m: { k: [true, null] } } });
      await docs.send(new BatchWriteCommand({ RequestItems: { items: [{ DeleteRequest: { Key: { id: 'a' } } }] } }));
      const after = await docs.send(new BatchGetCommand({ RequestItems: { items: { Keys: [{ id: 'a' }], ProjectionExpression: 'id' } } }));
      expect(after.Responses).toEqual({ items: [] });
    });
  });
});

const idOf = (item: Item): string => (item.a as { S: string }).S;
const byId = (x: Item, y: Item): number => (idOf(x) < idOf(y) ? -1 : 1);

describe('model-based', () => {
  it('random batches of puts and deletes match a Map, and BatchGetItem reads it back', async () => {
    const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const write = fc.oneof(
      fc.record({ put: fc.constant(true as const), id: ids, v: fc.integer() }),
      fc.record({ put: fc.constant(false as const), id: ids }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(write, { minLength: 1, maxLength: 10 }), { maxLength: 8 }), async (batches) => {
        const db = await twoTables();
        const model = new Map<string, Item>();
        for (const batch of batches) {
          const duplicate = new Set(batch.map((w) => w.id)).size !== batch.length;
          const result = db.batchWriteItem({
            RequestItems: {
              hash: batch.map((w) => (w.put ? { PutRequest: { Item: { a: { S: w.id }, v: { N: String(w.v) } } } } : { DeleteRequest: { Key: { a: { S: w.id } } } })),
            },
          });
          if (duplicate) {
            await expect(result).rejects.toThrow('Provided list of item keys contains duplicates');
            continue;
          }
          await result;
          for (const w of batch) {
            if (w.put) model.set(w.id, { a: { S: w.id }, v: { N: String(w.v) } });
            else model.delete(w.id);
          }
        }
        const out = await db.batchGetItem({ RequestItems: { hash: { Keys: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => ({ a: { S: id } })) } } });
        const got = [...out.Responses.hash!].sort(byId);
        const expected = [...model.values()].sort(byId);
        expect(got).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});
