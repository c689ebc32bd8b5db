import type { StorageAdapter } from './storage-adapter.js';
import type { StorageOptions } from '../storage/table-storage.js';
import { DurableStore, type DurableStorageOptions } from './durable-store.js';
import type { LogDevice } from './log-device.js';

/**
 * A StorageAdapter that keeps the database on a LogDevice: write-ahead log, snapshots, recovery.
 * Adapters for a medium wrap it: `fileStorage(dir)` in `@magneto/core/node`, an IndexedDB one in
 * browsers. A database on it must be opened (`await db.open()`, or its first request opens it).
 *
 * @example
 * const db = new Database({ storage: durableStorage(myDevice, { durability: 'strict' }) });
 * await db.open();
 */
export function durableStorage(device: LogDevice, options: DurableStorageOptions & { kind?: string; layout?: StorageOptions } = {}): StorageAdapter {
  return {
    kind: options.kind ?? 'durable',
    layout: options.layout ?? {},
    open: (engine, modules) => DurableStore.open(device, engine, modules, options),
  };
}
