/**
 * The module contract's table view, lifecycle events and visibility filter: what a module sees of a
 * table (ModuleContext.getTable), the order of table events from CreateTable to DeleteTable, and an
 * item-visibility filter applied inside GetItem, BatchGetItem, TransactGetItems, Query and Scan.
 */
import { describe, expect, it } from 'vitest';
import {
  Database,
  ManualClock,
  memoryStorage,
  type CreateTableInput,
  type DatabaseModule,
  type Item,
  type ModuleContext,
  type TableEvent,
} from '../src/index.js';
import { attributes, keys } from './support/tables.js';

const DYNAMODB = 'DynamoDB_20120810' as const;

const TABLE: CreateTableInput = {
  TableName: 'items',
  KeySchema: keys('pk', 'sk'),
  AttributeDefinitions: attributes({ pk: 'S', sk: 'N', kind: 'S' }),
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [{ IndexName: 'byKind', KeySchema: keys('kind'), Projection: { ProjectionType: 'KEYS_ONLY' } }],
};

/** A module that only keeps its context. */
function probe(): DatabaseModule & { context?: ModuleContext } {
  const module: DatabaseModule & { context?: ModuleContext } = {
    name: 'probe',
    install(context) {
      module.context = context;
    },
  };
  return module;
}

describe('TableView', () => {
  it('shows the table’s identity, definition, status, module state, partitions and snapshots', async () => {
    const module = probe();
    const db = new Database({ modules: [module] });
    const created = await db.createTable(TABLE);
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' }, kind: { S: 'k' } } });
    const view = module.context!.getTable('items')!;

    expect([view.name, view.id, view.arn, view.status]).toEqual([
      'items',
      created.TableDescription.TableId,
      created.TableDescription.TableArn,
      'ACTIVE',
    ]);
    expect(view.keySchema).toEqual({ partitionKeys: [{ name: 'pk', type: 'S' }], sortKeys: [{ name: 'sk', type: 'N' }] });
    expect(view.keySchemaElements).toEqual(TABLE.KeySchema);
    expect(view.indexes.map((i) => [i.name, i.kind, i.keySchema.partitionKeys[0].name, i.projection.ProjectionType, i.status])).toEqual([
      ['byKind', 'GSI', 'kind', 'KEYS_ONLY', 'ACTIVE'],
    ]);
    expect(view.getItem({ pk: { S: 'a' }, sk: { N: '1' } })?.kind).toEqual({ S: 'k' });
    expect(view.itemCount).toBe(1);

    view.setModuleState('probe', { on: true });
    expect(view.getModuleState('probe')).toEqual({ on: true });
    expect([...view.moduleStateKeys()]).toEqual(['probe']);
    view.setModuleState('probe', undefined);
    expect(view.getModuleState('probe')).toBeUndefined();

    const partitions = view.partitions();
    expect(partitions).toHaveLength(view.partitionCount);
    expect(partitions[0]!.lowHash).toBe(0);
    expect(partitions).toContain(view.partitionOf({ pk: { S: 'a' } }));

    const snapshot = view.snapshot();
    await db.putItem({ TableName: 'items', Item: { pk: { S: 'b' }, sk: { N: '1' } } });
    expect([snapshot.tableName, snapshot.storage.itemCount, view.itemCount]).toEqual(['items', 1, 2]);

    // One view per table: the same object while it exists, a new one for a table re-created under its name.
    expect(module.context!.getTable('items')).toBe(view);
    await db.deleteTable({ TableName: 'items' });
    expect(module.context!.getTable('items')).toBeUndefined();
    await db.createTable(TABLE);
    expect(module.context!.getTable('items')).not.toBe(view);
  });

  it('partitionOf follows splits: every key maps to the partition whose hash range holds it', async () => {
    const module = probe();
    const db = new Database({ modules: [module], storage: memoryStorage({ partitionSplitItems: 8 }) });
    await db.createTable(TABLE);
    for (let i = 0; i < 100; i++) await db.putItem({ TableName: 'items', Item: { pk: { S: `p${i}` }, sk: { N: '1' } } });
    const view = module.context!.getTable('items')!;
    expect(view.partitionCount).toBeGreaterThan(1);
    for (let i = 0; i < 100; i++) {
      const partition = view.partitionOf({ pk: { S: `p${i}` }, sk: { N: '1' } });
      expect(view.partitions()).toContain(partition);
    }
  });
});

describe('table lifecycle events', () => {
  it('go created → active → updating → active → deleting → deleted, each when the status changes', async () => {
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const events: string[] = [];
    const module: DatabaseModule = {
      name: 'events',
      install(context) {
        context.onTableEvent((event: TableEvent) => events.push(`${event.type}:${event.table.name}:${event.table.status}`));
      },
    };
    const db = new Database({ clock, tableTransitionMs: 1000, modules: [module] });
    await db.createTable(TABLE);
    expect(events).toEqual(['created:items:CREATING']);
    await clock.advance(1000);
    await db.updateTable({ TableName: 'items', DeletionProtectionEnabled: false });
    expect(events).toEqual(['created:items:CREATING', 'active:items:ACTIVE', 'updating:items:UPDATING']);
    await clock.advance(1000);
    await db.deleteTable({ TableName: 'items' });
    expect(events.slice(3)).toEqual(['active:items:ACTIVE', 'deleting:items:DELETING']);
    await clock.advance(1000);
    expect(events.slice(5)).toEqual(['deleted:items:DELETING']);
    expect(await db.listTables({})).toEqual({ TableNames: [] });
  });

  it('settle within the request when tables change at once, and stop after unsubscribing', async () => {
    const events: string[] = [];
    let unsubscribe: (() => void) | undefined;
    const db = new Database({
      modules: [{ name: 'events', install: (context) => void (unsubscribe = context.onTableEvent((event) => events.push(event.type))) }],
    });
    await db.createTable(TABLE);
    await db.deleteTable({ TableName: 'items' });
    expect(events).toEqual(['created', 'active', 'deleting', 'deleted']);
    unsubscribe!();
    await db.createTable(TABLE);
    expect(events).toHaveLength(4);
  });
});

