/**
 * Secondary indexes through the public Database API: index contents after writes, index key
 * validation, DescribeTable shapes, CreateTable index validation, online GSI creation and deletion,
 * the LSI item-collection limit and metrics, and a property: after random writes every index equals
 * its recomputation from the table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Database, ManualClock, memoryStorage, type AttributeValue, type CreateTableInput, type Item } from '../src/index.js';
import { ItemCollectionSizeLimitExceededException, LimitExceededException } from '../src/errors.js';
import { encodeSortableKeyValue, type KeyValue } from '../src/model/compare-keys.js';
import { primaryKeyCodeOf, primaryKeyIdentity, type StorageKey } from '../src/storage/storage-key.js';
import type { SecondaryIndex } from '../src/tables/secondary-index.js';
import type { TableState } from '../src/tables/table-state.js';
import { attributes, freshDatabase, keys } from './support/tables.js';

const INVALID = 'One or more parameter values were invalid: ';

const TABLE: CreateTableInput = {
  TableName: 'things',
  BillingMode: 'PAY_PER_REQUEST',
  KeySchema: keys('pk', 'sk'),
  AttributeDefinitions: attributes({ pk: 'S', sk: 'N', g: 'S', r: 'N', l: 'S' }),
  GlobalSecondaryIndexes: [
    { IndexName: 'byG', KeySchema: keys('g'), Projection: { ProjectionType: 'ALL' } },
    {
      IndexName: 'byGR',
      KeySchema: keys('g', 'r'),
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      IndexName: 'byR',
      KeySchema: keys('r'),
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byL',
      KeySchema: keys('pk', 'l'),
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

function tableOf(db: Database, name = 'things'): TableState {
  return db.engine.tables.get(name)!;
}

/** What an index must hold, recomputed from the table: projected entry per table key, with its index key. */
function expectedEntries(table: TableState, index: SecondaryIndex): Map<string, { pk: string; sk: string; item: Item }> {
  const out = new Map<string, { pk: string; sk: string; item: Item }>();
  const [partitionKey] = index.keySchema.partitionKeys;
  const [sortKey] = index.keySchema.sortKeys;
  for (const [, item] of table.storage.entries()) {
    const p = item[partitionKey.name];
    const s = sortKey ? item[sortKey.name] : undefined;
    if (p === undefined || (sortKey && s === undefined)) continue;
    // A backfill skips items whose index key has the wrong type.
    if (!(partitionKey.type in p) || (sortKey && s && !(sortKey.type in s))) continue;
    let projected: Item = item;
    if (index.projection.ProjectionType !== 'ALL') {
      const names = new Set([table.keySchema.partitionKeys[0].name, table.keySchema.sortKeys[0]?.name, partitionKey.name, sortKey?.name]);
      for (const n of index.projection.NonKeyAttributes ?? []) names.add(n);
      projected = {};
      for (const n of names) if (n !== undefined && item[n] !== undefined) (projected as Record<string, AttributeValue>)[n] = item[n];
    }
    const tableKey = primaryKeyIdentity(primaryKeyCodeOf(item, table.keySchema));
    out.set(tableKey, {
      pk: encodeSortableKeyValue(p as KeyValue),
      sk: s === undefined ? '' : encodeSortableKeyValue(s as KeyValue),
      item: projected,
    });
  }
  return out;
}

/** Asserts every index of the table is exactly its recomputation, and all storages are sound. */
function checkIndexes(table: TableState): void {
  table.storage.checkInvariants();
  for (const index of table.indexes) {
    index.storage.checkInvariants();
    const expected = expectedEntries(table, index);
    const actual = new Map<string, { pk: string; sk: string; item: Item }>();
    for (const [key, item] of index.storage.entries()) actual.set(key.tableKey!, { pk: key.partitionKey, sk: key.sortKey, item });
    expect(actual, `index ${index.name}`).toEqual(expected);
    if (index.projection.ProjectionType === 'ALL') {
      // ALL shares the table's stored item: the very same encoded string, not a second copy.
      for (const [tableKey, entry] of actual) {
        const [key, original] = [...table.storage.entries()].find(([k]) => primaryKeyIdentity(k) === tableKey)!;
        expect(entry.item).toEqual(original);
        expect(index.storage.getStored({ partitionKey: '', sortKey: '', tableKey } as StorageKey)).toBe(table.storage.getStored(key));
      }
    } else {
      for (const entry of actual.values()) expect(Object.isFrozen(entry.item)).toBe(true);
    }
  }
}

