import type { LogAppender, LogDevice } from '../persistence/log-device.js';
import { onResult, openDatabase, transact } from './idb-transaction.js';
import { acquireStoreLock } from './store-lock.js';

/**
 * A LogDevice over one IndexedDB database, for browsers. Two object stores: `files` maps a file name
 * to the id of its contents, and `chunks` holds the contents as rows keyed `[id, seq]`, one row per
 * append or per chunk of a file written whole. So an append is one small transaction (no rewrite of
 * what is there), a file reads back with one `getAll`, and a rename or an atomic replace is a change
 * of one `files` entry. Durability: under `durableWrites` (the `strict` policy) every append commits
 * with `durability: 'strict'` (the browser flushes it to disk before `oncomplete`); otherwise appends
 * commit `relaxed` and `sync` commits one small strict transaction: transactions on a store commit
 * in order to one sequential log (Chromium's LevelDB or SQLite backing store), so flushing it flushes
 * the writes before it too.
 *
 * One owner at a time (see store-lock.ts): `lock()` takes the Web Lock named after the database, then
 * opens it; a second tab gets StoreLockedError.
 *
 * Browsers may evict an origin's IndexedDB under storage pressure unless the page has asked for
 * persistent storage (`await navigator.storage.persist()`): an app whose data matters should ask.
 *
 * @example
 * // indexedDbStorage(name) wraps it; use the device directly to add your own wrapper:
 * const db = new Database({ storage: durableStorage(new IndexedDbLogDevice('my-app'), { kind: 'indexeddb' }) });
 */
export class IndexedDbLogDevice implements LogDevice {
  readonly location: string;
  private db: IDBDatabase | undefined;
  private release: (() => void) | undefined;
  private nextId = 1;

  private readonly factory: IDBFactory | undefined;
  private readonly keyRange: typeof IDBKeyRange | undefined;

  constructor(
    /** The IndexedDB database's name. */
    readonly name: string,
    /** Another IndexedDB implementation (e.g. fake-indexeddb's): its factory and its IDBKeyRange. Default: the global ones. */
    implementation: IndexedDbImplementation = {},
  ) {
    const globals = globalThis as { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange };
    this.factory = implementation.indexedDB ?? globals.indexedDB;
    this.keyRange = implementation.IDBKeyRange ?? globals.IDBKeyRange;
    this.location = `indexeddb:${name}`;
  }

  async lock(): Promise<void> {
    const factory = this.factory;
    if (factory === undefined || this.keyRange === undefined) throw new Error(`IndexedDB is not available here: pass options.indexedDB (an IDBFactory) and options.IDBKeyRange to open ${this.location}`);
    this.release = await acquireStoreLock(factory, this.name, this.location);
    try {
      this.db = await openDatabase(factory, this.name);
      // New contents get ids above every id in use (including leftovers of an interrupted write).
      this.nextId = await transact(this.db, 'readonly', 'relaxed', (files, chunks) => {
        let max = 0;
        onResult(chunks.openKeyCursor(null, 'prev'), (cursor) => {
          if (cursor) max = Math.max(max, (cursor.key as [number, number])[0]);
        });
        onResult(files.getAll(), (entries: FileEntry[]) => {
          for (const entry of entries) max = Math.max(max, entry.id);
        });
        return () => max + 1;
      });
    } catch (error) {
      this.db?.close();
      this.db = undefined;
      this.release();
      this.release = undefined;
      throw error;
    }
  }

  async unlock(): Promise<void> {
    this.db?.close();
    this.db = undefined;
    this.release?.();
    this.release = undefined;
  }

  list(): Promise<string[]> {
    return transact(this.open(), 'readonly', 'relaxed', (files) => {
      let names: string[] = [];
      onResult(files.getAllKeys(), (keys) => (names = keys as string[]));
      return () => names;
    });
  }

  async read(name: string): Promise<Uint8Array> {
    const rows = await transact(this.open(), 'readonly', 'relaxed', (files, chunks) => {
      let rows: Uint8Array[] | undefined;
      onResult(files.get(name), (entry: FileEntry | undefined) => {
        if (entry !== undefined) onResult(chunks.getAll(this.contents(entry.id)), (values) => (rows = values as Uint8Array[]));
      });
      return () => rows;
    });
    if (rows === undefined) throw this.missing(name);
    return join(rows);
  }

