/**
 * One conformance suite over every storage adapter (memory, file, IndexedDB under fake-indexeddb, and
 * both encrypted): the scenario's tables, items, indexes, transactions, idempotency tokens and TTL
 * setting read back after close + reopen exactly as a memory database holds them; a torn log tail is
 * recovered to the last whole record and reported; the single-owner lock holds. The same scenario runs
 * in a real Chromium in test/browser/chromium.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, EncryptionKeyError, StoreLockedError } from '../../src/index.js';
import { removeTemporaryDirectories } from '../fixtures/persistence/helpers.js';
import { ADAPTERS, KEY, openOn, type ConformanceAdapter } from './adapters.js';
import { observe, scenarioOptions, writeAfterReopen, writeScenario } from './scenario.js';

afterAll(removeTemporaryDirectories);

let expected: Record<string, unknown>;
let expectedAfterReopen: Record<string, unknown>;

beforeAll(async () => {
  const reference = new Database(scenarioOptions());
  await writeScenario(reference);
  expected = await observe(reference);
  await writeAfterReopen(reference);
  expectedAfterReopen = await observe(reference);
});

const things = { TableName: 'things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' as const }], BillingMode: 'PAY_PER_REQUEST' as const };

async function ids(db: Database): Promise<number[]> {
  const { Items = [] } = await db.scan({ TableName: 'things' });
  return Items.map((item) => Number((item.id as { N: string }).N)).sort((a, b) => a - b);
}

describe.each(ADAPTERS)('$name', (adapter: ConformanceAdapter) => {
  it('keeps tables, items, indexes, transactions, tokens and TTL settings across close and reopen', async () => {
    const store = adapter.create();
    let db = await openOn(store, scenarioOptions());
    await writeScenario(db);
    expect(await observe(db)).toEqual(expected);
    const clock = scenarioOptions();
    if (adapter.durable) {
      await db.close();
      db = await openOn(store, clock);
      expect(db.recoveryReport?.damage).toEqual([]);
    }
    expect(await observe(db)).toEqual(expected);
    await writeAfterReopen(db);
    expect(await observe(db)).toEqual(expectedAfterReopen);
    if (adapter.durable) {
      // From a snapshot this time, plus what follows it in the log.
      await db.checkpoint();
      await db.putItem({ TableName: 'users', Item: { id: { S: 'u5' } } });
      await db.deleteItem({ TableName: 'users', Key: { id: { S: 'u5' } } });
      await db.close();
      db = await openOn(store, scenarioOptions());
      expect(db.recoveryReport?.snapshot).toMatch(/^snapshot-/);
      expect(db.recoveryReport?.damage).toEqual([]);
      expect(await observe(db)).toEqual(expectedAfterReopen);
    }
    await db.close();
  });

  it.runIf(adapter.durable)('recovers a torn log tail: every whole record, the damage reported, then clean', async () => {
    const store = adapter.create();
    const db = await openOn(store, {});
    await db.createTable(things);
    for (let i = 0; i < 10; i++) await db.putItem({ TableName: 'things', Item: { id: { N: String(i) }, text: { S: `item ${i}` } } });
    await db.close();
    await store.tearLog(5);

    const recovered = await openOn(store, {});
    const damage = recovered.recoveryReport?.damage ?? [];
    expect(damage).toHaveLength(1);
    expect(damage[0]).toMatchObject({ reason: 'torn' });
    expect(await ids(recovered)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    await recovered.putItem({ TableName: 'things', Item: { id: { N: '10' } } });
    await recovered.close();

    const clean = await openOn(store, {});
    expect(clean.recoveryReport?.damage).toEqual([]);
    expect(await ids(clean)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10]);
    await clean.close();
  });

  it.runIf(adapter.durable)('has one owner at a time: a second open fails with StoreLockedError until the first closes', async () => {
    const store = adapter.create();
    const first = await openOn(store, {});
    const second = new Database({ storage: store.storage() });
    await expect(second.open()).rejects.toBeInstanceOf(StoreLockedError);
    await first.close();
    const third = await openOn(store, {});
    await third.close();
  });

  it.runIf(adapter.durable)('opens only with the key it was written with: a wrong or missing key is a clear error, never garbage', async () => {
    const store = adapter.create();
    const db = await openOn(store, {});
    await db.createTable(things);
    await db.close();
    const other = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const encrypted = adapter.name.includes('encrypted');
    const wrongKey = new Database({ storage: store.storage(encrypted ? other : KEY) });
    const error = await wrongKey.open().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(EncryptionKeyError);
    expect((error as Error).message).toMatch(encrypted ? /^wrong encryption key for / : /written without encryption: open it without encryptionKey/);
    if (encrypted) {
      await expect(new Database({ storage: store.storage(null) }).open()).rejects.toThrow(/holds an encrypted store: open it with its encryptionKey/);
    }
    // A failed open released the lock, and the store is untouched.
    const again = await openOn(store, {});
    expect(again.recoveryReport?.damage).toEqual([]);
    expect((await again.listTables({})).TableNames).toEqual(['things']);
    await again.close();
  });
});