async function freshDb(options: ConstructorParameters<typeof Database>[0] = {}): Promise<Database> {
  return freshDatabase(TABLE, options);
}

describe('index maintenance', () => {
  it('indexes puts, overwrites, key changes, sparse items and deletes', async () => {
    const db = await freshDb({ storage: memoryStorage({ maxNodeSize: 4, partitionSplitItems: 8 }) });
    const table = tableOf(db);
    const put = (item: Item) => db.putItem({ TableName: 'things', Item: item });
    await put({ pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'x' }, r: { N: '5' }, x: { S: 'kept' }, y: { S: 'dropped' } });
    await put({ pk: { S: 'a' }, sk: { N: '2' }, g: { S: 'x' } }); // sparse for byGR, byR, byL
    await put({ pk: { S: 'b' }, sk: { N: '1' }, l: { S: 'l1' } }); // only in byL
    checkIndexes(table);
    expect(table.index('byG')!.storage.itemCount).toBe(2);
    expect(table.index('byGR')!.storage.itemCount).toBe(1);
    expect(table.index('byR')!.storage.itemCount).toBe(1);
    expect(table.index('byL')!.storage.itemCount).toBe(1);
    const [[, projected]] = [...table.index('byR')!.storage.entries()] as [[unknown, Item]];
    expect(projected).toEqual({ pk: { S: 'a' }, sk: { N: '1' }, r: { N: '5' }, x: { S: 'kept' } });

    // key change, item leaving an index, overwrite with same key
    await put({ pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'z' }, x: { S: 'new' } });
    await put({ pk: { S: 'a' }, sk: { N: '2' }, g: { S: 'x' }, extra: { BOOL: true } });
    checkIndexes(table);
    expect(table.index('byR')!.storage.itemCount).toBe(0);

    for (let i = 0; i < 40; i++) await put({ pk: { S: `p${i % 7}` }, sk: { N: String(i) }, g: { S: `g${i % 3}` }, r: { N: String(i % 5) }, l: { S: `l${i}` } });
    checkIndexes(table);
    await db.deleteItem({ TableName: 'things', Key: { pk: { S: 'a' }, sk: { N: '1' } } });
    await db.deleteItem({ TableName: 'things', Key: { pk: { S: 'nope' }, sk: { N: '1' } } });
    for (let i = 0; i < 40; i += 3) await db.deleteItem({ TableName: 'things', Key: { pk: { S: `p${i % 7}` }, sk: { N: String(i) } } });
    checkIndexes(table);
    expect(table.index('byG')!.storage.partitionCount).toBeGreaterThan(1);
  });

  it('keeps index entries ordered by index key with the table key as tiebreak', async () => {
    const db = await freshDb();
    for (const [pk, r] of [['c', 2], ['a', 2], ['b', 1]] as const) {
      await db.putItem({ TableName: 'things', Item: { pk: { S: pk }, sk: { N: '0' }, g: { S: 'same' }, r: { N: String(r) } } });
    }
    const index = tableOf(db).index('byGR')!;
    const partition = [...index.storage.entries()][0]![0];
    const order: unknown[] = [];
    index.storage.visitItemCollection(partition.hash, partition.partitionKey, true, undefined, (_, item) => order.push(item.pk) > 0);
    expect(order).toEqual([{ S: 'b' }, { S: 'a' }, { S: 'c' }]);
  });

  it('validates index key types and empty values before changing anything', async () => {
    const db = await freshDb();
    await db.putItem({ TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'x' } } });
    const before = [...tableOf(db).storage.entries()];
    await expect(db.putItem({ TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { N: '1' } } })).rejects.toThrow(
      `${INVALID}Type mismatch for Index Key g Expected: S Actual: N IndexName: byG`,
    );
    await expect(db.putItem({ TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1' }, r: { S: '1' } } })).rejects.toThrow(
      `${INVALID}Type mismatch for Index Key r Expected: N Actual: S IndexName: byGR`,
    );
    await expect(db.putItem({ TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { S: '' } } })).rejects.toThrow(
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
        'The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byG, IndexKey: g',
    );
    expect([...tableOf(db).storage.entries()]).toEqual(before);
    checkIndexes(tableOf(db));
  });

  it('reports each index in ConsumedCapacity INDEXES', async () => {
    const db = await freshDb();
    const out = await db.putItem({
      TableName: 'things',
      Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'x' } },
      ReturnConsumedCapacity: 'INDEXES',
    });
    expect(out.ConsumedCapacity).toEqual({
      TableName: 'things',
      CapacityUnits: 2,
      Table: { CapacityUnits: 1 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } },
    });
  });
});