  async openAppender(name: string, options: { readonly durableWrites?: boolean } = {}): Promise<LogAppender> {
    const db = this.open();
    const id = this.nextId++;
    const durability = options.durableWrites === true ? 'strict' : 'relaxed';
    await transact(db, 'readwrite', durability, (files, chunks) => {
      this.replace(files, chunks, name, id);
      return () => undefined;
    });
    let seq = 0;
    return {
      writesAreDurable: durability === 'strict',
      append: (parts) => {
        const row = seq++;
        const bytes = join(parts);
        return transact(db, 'readwrite', durability, (_files, chunks) => {
          chunks.put(bytes, [id, row]);
          return () => undefined;
        });
      },
      // Transactions commit in order: a strict one (rewriting the empty marker row [0, 0]; contents
      // ids start at 1) resolves once everything before it is on disk.
      sync: () =>
        transact(db, 'readwrite', 'strict', (_files, chunks) => {
          chunks.put(new Uint8Array(0), [0, 0]);
          return () => undefined;
        }),
      close: async () => undefined,
    };
  }

  async writeAtomically(name: string, parts: AsyncIterable<Uint8Array>): Promise<void> {
    const db = this.open();
    const id = this.nextId++;
    // Under a `.tmp` name while written, so recovery removes what a crash left half-written.
    const temporary = `${name}.tmp`;
    await transact(db, 'readwrite', 'relaxed', (files, chunks) => {
      this.replace(files, chunks, temporary, id);
      return () => undefined;
    });
    let seq = 0;
    // One transaction per chunk: an IndexedDB transaction cannot stay open across the iterator's awaits.
    for await (const part of parts) {
      const row = seq++;
      const bytes = exact(part);
      await transact(db, 'readwrite', 'relaxed', (_files, chunks) => {
        chunks.put(bytes, [id, row]);
        return () => undefined;
      });
    }
    await transact(db, 'readwrite', 'strict', (files, chunks) => {
      files.delete(temporary);
      this.replace(files, chunks, name, id);
      return () => undefined;
    });
  }

  async truncate(name: string, length: number): Promise<void> {
    await transact(this.open(), 'readwrite', 'strict', (files, chunks) => {
      let found = false;
      onResult(files.get(name), (entry: FileEntry | undefined) => {
        if (entry === undefined) return;
        found = true;
        let offset = 0;
        onResult(chunks.openCursor(this.contents(entry.id)), (cursor) => {
          if (!cursor) return;
          const bytes = cursor.value as Uint8Array;
          if (offset >= length) cursor.delete();
          else if (offset + bytes.length > length) cursor.update(bytes.slice(0, length - offset));
          offset += bytes.length;
          cursor.continue();
        });
      });
      return () => {
        if (!found) throw this.missing(name);
      };
    });
  }

  async rename(from: string, to: string): Promise<void> {
    await transact(this.open(), 'readwrite', 'strict', (files, chunks) => {
      let found = false;
      onResult(files.get(from), (entry: FileEntry | undefined) => {
        if (entry === undefined) return;
        found = true;
        files.delete(from);
        this.replace(files, chunks, to, entry.id);
      });
      return () => {
        if (!found) throw this.missing(from);
      };
    });
  }

  async remove(name: string): Promise<void> {
    await transact(this.open(), 'readwrite', 'strict', (files, chunks) => {
      onResult(files.get(name), (entry: FileEntry | undefined) => {
        if (entry === undefined) return;
        files.delete(name);
        chunks.delete(this.contents(entry.id));
      });
      return () => undefined;
    });
  }

  /** Every chunk row of the contents `id`. */
  private contents(id: number): IDBKeyRange {
    return this.keyRange!.bound([id, 0], [id, Infinity]);
  }

  /** Points `name` at the contents `id`, dropping the contents it pointed at before (in the same transaction). */
  private replace(files: IDBObjectStore, chunks: IDBObjectStore, name: string, id: number): void {
    onResult(files.get(name), (entry: FileEntry | undefined) => {
      if (entry !== undefined && entry.id !== id) chunks.delete(this.contents(entry.id));
      files.put({ id } satisfies FileEntry, name);
    });
  }

  private missing(name: string): Error {
    return Object.assign(new Error(`${this.location}: no file ${name}`), { code: 'ENOENT' });
  }

  private open(): IDBDatabase {
    if (this.db === undefined) throw new Error(`${this.location} is not open (lock() first)`);
    return this.db;
  }
}

/** An IndexedDB implementation other than the global one. */
export interface IndexedDbImplementation {
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
}

interface FileEntry {
  id: number;
}

/** A copy unless `bytes` already spans its whole buffer: a stored view would store its whole buffer. */
function exact(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return exact(parts[0]!);
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
