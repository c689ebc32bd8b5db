/// <reference types="node" />
/**
 * @magneto/core/node — what only runs on Node: the file store.
 *
 * @example
 * import { Database } from '@magneto/core';
 * import { fileStorage } from '@magneto/core/node';
 * const db = new Database({ storage: fileStorage('./data', { durability: 'strict' }) });
 * await db.open();
 * // … requests …
 * await db.close();
 */
import { resolve } from 'node:path';
import { durableStorage } from '../persistence/durable-storage-adapter.js';
import { deviceWithKey } from '../persistence/encryption/encrypted-device.js';
import type { DurableStorageOptions } from '../persistence/durable-store.js';
import type { StorageAdapter } from '../persistence/storage-adapter.js';
import type { StorageOptions } from '../storage/table-storage.js';
import { FileLogDevice } from './file-device.js';

export { FileLogDevice } from './file-device.js';

/** Options of `fileStorage(dir, options)`: the durability policy, snapshot cadence, in-memory layout. */
export interface FileStorageOptions extends DurableStorageOptions {
  /** How tables lay out their in-memory partitions and B+ trees (as `memoryStorage(layout)`). */
  layout?: StorageOptions;
  /** Encrypts everything stored (AES-GCM through WebCrypto) under this AES-GCM CryptoKey (usages encrypt, decrypt); the store then opens only with it. */
  encryptionKey?: CryptoKey;
}

/**
 * Keeps the database in the directory `dir` (created if missing): a write-ahead log of committed
 * writes and table changes, and snapshots. One process (one Database) at a time: a second open fails
 * with StoreLockedError naming the holder. Open it with `await db.open()` and close it with
 * `await db.close()`; what recovery found is `db.recoveryReport`.
 *
 * Files: `MANIFEST` (the newest log segment and the kept snapshots), `LOCK` (the holder's pid, host, start time; while opening, also `LOCK.draft-…` and
 * `LOCK.break-…`); `log-<lsn>.wal` (segments); `snapshot-<lsn>.snap`; `*.damaged` and `*.discarded`
 * are what recovery set aside after finding damage (reported, never deleted by the store).
 *
 * @example
 * const db = new Database({ storage: fileStorage('./data', { durability: 'batched', syncIntervalMs: 50 }) });
 * await db.open();
 * await db.createTable(Users.createTableInput());
 * await db.putItem({ TableName: 'users', Item: { id: { S: 'u1' } } }); // batched: on disk within 50 ms
 * await db.close();
 */
export function fileStorage(dir: string, options: FileStorageOptions = {}): StorageAdapter {
  const { layout, encryptionKey, ...durable } = options;
  return durableStorage(deviceWithKey(new FileLogDevice(resolve(dir)), encryptionKey), { ...durable, kind: 'file', ...(layout === undefined ? {} : { layout }) });
}