describe('DescribeTable with indexes', () => {
  it('describes GSIs and LSIs with DynamoDB shapes', async () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const db = new Database({ clock, tableTransitionMs: 1000 });
    const created = await db.createTable(TABLE);
    expect(created.TableDescription.GlobalSecondaryIndexes![0]).toEqual({
      IndexName: 'byG',
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
      IndexStatus: 'CREATING',
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      IndexSizeBytes: 0,
      ItemCount: 0,
      IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/things/index/byG',
    });
    await clock.advance(1000);
    await db.putItem({ TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'x' }, l: { S: 'y' } } });
    const { Table } = await db.describeTable({ TableName: 'things' });
    expect(Table.GlobalSecondaryIndexes!.map((i) => [i.IndexName, i.IndexStatus, i.ItemCount])).toEqual([
      ['byG', 'ACTIVE', 1],
      ['byGR', 'ACTIVE', 0],
      ['byR', 'ACTIVE', 0],
    ]);
    expect(Table.GlobalSecondaryIndexes![2]!.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] });
    expect(Table.LocalSecondaryIndexes).toEqual([
      {
        IndexName: 'byL',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'l', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
        IndexSizeBytes: Table.TableSizeBytes,
        ItemCount: 1,
        IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/things/index/byL',
      },
    ]);
  });

  it('shows a GSI provisioned throughput on PROVISIONED tables and no index fields without indexes', async () => {
    const db = new Database();
    const { TableDescription } = await db.createTable({
      TableName: 'prov',
      KeySchema: keys('id'),
      AttributeDefinitions: attributes({ id: 'S', g: 'S' }),
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: keys('g'),
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 2 },
        },
      ],
    });
    expect(TableDescription.GlobalSecondaryIndexes![0]!.ProvisionedThroughput).toEqual({
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: 3,
      WriteCapacityUnits: 2,
    });
    expect(TableDescription.LocalSecondaryIndexes).toBeUndefined();
  });
});

