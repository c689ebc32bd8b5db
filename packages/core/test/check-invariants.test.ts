/**
 * checkInvariants (src/tables/check-invariants.ts) passes on a table kept by the engine and catches each
 * kind of corruption the model-based tests rely on it to catch: an index that is not the projection of
 * the table, item-collection sizes that do not add up, DescribeTable counts that disagree with the items,
 * a key outside its partition's hash range.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database, DescribeTableOutput } from '../src/index.js';
import { describeTable } from '../src/operations/describe-table.js';
import type { StorageKey } from '../src/storage/storage-key.js';
import { checkInvariants } from '../src/tables/check-invariants.js';
import type { TableState } from '../src/tables/table-state.js';
import { checkTableInvariants, tableStateOf } from './support/invariants.js';
import { attributes, freshDatabase, keys } from './support/tables.js';

let db: Database;
let table: TableState;

beforeEach(async () => {
  db = await freshDatabase({
    TableName: 'orders',
    KeySchema: keys('customer', 'order'),
    AttributeDefinitions: attributes({ customer: 'S', order: 'N', status: 'S', placed: 'N' }),
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [{ IndexName: 'byStatus', KeySchema: keys('status'), Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] } }],
    LocalSecondaryIndexes: [{ IndexName: 'byPlaced', KeySchema: keys('customer', 'placed'), Projection: { ProjectionType: 'ALL' } }],
  });
  for (let i = 0; i < 30; i++) {
    await db.putItem({
      TableName: 'orders',
      Item: {
        customer: { S: `c${i % 4}` },
        order: { N: String(i) },
        ...(i % 3 === 0 ? {} : { status: { S: i % 2 === 0 ? 'open' : 'shipped' } }),
        ...(i % 5 === 0 ? {} : { placed: { N: String(1000 + i) } }),
        total: { N: String(i * 10) },
        note: { S: 'x'.repeat(i) },
      },
    });
  }
  table = tableStateOf(db, 'orders');
});

const gsi = (): TableState['indexes'][number] => table.index('byStatus')!;
const lsi = (): TableState['indexes'][number] => table.index('byPlaced')!;
const firstEntry = (index: TableState['indexes'][number]): [StorageKey, Record<string, unknown>] => index.storage.entries().next().value!;
const reported = (): DescribeTableOutput['Table'] => describeTable(db.engine, { TableName: 'orders' }).Table;

describe('checkInvariants', () => {
  it('passes on a table the engine kept, after puts, updates and deletes', async () => {
    await db.updateItem({ TableName: 'orders', Key: { customer: { S: 'c1' }, order: { N: '1' } }, UpdateExpression: 'REMOVE #s', ExpressionAttributeNames: { '#s': 'status' } });
    await db.deleteItem({ TableName: 'orders', Key: { customer: { S: 'c2' }, order: { N: '2' } } });
    expect(() => checkTableInvariants(db)).not.toThrow();
  });

  it('catches an index entry whose projection differs from the table item', () => {
    const [key, entry] = firstEntry(gsi());
    gsi().storage.put(key, Object.freeze({ ...entry, total: { N: '-1' } }) as never);
    expect(() => checkInvariants(table)).toThrow(/index byStatus holds another projection of/);
  });

  it('catches an index missing an item the table projects into it', () => {
    const [key] = firstEntry(gsi());
    gsi().storage.delete(key);
    expect(() => checkInvariants(table)).toThrow(/index byStatus lacks the item/);
  });

  it('catches an index holding an item the table does not', () => {
    const [key] = firstEntry(lsi());
    const [, item] = [...table.storage.entries()].find(([k]) => k.partitionKey === key.partitionKey && k.sortKey !== '' && table.storage.get(k)!.placed !== undefined)!;
    // The index entry is copied under a made-up table key: the table has no such item.
    lsi().storage.put({ partitionKey: '', sortKey: '', tableKey: 'no such item' } as StorageKey, item, () => ({ ...key, tableKey: 'no such item' }));
    expect(() => checkInvariants(table)).toThrow(/index byPlaced holds 2[0-9] items, the table projects 2[0-9]/);
  });

  it('catches an item that lacks an index key attribute but sits in the index', () => {
    // An item outside the LSI (no `placed`), so that only the GSI is wrong.
    const [key, item] = [...table.storage.entries()].find(([, i]) => i.status !== undefined && i.placed === undefined)!;
    const { status: _dropped, ...rest } = item;
    table.storage.put(key, Object.freeze(rest));
    expect(() => checkInvariants(table)).toThrow(/index byStatus/);
  });

  it('catches item-collection sizes that do not add up', () => {
    const [collection, size] = [...table.collectionSizes!][0]!;
    table.collectionSizes!.set(collection, size + 1);
    expect(() => checkInvariants(table)).toThrow(new RegExp(`item collection .* is ${size + 1} bytes, its items add up to ${size}`));
  });

  it('catches counts that disagree with what DescribeTable reports', () => {
    expect(() => checkInvariants(table, reported())).not.toThrow();
    expect(() => checkInvariants(table, { ...reported(), ItemCount: 31 })).toThrow('table orders invariant: DescribeTable reports ItemCount 31, the table holds 30');
    const lsis = reported().LocalSecondaryIndexes!.map((d) => ({ ...d, IndexSizeBytes: d.IndexSizeBytes + 1 }));
    expect(() => checkInvariants(table, { ...reported(), LocalSecondaryIndexes: lsis })).toThrow(/IndexSizeBytes .* for index byPlaced/);
  });

  it('catches a key outside the hash range of its partition', () => {
    const partition = table.storage.partitionList[0]!;
    const [key, stored] = partition.items.entries().next().value!;
    partition.items.delete(key);
    // The encoded key's first character is the hash's top byte: U+0100 puts it past the hash space.
    partition.items.set('\u0100' + key.slice(1), stored);
    expect(() => checkInvariants(table)).toThrow(/storage invariant: hash .* outside/);
  });
});
