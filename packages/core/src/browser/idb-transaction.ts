/**
 * Promise helpers over IndexedDB's event API: a transaction resolves when it commits (for a
 * readwrite one, when its writes are stored: "sync" of the IndexedDB device), and rejects with the
 * error that aborted it.
 */

export type Durability = 'strict' | 'relaxed';

/**
 * Runs `body` in one transaction over the `files` and `chunks` stores and resolves, once the
 * transaction has committed, with what `body`'s returned getter reads (requests made in `body` set it).
 */
export function transact<T>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  durability: Durability,
  body: (files: IDBObjectStore, chunks: IDBObjectStore) => () => T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let transaction: IDBTransaction;
    try {
      transaction = db.transaction(['files', 'chunks'], mode, { durability });
    } catch (error) {
      reject(error);
      return;
    }
    let result: () => T;
    transaction.oncomplete = () => {
      try {
        resolve(result());
      } catch (error) {
        reject(error);
      }
    };
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    try {
      result = body(transaction.objectStore('files'), transaction.objectStore('chunks'));
    } catch (error) {
      transaction.abort();
      reject(error);
    }
  });
}

/** Calls `then` with a request's result once it succeeds (errors abort the transaction). */
export function onResult<T>(request: IDBRequest<T>, then: (result: T) => void): void {
  request.onsuccess = () => then(request.result);
}

/** Opens (creating or upgrading) the database named `name` with the device's two object stores. */
export function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      // files: name → { id }; chunks: [id, seq] → bytes (one row per append or written chunk).
      if (!db.objectStoreNames.contains('files')) db.createObjectStore('files');
      if (!db.objectStoreNames.contains('chunks')) db.createObjectStore('chunks');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`Cannot open IndexedDB database ${name}`));
    request.onblocked = () => reject(new Error(`IndexedDB database ${name} is being upgraded or deleted by another connection`));
  });
}
