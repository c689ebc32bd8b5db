import { Database, type DatabaseOptions } from '../database.js';
import { EncryptionKeyError } from '../persistence/encryption/encryption-key-error.js';
import { StoreLockedError } from '../persistence/log-device.js';
import type { StorageAdapter } from '../persistence/storage-adapter.js';
import { observe, scenarioOptions, writeAfterReopen, writeScenario } from './conformance-scenario.js';

/** A storage adapter under test: how to make fresh stores of it. */
export interface ConformanceAdapter {
  /** The name its tests are described under. */
  readonly name: string;
  /** False for memory: "reopening" keeps the same database, so only the first test runs. */
  readonly durable: boolean;
  /** Whether its stores are encrypted by default (`storage()` with no key). */
  readonly encrypted: boolean;
  /** A fresh, empty store. */
  create(): ConformanceStore;
}

/** One store of an adapter, which the suite opens, closes, reopens and damages. */
export interface ConformanceStore {
  /**
   * A storage adapter on this store; `key` overrides the adapter's own encryption key (`null`: none),
   * e.g. `durableStorage(key ? encryptedDevice(device, key) : plainDevice(device))`.
   */
  storage(key?: CryptoKey | null): StorageAdapter;
  /** Cuts `bytes` off the end of the newest log segment, at the raw (possibly encrypted) level: a torn write. */
  tearLog(bytes: number): Promise<void>;
}

/** The parts of a test runner the suite uses: vitest's (or jest's) `describe`, `it`, `expect`, `beforeAll`. */
export interface ConformanceTestApi {
  readonly describe: (name: string, body: () => void) => unknown;
  readonly it: ((name: string, body: () => Promise<void>) => unknown) & { readonly skip: (name: string, body: () => Promise<void>) => unknown };
  readonly beforeAll: (body: () => Promise<void>) => unknown;
  readonly expect: (actual: unknown) => ConformanceMatchers;
}

/** The matchers the suite uses (vitest's and jest's have them all). */
export interface ConformanceMatchers {
  toEqual(expected: unknown): void;
  toMatch(expected: RegExp): void;
  toHaveLength(length: number): void;
  toMatchObject(expected: object): void;
  toBeInstanceOf(type: abstract new (...args: never[]) => unknown): void;
  readonly rejects: { toBeInstanceOf(type: abstract new (...args: never[]) => unknown): Promise<void>; toThrow(expected: RegExp): Promise<void> };
}

/**
 * Describes the storage conformance suite for each adapter: the scenario's tables, items of every type,
 * indexes, transactions, idempotency tokens and TTL setting read back after close + reopen (and from a
 * snapshot) exactly as a memory database holds them; a torn log tail recovered to the last whole record
 * and reported; one owner at a time (StoreLockedError); a wrong or missing encryption key a clear
 * EncryptionKeyError. Run it on your own LogDevice (through `durableStorage`) or storage adapter.
 *
 * import { beforeAll, describe, expect, it } from 'vitest';
 * import { durableStorage, encryptedDevice, plainDevice } from '@magneto/core';
 * import { describeStorageConformance } from '@magneto/core/testing';
 * describeStorageConformance([{
 *   name: 'my device', durable: true, encrypted: false,
 *   create() {
 *     const device = new MyLogDevice();
 *     return {
 *       storage: (key) => durableStorage(key ? encryptedDevice(device, key) : plainDevice(device)),
 *       tearLog: (bytes) => device.tearNewestSegment(bytes),
 *     };
 *   },
 * }], { describe, it, expect, beforeAll });
 */
export function describeStorageConformance(adapters: readonly ConformanceAdapter[], { describe, it, expect, beforeAll }: ConformanceTestApi): void {
  const itIf = (condition: boolean): ConformanceTestApi['it'] | ConformanceTestApi['it']['skip'] => (condition ? it : it.skip);
  const openOn = async (store: ConformanceStore, options: DatabaseOptions, key?: CryptoKey | null): Promise<Database> => {
    const db = new Database({ ...options, storage: store.storage(key) });
    await db.open();
    return db;
  };

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

  for (const adapter of adapters) {
    describe(adapter.name, () => {
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

      itIf(adapter.durable)('recovers a torn log tail: every whole record, the damage reported, then clean', async () => {
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

      itIf(adapter.durable)('has one owner at a time: a second open fails with StoreLockedError until the first closes', async () => {
        const store = adapter.create();
        const first = await openOn(store, {});
        const second = new Database({ storage: store.storage() });
        await expect(second.open()).rejects.toBeInstanceOf(StoreLockedError);
        await first.close();
        const third = await openOn(store, {});
        await third.close();
      });

      itIf(adapter.durable)('opens only with the key it was written with: a wrong or missing key is a clear error, never garbage', async () => {
        const store = adapter.create();
        const db = await openOn(store, {});
        await db.createTable(things);
        await db.close();
        // Not the adapter's key: wrong for an encrypted store, unexpected for a plain one.
        const other = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
        const encrypted = adapter.encrypted;
        const wrongKey = new Database({ storage: store.storage(other) });
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
  }
}