describe('CreateTable index validation', () => {
  const base = {
    TableName: 'abc',
    AttributeDefinitions: attributes({ a: 'S', b: 'S' }),
    KeySchema: [
      { KeyType: 'HASH', AttributeName: 'a' },
      { KeyType: 'RANGE', AttributeName: 'b' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
  };
  const ab = [
    { AttributeName: 'a', KeyType: 'HASH' },
    { AttributeName: 'b', KeyType: 'RANGE' },
  ];
  const PT = { ReadCapacityUnits: 1, WriteCapacityUnits: 1 };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'LSI on a table without a range key',
      { ...base, KeySchema: [{ KeyType: 'HASH', AttributeName: 'a' }], LocalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: [{ AttributeName: 'c', KeyType: 'RANGE' }], Projection: {} }] },
      `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
    ],
    [
      'undefined LSI key attributes',
      { ...base, LocalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: keys('a', 'c'), Projection: {} }] },
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [a, c], AttributeDefinitions: [a, b]`,
    ],
    [
      'LSI without a range key',
      { ...base, LocalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: keys('b'), Projection: {} }] },
      `${INVALID}Index KeySchema does not have a range key for index: abc`,
    ],
    [
      'LSI with another hash key',
      { ...base, LocalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: keys('b', 'a'), Projection: {} }] },
      `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. index hash key: b, table hash key: a`,
    ],
    ['missing ProjectionType', { ...base, LocalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: ab, Projection: {} }] }, `${INVALID}Unknown ProjectionType: null`],
    [
      'NonKeyAttributes with ALL',
      { ...base, LocalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: ab, Projection: { ProjectionType: 'ALL', NonKeyAttributes: ['a'] } }] },
      `${INVALID}ProjectionType is ALL, but NonKeyAttributes is specified`,
    ],
    [
      'duplicate index names across LSIs and GSIs',
      {
        ...base,
        LocalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: ab, Projection: { ProjectionType: 'ALL' } }],
        GlobalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: ab, Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: PT }],
      },
      `${INVALID}Duplicate index name: abc`,
    ],
    [
      'more than 5 LSIs',
      { ...base, LocalSecondaryIndexes: ['ix1', 'ix2', 'ix3', 'ix4', 'ix5', 'ix6'].map((n) => ({ IndexName: n, KeySchema: ab, Projection: { ProjectionType: 'ALL' } })) },
      `${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`,
    ],
    [
      'more than 20 GSIs',
      { ...base, GlobalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({ IndexName: `abc${i}`, KeySchema: ab, Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: PT })) },
      `${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`,
    ],
    [
      'GSI throughput on PAY_PER_REQUEST',
      { ...base, ProvisionedThroughput: undefined, BillingMode: 'PAY_PER_REQUEST', GlobalSecondaryIndexes: [{ IndexName: 'x12', KeySchema: ab, Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: PT }] },
      `${INVALID}ProvisionedThroughput should not be specified for index: x12 when BillingMode is PAY_PER_REQUEST`,
    ],
    [
      'GSI without throughput on PROVISIONED',
      { ...base, GlobalSecondaryIndexes: [{ IndexName: 'x12', KeySchema: ab, Projection: { ProjectionType: 'ALL' } }] },
      `${INVALID}ProvisionedThroughput is not specified for index: x12`,
    ],
    [
      'unused attribute definitions',
      {
        ...base,
        AttributeDefinitions: [...base.AttributeDefinitions, { AttributeName: 'c', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [{ IndexName: 'x12', KeySchema: ab, Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: PT }],
      },
      `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [a, b, c], keys used: [a, b]`,
    ],
    [
      'GSI key attribute without definition',
      { ...base, KeySchema: [{ KeyType: 'HASH', AttributeName: 'a' }], GlobalSecondaryIndexes: [{ IndexName: 'abc', KeySchema: [{ AttributeName: 'c', KeyType: 'RANGE' }], Projection: {}, ProvisionedThroughput: PT }] },
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [c], AttributeDefinitions: [a, b]`,
    ],
  ];
  for (const [name, input, message] of cases) {
    it(`rejects ${name}`, async () => {
      const db = new Database();
      await expect(db.createTable(input as unknown as CreateTableInput)).rejects.toThrow(message);
      expect(db.engine.tables.size).toBe(0);
    });
  }
});

describe('online GSI creation and deletion', () => {
  async function setup() {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const db = new Database({ clock, tableTransitionMs: 1000 });
    await db.createTable({
      TableName: 'online',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keys('id'),
      AttributeDefinitions: attributes({ id: 'S' }),
    });
    await clock.advance(1000);
    for (let i = 0; i < 30; i++) {
      const item: Item = { id: { S: `i${i}` } };
      if (i % 3 !== 0) (item as Record<string, AttributeValue>).g = { N: String(i % 4) };
      await db.putItem({ TableName: 'online', Item: item });
    }
    await db.putItem({ TableName: 'online', Item: { id: { S: 'bad' }, g: { S: 'not a number' } } });
    return { clock, db };
  }
  const create = {
    Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const } },
  };

  it('backfills a new GSI, answers CREATING with Backfilling, turns ACTIVE, maintains it, then deletes it', async () => {
    const { clock, db } = await setup();
    const out = await db.updateTable({
      TableName: 'online',
      AttributeDefinitions: attributes({ g: 'N' }),
      GlobalSecondaryIndexUpdates: [create],
    });
    expect(out.TableDescription.TableStatus).toBe('UPDATING');
    expect(out.TableDescription.AttributeDefinitions).toEqual([
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'N' },
    ]);
    const gsi = out.TableDescription.GlobalSecondaryIndexes![0]!;
    expect(gsi).toMatchObject({ IndexName: 'byG', IndexStatus: 'CREATING', Backfilling: true, ItemCount: 20 });
    const table = tableOf(db, 'online');
    checkIndexes(table);
    // writes during the backfill are indexed
    await db.putItem({ TableName: 'online', Item: { id: { S: 'i0' }, g: { N: '9' } } });
    expect(table.index('byG')!.storage.itemCount).toBe(21);
    // the wrongly typed item was skipped, and writing it again is refused
    await expect(db.putItem({ TableName: 'online', Item: { id: { S: 'bad' }, g: { S: 'x' } } })).rejects.toThrow(
      `${INVALID}Type mismatch for Index Key g Expected: N Actual: S IndexName: byG`,
    );
    // reads wait for the backfill, as on DynamoDB
    const readIndex = () => db.query({ TableName: 'online', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { N: '9' } } });
    await expect(readIndex()).rejects.toThrow('Cannot read from backfilling global secondary index');
    await expect(db.scan({ TableName: 'online', IndexName: 'byG' })).rejects.toThrow('Cannot read from backfilling global secondary index');
    await clock.advance(1000);
    expect((await readIndex()).Count).toBe(1);
    let { Table } = await db.describeTable({ TableName: 'online' });
    expect(Table.TableStatus).toBe('ACTIVE');
    expect(Table.GlobalSecondaryIndexes![0]!.IndexStatus).toBe('ACTIVE');
    expect('Backfilling' in Table.GlobalSecondaryIndexes![0]!).toBe(false);

    const deleting = await db.updateTable({ TableName: 'online', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] });
    expect(deleting.TableDescription.GlobalSecondaryIndexes![0]!.IndexStatus).toBe('DELETING');
    await clock.advance(1000);
    ({ Table } = await db.describeTable({ TableName: 'online' }));
    expect(Table.GlobalSecondaryIndexes).toBeUndefined();
    expect(Table.AttributeDefinitions).toEqual([{ AttributeName: 'id', AttributeType: 'S' }]);
  });

  it('refuses two online index changes in one call, throughput on PAY_PER_REQUEST, unknown and existing indexes', async () => {
    const { db, clock } = await setup();
    const defs = [{ AttributeName: 'g', AttributeType: 'N' as const }];
    const second = { Create: { ...create.Create, IndexName: 'byG2' } };
    await expect(
      db.updateTable({ TableName: 'online', AttributeDefinitions: defs, GlobalSecondaryIndexUpdates: [create, second] }),
    ).rejects.toThrow(LimitExceededException);
    await expect(
      db.updateTable({
        TableName: 'online',
        AttributeDefinitions: defs,
        GlobalSecondaryIndexUpdates: [{ Create: { ...create.Create, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }],
      }),
    ).rejects.toThrow(`${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: byG when BillingMode is PAY_PER_REQUEST`);
    await expect(db.updateTable({ TableName: 'online', GlobalSecondaryIndexUpdates: [create] })).rejects.toThrow(
      `${INVALID}AttributeDefinitions is not specified for index: byG`,
    );
    await expect(db.updateTable({ TableName: 'online', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] })).rejects.toThrow(
      'Requested resource not found: Index: nope not found',
    );
    expect(tableOf(db, 'online').status).toBe('ACTIVE');
    await db.updateTable({ TableName: 'online', AttributeDefinitions: defs, GlobalSecondaryIndexUpdates: [create] });
    await clock.advance(1000);
    await expect(db.updateTable({ TableName: 'online', AttributeDefinitions: defs, GlobalSecondaryIndexUpdates: [create] })).rejects.toThrow(
      'Attempting to create an index which already exists',
    );
  });
});

describe('LSI item collections', () => {
  const LSI_TABLE: CreateTableInput = {
    TableName: 'coll',
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keys('pk', 'sk'),
    AttributeDefinitions: attributes({ pk: 'S', sk: 'S', l: 'S' }),
    LocalSecondaryIndexes: [
      {
        IndexName: 'byL',
        KeySchema: keys('pk', 'l'),
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };

  it('refuses writes that grow a collection past the limit, allows shrinking ones, reports metrics', async () => {
    const db = await freshDatabase(LSI_TABLE, { itemCollectionSizeLimitBytes: 2000 });
    const big = 'x'.repeat(400);
    const out = await db.putItem({
      TableName: 'coll',
      Item: { pk: { S: 'p' }, sk: { S: '0' }, l: { S: 'a' }, v: { S: big } },
      ReturnItemCollectionMetrics: 'SIZE',
    });
    expect(out.ItemCollectionMetrics).toEqual({ ItemCollectionKey: { pk: { S: 'p' } }, SizeEstimateRangeGB: [0, 1] });
    let i = 1;
    for (; i < 10; i++) {
      try {
        await db.putItem({ TableName: 'coll', Item: { pk: { S: 'p' }, sk: { S: String(i) }, l: { S: 'a' }, v: { S: big } } });
      } catch (error) {
        expect(error).toBeInstanceOf(ItemCollectionSizeLimitExceededException);
        expect((error as Error).message).toBe('Collection size exceeded.');
        break;
      }
    }
    expect(i).toBeLessThan(10);
    const table = tableOf(db, 'coll');
    const count = table.storage.itemCount;
    // other collections are unaffected; a shrinking write and a delete still succeed
    await db.putItem({ TableName: 'coll', Item: { pk: { S: 'q' }, sk: { S: '0' }, v: { S: big } } });
    await db.putItem({ TableName: 'coll', Item: { pk: { S: 'p' }, sk: { S: '0' }, l: { S: 'a' } } });
    const deleted = await db.deleteItem({ TableName: 'coll', Key: { pk: { S: 'p' }, sk: { S: '1' } }, ReturnItemCollectionMetrics: 'SIZE' });
    expect(deleted.ItemCollectionMetrics?.ItemCollectionKey).toEqual({ pk: { S: 'p' } });
    expect(table.storage.itemCount).toBe(count);
    checkIndexes(table);
    // the tracked sizes equal a recomputation
    const sizes = new Map(table.collectionSizes);
    const { recomputeCollectionSizes } = await import('../src/tables/item-collections.js');
    recomputeCollectionSizes(table);
    expect(new Map(table.collectionSizes)).toEqual(sizes);
  });

  it('answers no ItemCollectionMetrics for tables without LSIs', async () => {
    const db = await freshDb();
    await db.deleteTable({ TableName: 'things' });
    const { LocalSecondaryIndexes: _lsis, ...withoutLsis } = TABLE;
    await db.createTable({ ...withoutLsis, AttributeDefinitions: TABLE.AttributeDefinitions.filter((d) => d.AttributeName !== 'l') });
    const out = await db.putItem({ TableName: 'things', Item: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnItemCollectionMetrics: 'SIZE' });
    expect(out.ItemCollectionMetrics).toBeUndefined();
  });
});

describe('property: indexes equal their recomputation', () => {
  const value = (type: 'S' | 'N') => fc.integer({ min: 0, max: 4 }).map((n): AttributeValue => (type === 'S' ? { S: `v${n}` } : { N: String(n) }));
  const item = fc.record(
    {
      pk: fc.constantFrom('a', 'b', 'c').map((s): AttributeValue => ({ S: s })),
      sk: fc.integer({ min: 0, max: 5 }).map((n): AttributeValue => ({ N: String(n) })),
      g: value('S'),
      r: value('N'),
      l: value('S'),
      x: fc.string({ maxLength: 3 }).map((s): AttributeValue => ({ S: s })),
    },
    { requiredKeys: ['pk', 'sk'] },
  );
  const command = fc.oneof(
    item.map((i) => ({ kind: 'put' as const, item: i as Item })),
    item.map((i) => ({ kind: 'delete' as const, item: i as Item })),
  );
  it('after random puts and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 60 }), async (commands) => {
        const db = await freshDatabase(TABLE, { storage: memoryStorage({ maxNodeSize: 4, partitionSplitItems: 6 }) });
        for (const c of commands) {
          if (c.kind === 'put') await db.putItem({ TableName: 'things', Item: c.item });
          else await db.deleteItem({ TableName: 'things', Key: { pk: c.item.pk!, sk: c.item.sk! } });
        }
        checkIndexes(tableOf(db));
      }),
      { numRuns: 60 },
    );
  });
});

describe('UpdateItem › maintains secondary indexes', () => {
  it('moves, adds and drops index entries as index key attributes change, and refuses a wrong index key type', async () => {
    const db = await freshDb();
    const table = tableOf(db);
    const key = { pk: { S: 'p' }, sk: { N: '1' } };
    await db.updateItem({ TableName: 'things', Key: key, UpdateExpression: 'SET g = :g, r = :r', ExpressionAttributeValues: { ':g': { S: 'a' }, ':r': { N: '5' } } });
    checkIndexes(table);
    expect(table.index('byGR')!.storage.itemCount).toBe(1);
    await db.updateItem({ TableName: 'things', Key: key, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': { S: 'b' } } });
    checkIndexes(table);
    await db.updateItem({ TableName: 'things', Key: key, UpdateExpression: 'REMOVE r' });
    checkIndexes(table);
    expect(table.index('byGR')!.storage.itemCount).toBe(0);
    expect(table.index('byG')!.storage.itemCount).toBe(1);
    await expect(
      db.updateItem({ TableName: 'things', Key: key, UpdateExpression: 'SET r = :r', ExpressionAttributeValues: { ':r': { S: 'x' } } }),
    ).rejects.toThrow(`${INVALID}Type mismatch for Index Key r Expected: N Actual: S IndexName: byGR`);
    checkIndexes(table);
    expect((await db.getItem({ TableName: 'things', Key: key })).Item).toEqual({ ...key, g: { S: 'b' } });
  });
});
