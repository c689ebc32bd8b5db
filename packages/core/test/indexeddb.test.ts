/**
 * The IndexedDB LogDevice under fake-indexeddb (a fresh IDBFactory per test): a model-based test of
 * every device operation against a plain map of files (reopened at random points), the in-process
 * lock used where the Web Locks API is missing, what an interrupted whole-file write leaves (removed by
 * recovery, no orphaned rows), and a database snapshotting and truncating its log on IndexedDB.
 */
import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Database, IndexedDbLogDevice, StoreLockedError, indexedDbStorage, type LogAppender } from '../src/index.js';

const things = { TableName: 'things', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' as const }], BillingMode: 'PAY_PER_REQUEST' as const };

function fresh(): { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange } {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

async function* from(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/** Rows in the `chunks` object store, counted directly. */
function countRows(factory: IDBFactory, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name);
    request.onsuccess = () => {
      const db = request.result;
      const count = db.transaction('chunks').objectStore('chunks').count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
    };
    request.onerror = () => reject(request.error);
  });
}

describe('IndexedDB device', () => {
  it('behaves as a map of files under random appends, whole writes, cuts, renames and removals, reopened at random', async () => {
    const names = ['a', 'b', 'c'];
    const name = fc.constantFrom(...names);
    const bytes = fc.uint8Array({ maxLength: 24 });
    const step = fc.oneof(
      fc.record({ op: fc.constant('create' as const), name }),
      fc.record({ op: fc.constant('append' as const), name, chunks: fc.array(bytes, { minLength: 1, maxLength: 3 }) }),
      fc.record({ op: fc.constant('sync' as const), name }),
      fc.record({ op: fc.constant('write' as const), name, chunks: fc.array(bytes, { maxLength: 3 }) }),
      fc.record({ op: fc.constant('truncate' as const), name, at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ op: fc.constant('rename' as const), from: name, to: name }),
      fc.record({ op: fc.constant('remove' as const), name }),
      fc.record({ op: fc.constant('reopen' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const implementation = fresh();
        let device = new IndexedDbLogDevice('model', implementation);
        await device.lock();
        const model = new Map<string, Uint8Array>();
        const appenders = new Map<string, LogAppender>();
        for (const s of steps) {
          switch (s.op) {
            case 'create':
              appenders.set(s.name, await device.openAppender(s.name, { durableWrites: s.name === 'a' }));
              model.set(s.name, new Uint8Array(0));
              break;
            case 'append': {
              const appender = appenders.get(s.name);
              if (appender === undefined) break;
              await appender.append(s.chunks);
              model.set(s.name, concat([model.get(s.name)!, ...s.chunks]));
              break;
            }
            case 'sync':
              await appenders.get(s.name)?.sync();
              break;
            case 'write':
              appenders.delete(s.name);
              await device.writeAtomically(s.name, from(s.chunks));
              model.set(s.name, concat(s.chunks));
              break;
            case 'truncate': {
              const current = model.get(s.name);
              if (current === undefined) {
                await expect(device.truncate(s.name, 0)).rejects.toThrow(`indexeddb:model: no file ${s.name}`);
                break;
              }
              appenders.delete(s.name);
              const length = Math.floor(s.at * current.length);
              await device.truncate(s.name, length);
              model.set(s.name, current.slice(0, length));
              break;
            }
            case 'rename': {
              const current = model.get(s.from);
              if (current === undefined || s.from === s.to) break;
              appenders.delete(s.from);
              appenders.delete(s.to);
              await device.rename(s.from, s.to);
              model.delete(s.from);
              model.set(s.to, current);
              break;
            }
            case 'remove':
              appenders.delete(s.name);
              await device.remove(s.name);
              model.delete(s.name);
              break;
            case 'reopen':
              appenders.clear();
              await device.unlock();
              device = new IndexedDbLogDevice('model', implementation);
              await device.lock();
              break;
          }
          expect((await device.list()).sort()).toEqual([...model.keys()].sort());
          for (const [file, content] of model) expect(await device.read(file)).toEqual(content);
        }
        await device.unlock();
      }),
      { numRuns: 40 },
    );
  });

  it('has one owner per store without Web Locks: an in-process registry per IDBFactory', async () => {
    expect((globalThis as { navigator?: { locks?: unknown } }).navigator?.locks).toBeUndefined();
    const implementation = fresh();
    const first = new IndexedDbLogDevice('shop', implementation);
    await first.lock();
    const second = new IndexedDbLogDevice('shop', implementation);
    const error = await second.lock().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as StoreLockedError).message).toMatch(/^indexeddb:shop is already open in this process \(another Database holds it; without the Web Locks API/);
    // Another store of the same factory, and the same name in another factory, are not locked.
    const other = new IndexedDbLogDevice('other', implementation);
    await other.lock();
    const elsewhere = new IndexedDbLogDevice('shop', fresh());
    await elsewhere.lock();
    await first.unlock();
    await second.lock();
    for (const device of [second, other, elsewhere]) await device.unlock();
  });

  it('leaves no rows behind a whole-file write cut short: the .tmp file is removed by recovery', async () => {
    const implementation = fresh();
    const device = new IndexedDbLogDevice('interrupted', implementation);
    await device.lock();
    const failing = (async function* () {
      yield new Uint8Array(100);
      yield new Uint8Array(100);
      throw new Error('crash while writing a snapshot');
    })();
    await expect(device.writeAtomically('snapshot-0000000000000005.snap', failing)).rejects.toThrow('crash while writing');
    expect(await device.list()).toEqual(['snapshot-0000000000000005.snap.tmp']);
    await device.unlock();
    const db = new Database({ storage: indexedDbStorage('interrupted', implementation) });
    await db.open();
    expect(db.recoveryReport?.damage).toEqual([]);
    await db.close();
    const check = new IndexedDbLogDevice('interrupted', implementation);
    await check.lock();
    expect((await check.list()).filter((f) => f.includes('.tmp'))).toEqual([]);
    await check.unlock();
    // Only the new log segment's rows (its header, plus the sync marker) remain.
    expect(await countRows(implementation.indexedDB, 'interrupted')).toBeLessThanOrEqual(3);
  });

  it('snapshots and truncates the log of a database on IndexedDB, and recovers the same items', async () => {
    const implementation = fresh();
    const storage = () => indexedDbStorage('busy', { ...implementation, snapshotLogBytes: 8 * 1024 });
    const db = new Database({ storage: storage() });
    await db.createTable(things);
    for (let i = 0; i < 400; i++) await db.putItem({ TableName: 'things', Item: { id: { N: String(i) }, text: { S: `item ${i} `.repeat(4) } } });
    for (let i = 0; i < 400; i += 3) await db.deleteItem({ TableName: 'things', Key: { id: { N: String(i) } } });
    await db.close();
    const device = new IndexedDbLogDevice('busy', implementation);
    await device.lock();
    const files = await device.list();
    await device.unlock();
    expect(files.filter((f) => f.endsWith('.snap')).length).toBeGreaterThanOrEqual(1);
    expect(files.filter((f) => f.endsWith('.snap')).length).toBeLessThanOrEqual(2);
    const reopened = new Database({ storage: storage() });
    await reopened.open();
    expect(reopened.recoveryReport?.snapshot).toMatch(/^snapshot-/);
    expect(reopened.recoveryReport?.items).toBe(400 - 134);
    expect((await reopened.scan({ TableName: 'things', Select: 'COUNT' })).Count).toBe(266);
    await reopened.close();
  });

  it('says what to pass when there is no IndexedDB (Node without an implementation)', async () => {
    const db = new Database({ storage: indexedDbStorage('nowhere') });
    await expect(db.open()).rejects.toThrow('IndexedDB is not available here: pass options.indexedDB (an IDBFactory) and options.IDBKeyRange to open indexeddb:nowhere');
  });
});
