/**
 * ModuleContext.systemLoad of a table snapshot into an empty table of the same key schema (a restore):
 * the table and each index the snapshot's table had too become O(1) forks of the snapshot's storages;
 * an index the snapshot's table lacked is checked and built. The loaded table holds exactly the
 * snapshot's items, keeps every invariant, publishes an INSERT per item, and its writes and the source's
 * never show in each other.
 */
import { describe, expect, it } from 'vitest';
import { Database, type ChangeRecord, type CreateTableInput, type Item, type ModuleContext } from '../src/index.js';
import { checkTableInvariants, tableStateOf } from './support/invariants.js';

/** A B+ tree's root node: a fork shares its source's until either is written. */
const rootOf = (tree: { rootNode: unknown }): unknown => tree.rootNode;

function withContext(): { db: Database; ctx: ModuleContext; changes: ChangeRecord[] } {
  let ctx: ModuleContext | undefined;
  const changes: ChangeRecord[] = [];
  const db = new Database({ modules: [{ name: 'probe', install: (c) => void ((ctx = c), c.onChange((batch) => changes.push(...batch.records))) }] });
  return { db, ctx: ctx!, changes };
}

const definition = (TableName: string, gsiKey = 'g'): CreateTableInput => ({
  TableName,
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: gsiKey, AttributeType: 'S' },
    { AttributeName: 'l', AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: gsiKey, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
});
const item = (i: number, extra: Record<string, unknown> = {}): Item => ({ pk: { S: `p${i % 7}` }, sk: { N: String(i) }, g: { S: `g${i % 3}` }, h: { S: `h${i % 4}` }, l: { S: `l${i}` }, ...extra }) as Item;
const all = async (db: Database, TableName: string, IndexName?: string): Promise<Item[]> =>
  ((await db.scan({ TableName, ...(IndexName === undefined ? {} : { IndexName }) })).Items ?? []).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('systemLoad of a table snapshot', () => {
  it('forks the table and its indexes: same items, invariants hold, an INSERT each, and later writes stay on their side', async () => {
    const { db, ctx, changes } = withContext();
    await db.createTable(definition('source'));
    for (let i = 0; i < 60; i++) await db.putItem({ TableName: 'source', Item: item(i) });
    const snapshot = ctx.snapshotTable('source');
    await db.putItem({ TableName: 'source', Item: item(100) }); // after the snapshot
    await db.createTable(definition('copy'));
    changes.length = 0;
    expect(ctx.systemLoad('copy', snapshot, 'restore')).toBe(60);
    // A fork, not a rewrite: the table's trees are the snapshot's (shared copy-on-write).
    expect(rootOf(tableStateOf(db, 'copy').storage.partitionList[0]!.items)).toBe(rootOf(snapshot.storage.partitionList[0]!.items));
    expect(changes.map((c) => [c.tableName, c.eventName])).toEqual(Array.from({ length: 60 }, () => ['copy', 'INSERT']));
    checkTableInvariants(db, 'copy', 'source');
    const sourceAtSnapshot = (await all(db, 'source')).filter((i) => (i.sk as { N: string }).N !== '100');
    expect(await all(db, 'copy')).toEqual(sourceAtSnapshot);
    expect(await all(db, 'copy', 'byG')).toEqual(sourceAtSnapshot);
    expect((await db.query({ TableName: 'copy', IndexName: 'byL', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p1' } } })).Count).toBe(9);

    // Writes to either side (overwrites of shared items included) never show in the other.
    await db.putItem({ TableName: 'copy', Item: item(1, { v: { S: 'copy' } }) });
    await db.putItem({ TableName: 'source', Item: item(2, { v: { S: 'source' } }) });
    await db.deleteItem({ TableName: 'copy', Key: { pk: { S: 'p3' }, sk: { N: '3' } } });
    await db.updateItem({ TableName: 'source', Key: { pk: { S: 'p4' }, sk: { N: '4' } }, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': { S: 'moved' } } });
    checkTableInvariants(db, 'copy', 'source');
    const get = async (TableName: string, i: number) => (await db.getItem({ TableName, Key: { pk: { S: `p${i % 7}` }, sk: { N: String(i) } } })).Item;
    expect(await get('source', 1)).toEqual(item(1));
    expect(await get('copy', 2)).toEqual(item(2));
    expect(await get('source', 3)).toEqual(item(3));
    expect((await get('copy', 4))!.g).toEqual({ S: 'g1' });
    expect((await db.query({ TableName: 'copy', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'moved' } } })).Count).toBe(0);
  });

  it('builds an index the snapshot\'s table did not have, and refuses the whole load (nothing written) when an item cannot be indexed', async () => {
    const { db, ctx } = withContext();
    await db.createTable(definition('source'));
    for (let i = 0; i < 20; i++) await db.putItem({ TableName: 'source', Item: item(i) });
    await db.createTable(definition('rekeyed', 'h'));
    expect(ctx.systemLoad('rekeyed', ctx.snapshotTable('source'), 'restore')).toBe(20);
    checkTableInvariants(db, 'rekeyed');
    expect((await db.query({ TableName: 'rekeyed', IndexName: 'byG', KeyConditionExpression: 'h = :h', ExpressionAttributeValues: { ':h': { S: 'h1' } } })).Count).toBe(5);

    await db.putItem({ TableName: 'source', Item: item(50, { h: { N: '1' } }) }); // h is a number: the rekeyed GSI refuses it
    await db.createTable(definition('refused', 'h'));
    expect(() => ctx.systemLoad('refused', ctx.snapshotTable('source'), 'restore')).toThrow('One or more parameter values were invalid: Type mismatch for Index Key h Expected: S Actual: N IndexName: byG');
    expect(await all(db, 'refused')).toEqual([]);
    checkTableInvariants(db, 'refused');
  });
});
