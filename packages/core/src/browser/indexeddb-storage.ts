import { durableStorage } from '../persistence/durable-storage-adapter.js';
import type { DurableStorageOptions } from '../persistence/durable-store.js';
import { deviceWithKey } from '../persistence/encryption/encrypted-device.js';
import type { StorageAdapter } from '../persistence/storage-adapter.js';
import type { StorageOptions } from '../storage/table-storage.js';
import { IndexedDbLogDevice, type IndexedDbImplementation } from './indexeddb-device.js';

/** Options of `indexedDbStorage(name, options)`. */
export interface IndexedDbStorageOptions extends DurableStorageOptions, IndexedDbImplementation {
  /**
   * Encrypts everything stored (AES-GCM through WebCrypto) under this key: an AES-GCM CryptoKey with
   * usages encrypt and decrypt. A store created with a key opens only with that key.
   */
  encryptionKey?: CryptoKey;
  /** How tables lay out their in-memory partitions and B+ trees (as `memoryStorage(layout)`). */
  layout?: StorageOptions;
}

/**
 * Keeps the database in the browser's IndexedDB database named `name`: the same write-ahead log and
 * snapshots as the file store, each log append one IndexedDB transaction (`strict`: committed with
 * `durability: 'strict'` before the write's promise resolves). One tab, window or worker owns a
 * store at a time (Web Locks): opening it elsewhere fails with StoreLockedError. Open it with
 * `await db.open()`, close it with `await db.close()`; what recovery found is `db.recoveryReport`.
 *
 * @example
 * import { Database, indexedDbStorage } from '@magneto/core';
 * const db = new Database({ storage: indexedDbStorage('my-app') });
 * await db.open(); // StoreLockedError if another tab has it open
 * await db.createTable({
 *   TableName: 'notes',
 *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
 *   BillingMode: 'PAY_PER_REQUEST',
 * });
 * await db.putItem({ TableName: 'notes', Item: { id: { S: 'n1' } } }); // stored once this resolves
 */
export function indexedDbStorage(name: string, options: IndexedDbStorageOptions = {}): StorageAdapter {
  const { layout, encryptionKey, indexedDB, IDBKeyRange, ...durable } = options;
  const device = new IndexedDbLogDevice(name, { ...(indexedDB === undefined ? {} : { indexedDB }), ...(IDBKeyRange === undefined ? {} : { IDBKeyRange }) });
  return durableStorage(deviceWithKey(device, encryptionKey), { ...durable, kind: 'indexeddb', ...(layout === undefined ? {} : { layout }) });
}
