/**
 * Browser storage: IndexedDB. Exported from `@magneto/core` itself (nothing here needs Node, and the
 * main entry stays browser-safe), so a page imports `indexedDbStorage` with the Database.
 */
export { indexedDbStorage, type IndexedDbStorageOptions } from './indexeddb-storage.js';
export { IndexedDbLogDevice, type IndexedDbImplementation } from './indexeddb-device.js';
