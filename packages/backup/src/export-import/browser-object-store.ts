import { indexedDbObjectStore, type IndexedDbObjectStoreImplementation } from './indexeddb-object-store.js';
import type { ObjectStore } from './object-store.js';
import { opfsObjectStore } from './opfs-object-store.js';

/** Options of {@link browserObjectStore}. */
export interface BrowserObjectStoreOptions extends IndexedDbObjectStoreImplementation {
  /** Where to keep objects: 'opfs', 'indexeddb', or (default) 'auto': OPFS where the browser has it, else IndexedDB. */
  readonly backend?: 'auto' | 'opfs' | 'indexeddb';
}

/** A browser object store; `backend()` says which storage it chose. */
export interface BrowserObjectStore extends ObjectStore {
  /** 'opfs' or 'indexeddb', once chosen (at the first call). */
  backend(): Promise<'opfs' | 'indexeddb'>;
}

interface StorageManagerWithDirectory {
  getDirectory?(): Promise<FileSystemDirectoryHandle>;
}

/**
 * An object store in the browser, named `name`: in the origin private file system (the directory `name`)
 * where the browser has it with writable files, else in the IndexedDB database `name`. Exports written
 * here stay on the device across reloads; imports read files a page put here (e.g. from a file picker).
 * Browsers may evict either store under storage pressure unless the page asks `navigator.storage.persist()`.
 *
 * @example
 * import { browserObjectStore } from '@magneto/backup/browser';
 * const db = new Database({ modules: [backup({ objectStores: { exports: browserObjectStore('exports') } })] });
 */
export function browserObjectStore(name: string, options: BrowserObjectStoreOptions = {}): BrowserObjectStore {
  let chosen: Promise<{ kind: 'opfs' | 'indexeddb'; store: ObjectStore }> | undefined;
  const choose = () => (chosen ??= chooseBackend(name, options));
  const store = async () => (await choose()).store;
  return {
    backend: async () => (await choose()).kind,
    put: async (key, body) => (await store()).put(key, body),
    async *get(key) {
      yield* (await store()).get(key);
    },
    async *list(prefix) {
      yield* (await store()).list(prefix);
    },
    delete: async (key) => (await store()).delete(key),
  };
}

async function chooseBackend(name: string, options: BrowserObjectStoreOptions): Promise<{ kind: 'opfs' | 'indexeddb'; store: ObjectStore }> {
  const backend = options.backend ?? 'auto';
  if (backend !== 'indexeddb') {
    const storage = (globalThis as { navigator?: { storage?: StorageManagerWithDirectory } }).navigator?.storage;
    // Safari had OPFS long before writable files outside workers: without createWritable, IndexedDB serves.
    const fileHandle = (globalThis as { FileSystemFileHandle?: { prototype: object } }).FileSystemFileHandle;
    const writable = fileHandle !== undefined && 'createWritable' in fileHandle.prototype;
    if (storage?.getDirectory !== undefined && writable) {
      const root = await storage.getDirectory();
      return { kind: 'opfs', store: opfsObjectStore(root.getDirectoryHandle(name, { create: true })) };
    }
    if (backend === 'opfs') throw new Error('The origin private file system (with writable files) is not available here');
  }
  return { kind: 'indexeddb', store: indexedDbObjectStore(name, options) };
}
