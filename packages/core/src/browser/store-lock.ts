import { StoreLockedError } from '../persistence/log-device.js';

/**
 * The single-owner lock of an IndexedDB store. In browsers: a Web Lock (`navigator.locks`) named after
 * the database, requested with `ifAvailable` and held until released, so it is shared by every tab,
 * window and worker of the origin and freed by the browser when its holder's page goes away. Where
 * the Web Locks API is missing (Node with fake-indexeddb, old browsers) an in-process registry per
 * IDBFactory stands in: it keeps two databases of one process apart, not two processes.
 */

const inProcess = new WeakMap<object, Set<string>>();

interface WebLocks {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
  query?(): Promise<{ held?: Array<{ name?: string; clientId?: string; mode?: string }> }>;
}

function webLocks(): WebLocks | undefined {
  const navigator = (globalThis as { navigator?: { locks?: WebLocks } }).navigator;
  return navigator?.locks;
}

/** Takes the lock of store `name` (of `factory`); resolves with its release, or rejects with StoreLockedError. */
export async function acquireStoreLock(factory: object, name: string, location: string): Promise<() => void> {
  const lockName = `magneto:${name}`;
  const locks = webLocks();
  if (locks === undefined) {
    let held = inProcess.get(factory);
    if (held === undefined) inProcess.set(factory, (held = new Set()));
    if (held.has(name)) {
      throw new StoreLockedError(
        `${location} is already open in this process (another Database holds it; without the Web Locks API other tabs and processes are not detected): close it first`,
        { lock: lockName, holder: 'this process' },
      );
    }
    held.add(name);
    return () => held.delete(name);
  }
  let release!: () => void;
  const releasedByUs = new Promise<void>((resolve) => (release = resolve));
  const granted = await new Promise<boolean>((resolve, reject) => {
    locks
      .request(lockName, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        // Held until released: the callback's promise settles when the device unlocks.
        return lock === null ? undefined : releasedByUs;
      })
      .catch(reject);
  });
  if (!granted) {
    const holder = (await locks.query?.().catch(() => undefined))?.held?.find((lock) => lock.name === lockName);
    throw lockedError(location, { lock: lockName, ...(holder?.clientId === undefined ? {} : { clientId: holder.clientId }) });
  }
  return release;
}

function lockedError(location: string, holder: Record<string, unknown>): StoreLockedError {
  return new StoreLockedError(
    `${location} is open in another tab, window or worker (or another Database of this page): one owner at a time; close it there first (lock ${String(holder.lock)}${holder.clientId === undefined ? '' : `, held by client ${String(holder.clientId)}`})`,
    holder,
  );
}
