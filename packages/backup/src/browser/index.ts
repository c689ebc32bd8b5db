/**
 * @magneto/backup/browser — what only runs in browsers: an object store for exports and imports in the
 * origin private file system or IndexedDB.
 *
 * @example
 * import { browserObjectStore } from '@magneto/backup/browser';
 */
export { browserObjectStore, type BrowserObjectStore, type BrowserObjectStoreOptions } from '../export-import/browser-object-store.js';
export type { IndexedDbObjectStoreImplementation } from '../export-import/indexeddb-object-store.js';
