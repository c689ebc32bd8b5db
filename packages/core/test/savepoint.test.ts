/**
 * db.savepoint() / db.rollback(): every table and index storage comes back from its copy-on-write snapshot
 * (TableStorage.restore), whatever was written since, with the point-lookup maps, counts, sizes, item
 * collections and TTL's expiry index as they were. Seeds are printed so a failure can be replayed.
 */
import { describe, expect, it } from 'vitest';
import { Database, ManualClock, memoryStorage, ttl, type Item } from '../src/index.js';
import { checkTableInvariants } from './support/invariants.js';
import { seededRandom as random } from '../src/faults/seeded-random.js';

const orders = {
  TableName: 'orders',
  KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' as const }, { AttributeName: 'order', KeyType: 'RANGE' as const }],
  AttributeDefinitions: [
    { AttributeName: 'customer', AttributeType: 'S' as const },
    { AttributeName: 'order', AttributeType: 'N' as const },
    { AttributeName: 'status', AttributeType: 'S' as const },
    { AttributeName: 'placed', AttributeType: 'N' as const },
  ],
  GlobalSecondaryIndexes: [
    { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const } },
    { IndexName: 'byStatusAll', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' as const }, { AttributeName: 'order', KeyType: 'RANGE' as const }], Projection: { ProjectionType: 'ALL' as const } },
  ],
  LocalSecondaryIndexes: [
    { IndexName: 'byPlaced', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' as const }, { AttributeName: 'placed', KeyType: 'RANGE' as const }], Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: ['note'] } },
  ],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

function order(next: () => number): Item {
  const item: Item = { customer: { S: `c${Math.floor(next() * 20)}` }, order: { N: String(Math.floor(next() * 50)) } };
  if (next() < 0.8) item.status = { S: ['open', 'paid', 'sent'][Math.floor(next() * 3)]! };
  if (next() < 0.7) item.placed = { N: String(Math.floor(next() * 1000)) };
  if (next() < 0.5) item.note = { S: 'x'.repeat(Math.floor(next() * 40)) };
  return item;
}

/** Random puts, updates and deletes on `orders`. */
async function write(db: Database, next: () => number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const item = order(next);
    const key = { customer: item.customer!, order: item.order! };
    const roll = next();
    if (roll < 0.6) await db.putItem({ TableName: 'orders', Item: item });
    else if (roll < 0.8) await db.deleteItem({ TableName: 'orders', Key: key });
    else await db.updateItem({ TableName: 'orders', Key: key, UpdateExpression: 'SET #s = :s REMOVE note', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'paid' } } });
  }
}

/** What a reader sees of `orders`: its description, every item, every index's entries, point reads. */
async function observable(db: Database): Promise<unknown> {
  const { Table } = await db.describeTable({ TableName: 'orders' });
  const scan = async (IndexName?: string): Promise<unknown> => (await db.scan({ TableName: 'orders', ...(IndexName === undefined ? {} : { IndexName }) })).Items;
  const reads: unknown[] = [];
  for (let c = 0; c < 20; c += 3) for (let o = 0; o < 50; o += 7) reads.push((await db.getItem({ TableName: 'orders', Key: { customer: { S: `c${c}` }, order: { N: String(o) } } })).Item);
  // An LSI table reports its item collection's size with every write: the collection sizes came back too.
  const sizes: unknown[] = [];
  for (let c = 0; c < 20; c += 5) {
    const key = { customer: { S: `c${c}` }, order: { N: '999' } };
    sizes.push((await db.putItem({ TableName: 'orders', Item: key, ReturnItemCollectionMetrics: 'SIZE' })).ItemCollectionMetrics);
    await db.deleteItem({ TableName: 'orders', Key: key });
  }
  return { Table, items: await scan(), byStatus: await scan('byStatus'), byStatusAll: await scan('byStatusAll'), byPlaced: await scan('byPlaced'), reads, sizes };
}

async function database(layout: { maxNodeSize?: number; partitionSplitItems?: number } = {}): Promise<Database> {
  const db = new Database({ storage: memoryStorage(layout) });
  await db.createTable(orders);
  return db;
}

