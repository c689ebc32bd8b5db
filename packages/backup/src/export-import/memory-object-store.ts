import { collect, concatBytes, type ObjectStore, type ObjectSummary } from './object-store.js';

/** An object store held in memory (tests, the browser without persistence). Listing sorts its keys: O(n log n). */
export interface MemoryObjectStore extends ObjectStore {
  /** The stored objects' keys and bytes (read-only; tests inspect exports through it). */
  readonly objects: ReadonlyMap<string, Uint8Array>;
}

/**
 * An object store in memory.
 *
 * @example
 * const bucket = memoryObjectStore();
 * const db = new Database({ modules: [backup({ objectStores: { 'my-bucket': bucket } })] });
 */
export function memoryObjectStore(): MemoryObjectStore {
  const objects = new Map<string, Uint8Array>();
  return {
    objects,
    async put(key, body) {
      objects.set(key, concatBytes(await collect(body)));
    },
    async *get(key) {
      const bytes = objects.get(key);
      if (bytes === undefined) throw new Error(`NoSuchKey: ${key}`);
      yield bytes;
    },
    async *list(prefix): AsyncIterable<ObjectSummary> {
      const keys = [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
      for (const key of keys) {
        const bytes = objects.get(key);
        if (bytes !== undefined) yield { key, size: bytes.length };
      }
    },
    async delete(key) {
      objects.delete(key);
    },
  };
}
