/**
 * Durable storage, through the public API: one behaviour suite run over memory and the file store
 * (what a database holds after close and reopen equals what memory holds), a model-based test that
 * reopens a file store at random points, and the store's own promises: the lock, durability modes,
 * snapshots and log truncation, idempotency tokens, module state.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Database,
  ManualClock,
  StoreLockedError,
  type ChangeBatch,
  type DatabaseModule,
  type DatabaseOptions,
  type ModuleContext,
  type PersistentModule,
  type TableView,
} from '@magneto/core';
import { fileStorage, type FileStorageOptions } from '@magneto/core/node';
import { checkInvariants, dump, removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';
import { attributes, keys } from './support/tables.js';

afterAll(removeTemporaryDirectories);

/** Opens a database and, for a durable store, closes and reopens it (memory keeps the same one). */
interface Adapter {
  name: string;
  open(options?: DatabaseOptions): Promise<Database>;
  reopen(db: Database, options?: DatabaseOptions): Promise<Database>;
}

function fileAdapter(storageOptions: FileStorageOptions = {}): Adapter {
  const dirs = new WeakMap<Database, string>();
  return {
    name: `file (${storageOptions.durability ?? 'strict'})`,
    async open(options = {}) {
      const dir = temporaryDirectory();
      const db = new Database({ ...options, storage: fileStorage(dir, storageOptions) });
      await db.open();
      dirs.set(db, dir);
      return db;
    },
    async reopen(db, options = {}) {
      const dir = dirs.get(db)!;
      await db.close();
      const next = new Database({ ...options, storage: fileStorage(dir, storageOptions) });
      await next.open();
      dirs.set(next, dir);
      expect(next.recoveryReport?.damage).toEqual([]);
      return next;
    },
  };
}

const memory: Adapter = { name: 'memory', open: async (options) => new Database(options), reopen: async (db) => db };
const ADAPTERS: Adapter[] = [memory, fileAdapter(), fileAdapter({ durability: 'batched', syncIntervalMs: 5 }), fileAdapter({ durability: 'none' })];

