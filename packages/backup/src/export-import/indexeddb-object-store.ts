import { concatBytes, type ObjectStore, type ObjectSummary } from './object-store.js';

/** An IndexedDB implementation other than the global one (e.g. fake-indexeddb's in Node). */
export interface IndexedDbObjectStoreImplementation {
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
}

/** `objects` maps a key to its entry; its bytes are rows `[id, n]` of `chunks`. */
interface ObjectEntry {
  readonly id: number;
  readonly size: number;
  readonly chunkCount: number;
}

/** Bytes per stored chunk: a put writes one transaction per chunk, a get reads one. */
const CHUNK_BYTES = 1024 * 1024;
/** Keys per listing transaction (a transaction cannot stay open while the caller awaits). */
const LIST_PAGE = 1000;

/**
 * An object store in the IndexedDB database `name`. A put writes its bytes as 1 MiB chunk rows under a
 * fresh id, one transaction each (memory holds one chunk), then points the key at them in one last
 * transaction that also drops the object it replaces, so a reader sees the old object or the new one
 * whole. A get reads one chunk per transaction; a listing reads the keys in pages of 1,000.
 */
export function indexedDbObjectStore(name: string, implementation: IndexedDbObjectStoreImplementation = {}): ObjectStore {
  const globals = globalThis as { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange };
  const factory = implementation.indexedDB ?? globals.indexedDB;
  const keyRange = implementation.IDBKeyRange ?? globals.IDBKeyRange;
  let opened: Promise<IDBDatabase> | undefined;
  const database = (): Promise<IDBDatabase> => {
    if (factory === undefined || keyRange === undefined) return Promise.reject(new Error(`IndexedDB is not available here: pass { indexedDB, IDBKeyRange } to open the object store ${name}`));
    return (opened ??= open(factory, name));
  };
  /** Every chunk row of an object, with the row reserving its id. */
  const chunksOf = (id: number) => keyRange!.bound([id, -1], [id, Infinity]);

  return {
    async put(key, body) {
      const db = await database();
      const id = await nextId(db);
      let size = 0;
      let chunkCount = 0;
      const store = async (bytes: Uint8Array) => {
        const n = chunkCount++;
        await transact(db, 'readwrite', ({ chunks }) => request(chunks.put(bytes, [id, n])));
      };
      try {
        let pending: Uint8Array[] = [];
        let pendingBytes = 0;
        for await (const chunk of body) {
          pending.push(chunk.slice());
          pendingBytes += chunk.length;
          size += chunk.length;
          if (pendingBytes >= CHUNK_BYTES) {
            await store(concatBytes(pending));
            pending = [];
            pendingBytes = 0;
          }
        }
        if (pendingBytes > 0) await store(concatBytes(pending));
        await transact(db, 'readwrite', async ({ objects, chunks }) => {
          const previous = (await request(objects.get(key))) as ObjectEntry | undefined;
          if (previous !== undefined) await request(chunks.delete(chunksOf(previous.id)));
          await request(objects.put({ id, size, chunkCount } satisfies ObjectEntry, key));
        });
      } catch (error) {
        await transact(db, 'readwrite', ({ chunks }) => request(chunks.delete(chunksOf(id)))).catch(() => undefined);
        throw error;
      }
    },
    async *get(key) {
      const db = await database();
      const entry = await transact(db, 'readonly', ({ objects }) => request(objects.get(key)) as Promise<ObjectEntry | undefined>);
      if (entry === undefined) throw new Error(`NoSuchKey: ${key}`);
      for (let n = 0; n < entry.chunkCount; n++) {
        const bytes = await transact(db, 'readonly', ({ chunks }) => request(chunks.get([entry.id, n])) as Promise<Uint8Array | undefined>);
        // The object was replaced or deleted while being read.
        if (bytes === undefined) throw new Error(`NoSuchKey: ${key} changed while it was read`);
        yield bytes;
      }
    },
    async *list(prefix): AsyncIterable<ObjectSummary> {
      const db = await database();
      let after: string | undefined;
      for (;;) {
        const page = await transact(db, 'readonly', ({ objects }) => {
          const range = after === undefined ? keyRange!.lowerBound(prefix) : keyRange!.lowerBound(after, true);
          return new Promise<ObjectSummary[]>((resolve, reject) => {
            const out: ObjectSummary[] = [];
            const cursor = objects.openCursor(range);
            cursor.onerror = () => reject(cursor.error);
            cursor.onsuccess = () => {
              const at = cursor.result;
              if (at === null || out.length === LIST_PAGE || !(at.key as string).startsWith(prefix)) return resolve(out);
              out.push({ key: at.key as string, size: (at.value as ObjectEntry).size });
              at.continue();
            };
          });
        });
        yield* page;
        if (page.length < LIST_PAGE) return;
        after = page.at(-1)!.key;
      }
    },
    async delete(key) {
      const db = await database();
      await transact(db, 'readwrite', async ({ objects, chunks }) => {
        const entry = (await request(objects.get(key))) as ObjectEntry | undefined;
        if (entry === undefined) return;
        await request(chunks.delete(chunksOf(entry.id)));
        await request(objects.delete(key));
      });
    },
  };
}

/** A fresh object id, reserved: one above the largest id of a chunk row (unique among every put, finished or not). */
async function nextId(db: IDBDatabase): Promise<number> {
  return transact(db, 'readwrite', async ({ chunks }) => {
    const cursor = await request(chunks.openKeyCursor(null, 'prev'));
    const id = cursor === null ? 1 : (cursor.key as [number, number])[0] + 1;
    // Reserve it: a row the put later replaces with its chunks (deleted with them).
    await request(chunks.put(new Uint8Array(0), [id, -1]));
    return id;
  });
}

function open(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const opening = factory.open(name, 1);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains('objects')) db.createObjectStore('objects');
      if (!db.objectStoreNames.contains('chunks')) db.createObjectStore('chunks');
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error ?? new Error(`Cannot open the IndexedDB database ${name}`));
    opening.onblocked = () => reject(new Error(`The IndexedDB database ${name} is being upgraded or deleted by another connection`));
  });
}

/**
 * Runs `body` in one transaction over both stores; resolves with its result once the transaction has
 * committed. `body` must only await requests of this transaction (anything else lets it commit early).
 */
function transact<T>(db: IDBDatabase, mode: IDBTransactionMode, body: (stores: { objects: IDBObjectStore; chunks: IDBObjectStore }) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(['objects', 'chunks'], mode);
    let result: T;
    transaction.oncomplete = () => resolve(result);
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    body({ objects: transaction.objectStore('objects'), chunks: transaction.objectStore('chunks') }).then(
      (value) => {
        result = value;
      },
      (error: unknown) => {
        transaction.abort();
        reject(error);
      },
    );
  });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