describe('visibility filter', () => {
  /** items p/1..p/4 (kind k); the filter hides odd sort keys of `items` while `hiding`. */
  async function setup(): Promise<{ db: Database; calls: string[] }> {
    const calls: string[] = [];
    const module: DatabaseModule = {
      name: 'hide-odd',
      install(context) {
        context.addVisibilityFilter({
          forTable(table) {
            calls.push(table.name);
            if (table.name !== 'items') return undefined;
            return (item: Item) => Number((item.sk as { N: string }).N) % 2 === 0;
          },
        });
      },
    };
    const db = new Database({ modules: [module] });
    await db.createTable(TABLE);
    await db.createTable({ ...TABLE, TableName: 'other' });
    for (let i = 1; i <= 4; i++) {
      const item: Item = { pk: { S: 'p' }, sk: { N: String(i) }, kind: { S: 'k' }, body: { S: 'x'.repeat(5000) } };
      await db.putItem({ TableName: 'items', Item: item });
      await db.putItem({ TableName: 'other', Item: item });
    }
    return { db, calls };
  }
  const sks = (items: readonly Item[] | undefined) => (items ?? []).map((item) => Number((item.sk as { N: string }).N)).sort();

  it('GetItem and TransactGetItems answer a hidden item as absent (charged as an absent item)', async () => {
    const { db } = await setup();
    const hidden = await db.getItem({ TableName: 'items', Key: { pk: { S: 'p' }, sk: { N: '1' } }, ReturnConsumedCapacity: 'TOTAL' });
    expect(hidden).toEqual({ ConsumedCapacity: { TableName: 'items', CapacityUnits: 0.5 } });
    expect((await db.getItem({ TableName: 'items', Key: { pk: { S: 'p' }, sk: { N: '2' } } })).Item?.sk).toEqual({ N: '2' });
    expect((await db.getItem({ TableName: 'other', Key: { pk: { S: 'p' }, sk: { N: '1' } } })).Item?.sk).toEqual({ N: '1' });
    const transact = await db.transactGetItems({
      TransactItems: [1, 2].map((sk) => ({ Get: { TableName: 'items', Key: { pk: { S: 'p' }, sk: { N: String(sk) } }, ProjectionExpression: 'body' } })),
    });
    expect(transact.Responses!.map((r) => r.Item !== undefined)).toEqual([false, true]);
  });

  it('BatchGetItem leaves hidden items out, per table', async () => {
    const { db } = await setup();
    const Keys = [1, 2, 3].map((sk) => ({ pk: { S: 'p' }, sk: { N: String(sk) } }));
    const batch = await db.batchGetItem({ RequestItems: { items: { Keys, ProjectionExpression: 'sk' }, other: { Keys } } });
    expect([sks(batch.Responses.items), sks(batch.Responses.other)]).toEqual([[2], [1, 2, 3]]);
  });

  it('Query and Scan drop hidden items as a filter would: Count drops, ScannedCount and LastEvaluatedKey stay', async () => {
    const { db } = await setup();
    const query = await db.query({
      TableName: 'items',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'p' } },
      Limit: 3,
      ReturnConsumedCapacity: 'TOTAL',
    });
    expect([sks(query.Items), query.Count, query.ScannedCount, query.LastEvaluatedKey]).toEqual([
      [2],
      1,
      3,
      { pk: { S: 'p' }, sk: { N: '3' } },
    ]);
    // Read units are for the bytes read, hidden items included (3 × ~5 KB, eventually consistent).
    expect(query.ConsumedCapacity!.CapacityUnits).toBe(2);
    const count = await db.scan({ TableName: 'items', Select: 'COUNT' });
    expect([count.Count, count.ScannedCount]).toEqual([2, 4]);
    // An index entry is judged by the table's item behind it, though KEYS_ONLY leaves `body` out.
    const index = await db.query({
      TableName: 'items',
      IndexName: 'byKind',
      KeyConditionExpression: 'kind = :k',
      ExpressionAttributeValues: { ':k': { S: 'k' } },
    });
    expect([sks(index.Items), index.Count, index.ScannedCount]).toEqual([[2, 4], 2, 4]);
    const other = await db.scan({ TableName: 'other' });
    expect([other.Count, other.ScannedCount]).toEqual([4, 4]);
  });

  it('asks the filter once per table a read touches', async () => {
    const { db, calls } = await setup();
    calls.length = 0;
    await db.execute(DYNAMODB, 'Scan', { TableName: 'items' });
    await db.batchGetItem({ RequestItems: { items: { Keys: [{ pk: { S: 'p' }, sk: { N: '2' } }] }, other: { Keys: [{ pk: { S: 'p' }, sk: { N: '2' } }] } } });
    expect(calls).toEqual(['items', 'items', 'other']);
  });
});