const ORDERS = {
  TableName: 'orders',
  KeySchema: keys('customer', 'order'),
  AttributeDefinitions: attributes({ customer: 'S', order: 'N', status: 'S', placed: 'S' }),
  BillingMode: 'PAY_PER_REQUEST' as const,
  GlobalSecondaryIndexes: [{ IndexName: 'by-status', KeySchema: keys('status', 'order'), Projection: { ProjectionType: 'ALL' as const } }],
  LocalSecondaryIndexes: [
    { IndexName: 'by-placed', KeySchema: keys('customer', 'placed'), Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: ['total'] } },
  ],
};
const USERS = { TableName: 'users', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' as const };

/** A workload touching every write path: puts, updates, deletes, batches, transactions, DDL. */
async function workload(db: Database): Promise<void> {
  await db.createTable(ORDERS);
  await db.createTable(USERS);
  await db.createTable({ ...USERS, TableName: 'doomed' });
  await db.putItem({ TableName: 'doomed', Item: { id: { S: 'x' } } });
  for (let i = 0; i < 30; i++) {
    await db.putItem({
      TableName: 'orders',
      Item: {
        customer: { S: `c${i % 4}` },
        order: { N: String(i) },
        status: { S: i % 3 === 0 ? 'open' : 'shipped' },
        placed: { S: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}` },
        total: { N: `${i}.25` },
        blob: { B: Uint8Array.from([i, 255, 0]) },
        tags: { SS: ['a', `t${i}`] },
        lines: { L: [{ M: { sku: { S: `s${i}` }, qty: { N: '2' } } }, { NULL: true }, { BOOL: i % 2 === 0 }] },
      },
    });
  }
  await db.updateItem({
    TableName: 'orders',
    Key: { customer: { S: 'c1' }, order: { N: '1' } },
    UpdateExpression: 'SET #s = :s, #t = #t + :d REMOVE placed',
    ExpressionAttributeNames: { '#s': 'status', '#t': 'total' },
    ExpressionAttributeValues: { ':s': { S: 'open' }, ':d': { N: '100' } },
  });
  await db.deleteItem({ TableName: 'orders', Key: { customer: { S: 'c2' }, order: { N: '2' } } });
  // Attribute names a decoder could mistake: `__proto__` (at the top and nested) and the escape character.
  await db.putItem({
    TableName: 'users',
    Item: JSON.parse('{"id": {"S": "odd"}, "__proto__": {"S": "top"}, "\\u0001x": {"N": "1"}, "m": {"L": [{"M": {"__proto__": {"BOOL": true}, "__proto_": {"NULL": true}}}]}}'),
  });
  await db.batchWriteItem({
    RequestItems: {
      users: [{ PutRequest: { Item: { id: { S: 'u1' }, name: { S: 'Ada' } } } }, { PutRequest: { Item: { id: { S: 'u2' } } } }],
      orders: [{ DeleteRequest: { Key: { customer: { S: 'c3' }, order: { N: '3' } } } }],
    },
  });
  await db.transactWriteItems({
    TransactItems: [
      { Put: { TableName: 'users', Item: { id: { S: 'u3' }, name: { S: 'Grace' } }, ConditionExpression: 'attribute_not_exists(id)' } },
      { Update: { TableName: 'users', Key: { id: { S: 'u1' } }, UpdateExpression: 'SET visits = :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
      { Delete: { TableName: 'users', Key: { id: { S: 'u2' } } } },
      { ConditionCheck: { TableName: 'orders', Key: { customer: { S: 'c0' }, order: { N: '0' } }, ConditionExpression: 'attribute_exists(customer)' } },
    ],
  });
  await expect(
    db.transactWriteItems({
      TransactItems: [
        { Put: { TableName: 'users', Item: { id: { S: 'u9' } } } },
        { ConditionCheck: { TableName: 'users', Key: { id: { S: 'nobody' } }, ConditionExpression: 'attribute_exists(id)' } },
      ],
    }),
  ).rejects.toThrow('Transaction cancelled');
  await db.updateTable({
    TableName: 'users',
    AttributeDefinitions: attributes({ name: 'S' }),
    GlobalSecondaryIndexCreate: undefined as never,
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-name', KeySchema: keys('name'), Projection: { ProjectionType: 'KEYS_ONLY' } } }],
  } as never);
  await db.updateTable({ TableName: 'orders', DeletionProtectionEnabled: true });
  await db.deleteTable({ TableName: 'doomed' });
}

describe.each(ADAPTERS)('$name', (adapter) => {
  it('keeps tables, items, indexes and settings across close and reopen, as memory holds them', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const expected = new Database({ clock });
    await workload(expected);
    let db = await adapter.open({ clock });
    await workload(db);
    db = await adapter.reopen(db, { clock });
    expect(await dump(db)).toEqual(await dump(expected));
    checkInvariants(db);
    // Still writable, and indexes still maintained, after reopening.
    await db.putItem({ TableName: 'users', Item: { id: { S: 'u4' }, name: { S: 'Hedy' } } });
    await expected.putItem({ TableName: 'users', Item: { id: { S: 'u4' }, name: { S: 'Hedy' } } });
    db = await adapter.reopen(db, { clock });
    expect(await dump(db)).toEqual(await dump(expected));
    const byName = await db.query({ TableName: 'users', IndexName: 'by-name', KeyConditionExpression: '#n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'Hedy' } } });
    expect(byName.Items).toEqual([{ id: { S: 'u4' }, name: { S: 'Hedy' } }]);
    await db.close();
  });

  it('answers a retried TransactWriteItems from its ClientRequestToken after reopening', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    let db = await adapter.open({ clock });
    await db.createTable(USERS);
    const request = { ClientRequestToken: 'token-1', TransactItems: [{ Update: { TableName: 'users', Key: { id: { S: 'a' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }] };
    await db.transactWriteItems(request);
    db = await adapter.reopen(db, { clock });
    await db.transactWriteItems(request);
    expect((await db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } })).Item).toEqual({ id: { S: 'a' }, n: { N: '1' } });
    await expect(db.transactWriteItems({ ...request, TransactItems: [] as never[] })).rejects.toThrow();
    await db.close();
  });
});

describe('file store', () => {
  it('matches a memory database under random operations, reopened and snapshotted at random points', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 12 }), group: fc.constantFrom('g1', 'g2', undefined), n: fc.integer({ min: 0, max: 99 }) }),
      fc.record({ kind: fc.constant('update' as const), id: fc.integer({ min: 0, max: 12 }), n: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('transact' as const), ids: fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 4 }), n: fc.integer({ min: 0, max: 99 }) }),
      fc.record({ kind: fc.constant('reopen' as const) }),
      fc.record({ kind: fc.constant('checkpoint' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), fc.integer({ min: 200, max: 4000 }), async (ops, snapshotLogBytes) => {
        const dir = temporaryDirectory();
        const options = { snapshotLogBytes, snapshotChunkItems: 3 };
        const table = {
          TableName: 'things',
          KeySchema: keys('id'),
          AttributeDefinitions: attributes({ id: 'N', group: 'S' }),
          BillingMode: 'PAY_PER_REQUEST' as const,
          GlobalSecondaryIndexes: [{ IndexName: 'by-group', KeySchema: keys('group'), Projection: { ProjectionType: 'ALL' as const } }],
        };
        const clock = new ManualClock(1_800_000_000_000);
        const model = new Database({ clock });
        let db = new Database({ storage: fileStorage(dir, options), clock });
        await model.createTable(table);
        await db.createTable(table);
        for (const step of ops) {
          if (step.kind === 'reopen') {
            await db.close();
            db = new Database({ storage: fileStorage(dir, options), clock });
            await db.open();
            expect(db.recoveryReport!.damage).toEqual([]);
            continue;
          }
          if (step.kind === 'checkpoint') {
            await db.checkpoint();
            continue;
          }
          for (const target of [model, db]) {
            if (step.kind === 'put') {
              await target.putItem({ TableName: 'things', Item: { id: { N: String(step.id) }, n: { N: String(step.n) }, ...(step.group ? { group: { S: step.group } } : {}) } });
            } else if (step.kind === 'update') {
              await target.updateItem({ TableName: 'things', Key: { id: { N: String(step.id) } }, UpdateExpression: 'ADD n :d', ExpressionAttributeValues: { ':d': { N: String(step.n) } } });
            } else if (step.kind === 'delete') {
              await target.deleteItem({ TableName: 'things', Key: { id: { N: String(step.id) } } });
            } else {
              await target.transactWriteItems({
                TransactItems: step.ids.map((id) => ({ Put: { TableName: 'things', Item: { id: { N: String(id) }, n: { N: String(step.n) }, group: { S: 'tx' } } } })),
              });
            }
          }
        }
        await db.close();
        const reopened = new Database({ storage: fileStorage(dir, options), clock });
        await reopened.open();
        expect(reopened.recoveryReport!.damage).toEqual([]);
        expect(await dump(reopened)).toEqual(await dump(model));
        checkInvariants(reopened);
        await reopened.close();
      }),
      { numRuns: 25 },
    );
  });

  it('snapshots as the log grows, keeps the two newest snapshots and the log from the older one on', async () => {
    const dir = temporaryDirectory();
    const db = new Database({ storage: fileStorage(dir, { durability: 'none', snapshotLogBytes: 4096, snapshotChunkItems: 50 }) });
    await db.createTable(USERS);
    for (let i = 0; i < 600; i++) {
      await db.putItem({ TableName: 'users', Item: { id: { S: `u${i}` }, payload: { S: 'x'.repeat(100) } } });
      // Writes under `none` resolve at once: yield now and then, as a server between requests does.
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await db.checkpoint();
    await db.close();
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.snap'))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('.wal')).length).toBeLessThanOrEqual(4);
    const reopened = new Database({ storage: fileStorage(dir) });
    await reopened.open();
    expect(reopened.recoveryReport).toMatchObject({ items: 600, tables: 1, damage: [] });
    expect(reopened.recoveryReport!.snapshot).toBe(files.filter((f) => f.endsWith('.snap')).sort().at(-1));
    await reopened.close();
  });

  it('refuses a second open of a directory with an error naming the holder, and takes over a stale lock', async () => {
    const dir = temporaryDirectory();
    const first = new Database({ storage: fileStorage(dir) });
    await first.open();
    const second = new Database({ storage: fileStorage(dir) });
    const refusal = await second.open().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreLockedError);
    expect((refusal as Error).message).toMatch(new RegExp(`^The store .* is in use by this process \\(another open Database\\)`));
    expect((refusal as StoreLockedError).holder).toMatchObject({ pid: process.pid });
    await first.close();
    await second.open();
    await second.close();
    // A holder that died without closing: its pid is gone, so the lock is stale.
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), since: 'then' }));
    const third = new Database({ storage: fileStorage(dir) });
    await third.open();
    await third.close();
    // Another host's lock cannot be checked: it is respected.
    writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: 1, host: 'elsewhere', since: '2026-11-27T00:00:00.000Z' }));
    await expect(new Database({ storage: fileStorage(dir) }).open()).rejects.toThrow(/in use by process 1 on elsewhere since 2026-11-27T00:00:00.000Z/);
  });

  it('opens on the first request when open() was not called, and refuses requests after close()', async () => {
    const dir = temporaryDirectory();
    const db = new Database({ storage: fileStorage(dir) });
    await db.createTable(USERS);
    await db.putItem({ TableName: 'users', Item: { id: { S: 'a' } } });
    await db.close();
    await expect(db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } })).rejects.toThrow('The database is closed');
    const again = new Database({ storage: fileStorage(dir) });
    expect((await again.getItem({ TableName: 'users', Key: { id: { S: 'a' } } })).Item).toEqual({ id: { S: 'a' } });
    await again.close();
  });

  it('keeps module state through the persistence hooks: table settings, module snapshots, replayed changes', async () => {
    const dir = temporaryDirectory();
    const makeModule = () => {
      const seen: number[] = [];
      const module: DatabaseModule & PersistentModule & { seen: number[]; restored: unknown; itemsAtRecovery: number | undefined } = {
        name: 'counter',
        seen,
        restored: undefined,
        itemsAtRecovery: undefined,
        persistentTableState: ['counter-plain'],
        install(context) {
          context.onChange((batch: ChangeBatch) => seen.push(...batch.records.map((r) => r.sequenceNumber)));
          context.handleTableParameter('CounterSpec', {
            apply(table: TableView, value: unknown) {
              table.setModuleState('counter-plain', { spec: value });
              table.setModuleState('counter-rich', { spec: value, timer: () => undefined });
            },
          });
        },
        persistTableState: (table) => ({ spec: (table.getModuleState('counter-rich') as { spec: unknown } | undefined)?.spec }),
        restoreTableState(table, state) {
          table.setModuleState('counter-rich', { spec: (state as { spec: unknown }).spec, timer: () => undefined });
        },
        snapshotState: () => ({ seen: [...seen] }),
        restoreState(state) {
          module.restored = state;
          seen.push(...(state as { seen: number[] }).seen);
        },
        replayChanges(batch) {
          seen.push(...batch.records.map((r) => r.sequenceNumber));
        },
        recovered() {
          module.itemsAtRecovery = context?.getTable('users')?.itemCount;
        },
      };
      let context: ModuleContext | undefined;
      const install = module.install;
      module.install = (ctx) => {
        context = ctx;
        install(ctx);
      };
      return module;
    };
    const first = makeModule();
    const db = new Database({ storage: fileStorage(dir), modules: [first] });
    await db.createTable({ ...USERS, CounterSpec: 'on' } as never);
    await db.putItem({ TableName: 'users', Item: { id: { S: 'a' } } });
    await db.checkpoint();
    await db.putItem({ TableName: 'users', Item: { id: { S: 'b' } } });
    await db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'users', Item: { id: { S: 'c' } } } }, { Delete: { TableName: 'users', Key: { id: { S: 'a' } } } }] });
    await db.close();
    expect(first.seen).toEqual([1, 2, 3, 4]);

    const second = makeModule();
    const reopened = new Database({ storage: fileStorage(dir), modules: [second] });
    await reopened.open();
    expect(second.restored).toEqual({ seen: [1] });
    expect(second.seen).toEqual([1, 2, 3, 4]);
    expect(second.itemsAtRecovery).toBe(2);
    const table = reopened.engine.moduleContext().getTable('users')!;
    expect(table.getModuleState('counter-plain')).toEqual({ spec: 'on' });
    expect((table.getModuleState('counter-rich') as { spec: unknown }).spec).toBe('on');
    // Numbering goes on where it stopped.
    await reopened.putItem({ TableName: 'users', Item: { id: { S: 'd' } } });
    expect(second.seen.at(-1)).toBe(5);
    await reopened.close();
  });

  it('finishes table and index transitions caught by a restart', async () => {
    const dir = temporaryDirectory();
    const clock = new ManualClock(1_800_000_000_000);
    const db = new Database({ storage: fileStorage(dir), clock, tableTransitionMs: 1000 });
    await db.createTable(USERS);
    await clock.advance(1000);
    await db.createTable({ ...USERS, TableName: 'creating' });
    await db.createTable({ ...USERS, TableName: 'deleting' });
    await clock.advance(1000);
    await db.deleteTable({ TableName: 'deleting' });
    await db.close();
    const reopened = new Database({ storage: fileStorage(dir), clock });
    await reopened.open();
    expect((await reopened.listTables({})).TableNames).toEqual(['creating', 'users']);
    expect((await reopened.describeTable({ TableName: 'creating' })).Table.TableStatus).toBe('ACTIVE');
    await reopened.close();
  });
});