describe('Database.rollback from storage snapshots', () => {
  for (const layout of [{}, { maxNodeSize: 4 }, { maxNodeSize: 4, partitionSplitItems: 40 }]) {
    it(`puts every item, index entry, count and size back after many writes (layout ${JSON.stringify(layout)})`, async () => {
      const seed = 0x5eed + JSON.stringify(layout).length;
      const next = random(seed);
      const db = await database(layout);
      await write(db, next, 300);
      const before = await observable(db);
      const fixture = db.savepoint();

      for (let round = 0; round < 3; round++) {
        await write(db, next, 400);
        expect(await observable(db), `seed ${seed}`).not.toEqual(before);
        db.rollback(fixture);
        checkTableInvariants(db);
        expect(await observable(db), `seed ${seed}, round ${round}`).toEqual(before);
      }
    });
  }

  it('serves nested savepoints in any order', async () => {
    const next = random(7);
    const db = await database({ maxNodeSize: 4 });
    await write(db, next, 100);
    const first = db.savepoint();
    const atFirst = await observable(db);
    await write(db, next, 200);
    const second = db.savepoint();
    const atSecond = await observable(db);
    await write(db, next, 200);
    db.rollback(second);
    checkTableInvariants(db);
    expect(await observable(db)).toEqual(atSecond);
    await write(db, next, 200);
    db.rollback(first);
    checkTableInvariants(db);
    expect(await observable(db)).toEqual(atFirst);
    // Any order: the later savepoint still serves after the earlier one.
    db.rollback(second);
    checkTableInvariants(db);
    expect(await observable(db)).toEqual(atSecond);
  });

  it('puts back a GSI that was backfilling at the savepoint', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const db = new Database({ clock, storage: memoryStorage({ maxNodeSize: 4 }), tableTransitionMs: 1000 });
    await db.createTable({ TableName: orders.TableName, KeySchema: orders.KeySchema, AttributeDefinitions: orders.AttributeDefinitions.filter((d) => d.AttributeName !== 'status'), LocalSecondaryIndexes: orders.LocalSecondaryIndexes, BillingMode: orders.BillingMode });
    await clock.advance(1000);
    await write(db, random(3), 150);
    await db.updateTable({
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    });
    const fixture = db.savepoint();
    const before = (await db.describeTable({ TableName: 'orders' })).Table;
    await clock.advance(5000);
    await write(db, random(4), 150);
    db.rollback(fixture);
    checkTableInvariants(db);
    expect((await db.describeTable({ TableName: 'orders' })).Table).toEqual(before);
  });

  it('brings back a GSI dropped since, and drops a GSI added since, with their entries', async () => {
    const next = random(11);
    const db = await database();
    await write(db, next, 100);
    const before = await observable(db);
    const fixture = db.savepoint();
    await db.updateTable({ TableName: 'orders', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byStatus' } }] });
    await db.updateTable({
      TableName: 'orders',
      AttributeDefinitions: [{ AttributeName: 'placed', AttributeType: 'N' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byPlacedGlobal', KeySchema: [{ AttributeName: 'placed', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
    });
    await write(db, next, 100);
    db.rollback(fixture);
    checkTableInvariants(db);
    expect(await observable(db)).toEqual(before);
  });

  it('does not publish the undone item changes on the change feed', async () => {
    const records: unknown[] = [];
    const db = new Database({ modules: [{ name: 'recorder', install: (context) => void context.onChange((batch) => records.push(...batch.records)) }] });
    await db.createTable(orders);
    const fixture = db.savepoint();
    await db.putItem({ TableName: 'orders', Item: { customer: { S: 'a' }, order: { N: '1' } } });
    records.length = 0;
    db.rollback(fixture);
    expect(records).toEqual([]);
    expect((await db.scan({ TableName: 'orders' })).Count).toBe(0);
  });
});

describe('Database.rollback with ttl()', () => {
  const sessions = {
    TableName: 'sessions',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
    BillingMode: 'PAY_PER_REQUEST' as const,
  };
  const start = Date.UTC(2026, 0, 1);
  const session = (id: string, expiresInMs: number): Item => ({ id: { S: id }, expires: { N: String(Math.floor((start + expiresInMs) / 1000)) } });

  it('puts the expiry index back: an item deleted since expires again, one written since never does', async () => {
    const clock = new ManualClock(start);
    const db = new Database({ clock, modules: [ttl({ transitionMs: 0, sweepIntervalMs: 1000 })] });
    await db.createTable(sessions);
    await db.updateTimeToLive({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
    await db.putItem({ TableName: 'sessions', Item: session('old', 60_000) });
    await db.putItem({ TableName: 'sessions', Item: session('kept', 10 * 86_400_000) });
    const fixture = db.savepoint();

    await db.deleteItem({ TableName: 'sessions', Key: { id: { S: 'old' } } });
    await db.putItem({ TableName: 'sessions', Item: session('new', 30_000) });
    await db.putItem({ TableName: 'sessions', Item: { id: { S: 'kept' } } });
    db.rollback(fixture);

    const ids = async (): Promise<string[]> => ((await db.scan({ TableName: 'sessions' })).Items ?? []).map((i) => (i.id as { S: string }).S).sort();
    expect(await ids()).toEqual(['kept', 'old']);
    await clock.advance(120_000);
    expect(await ids()).toEqual(['kept']);
    await clock.advance(11 * 86_400_000);
    expect(await ids()).toEqual([]);
  });

  it('puts the TTL setting back: enabled at the savepoint, disabled since', async () => {
    const clock = new ManualClock(start);
    const db = new Database({ clock, modules: [ttl({ transitionMs: 0, sweepIntervalMs: 1000 })] });
    await db.createTable(sessions);
    await db.updateTimeToLive({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } });
    const fixture = db.savepoint();
    await clock.advance(2 * 3_600_000);
    await db.updateTimeToLive({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: false, AttributeName: 'expires' } });
    db.rollback(fixture);
    expect((await db.describeTimeToLive({ TableName: 'sessions' })).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    await db.putItem({ TableName: 'sessions', Item: session('soon', 1000) });
    await clock.advance(10_000);
    expect((await db.scan({ TableName: 'sessions' })).Count).toBe(0);
  });
});
