/**
 * ModuleContext.logModuleRecord over every storage adapter: a module's records come back to its
 * replayRecord after a restart, in log order among the writes (the table holds what it held when the
 * record was logged), records before a snapshot come back through snapshotState instead, and memory
 * storage logs nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Database, type DatabaseModule, type ModuleContext, type PersistentModule } from '../src/index.js';
import { removeTemporaryDirectories } from './fixtures/persistence/helpers.js';
import { ADAPTERS } from './conformance/adapters.js';
import { attributes, keys } from './support/tables.js';

afterAll(removeTemporaryDirectories);

/** A module that logs how many items a table held whenever it is told to, and keeps the list. */
function counter(): DatabaseModule & PersistentModule & { seen: unknown[]; note(): void } {
  let context: ModuleContext | undefined;
  const seen: unknown[] = [];
  const countNow = () => context!.getTable('notes')!.itemCount;
  return {
    name: 'counter',
    seen,
    note() {
      const record = { count: countNow() };
      seen.push(record);
      context!.logModuleRecord('counter', record);
    },
    install(ctx) {
      context = ctx;
    },
    snapshotState: () => ({ seen: [...seen] }),
    restoreState: (state) => seen.push(...(state as { seen: unknown[] }).seen),
    // Replayed where it was logged: the table holds as many items as when it was noted.
    replayRecord: (record) => {
      expect(countNow()).toBe((record as { count: number }).count);
      seen.push(record);
    },
  };
}

describe.each(ADAPTERS)('ModuleContext.logModuleRecord ($name)', (adapter) => {
  it('replays each record in log order after a restart, and through snapshotState after a snapshot', async () => {
    const store = adapter.create();
    const first = counter();
    const db = new Database({ storage: store.storage(), modules: [first] });
    await db.open();
    await db.createTable({ TableName: 'notes', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    for (let i = 0; i < 6; i++) {
      await db.putItem({ TableName: 'notes', Item: { id: { S: `i${i}` } } });
      if (i % 2 === 1) first.note();
      if (i === 3 && adapter.durable) await db.checkpoint();
    }
    await db.close();
    if (!adapter.durable) return;
    const second = counter();
    const reopened = new Database({ storage: store.storage(), modules: [second] });
    await reopened.open();
    expect(second.seen).toEqual([{ count: 2 }, { count: 4 }, { count: 6 }]);
    await reopened.close();
  });
});
