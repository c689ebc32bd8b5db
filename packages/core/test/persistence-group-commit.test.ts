/**
 * When a write's promise resolves under each durability policy, over a LogDevice held in memory whose
 * appends and syncs complete only when the test says so: strict waits for the sync of its record and
 * concurrent writers share one (group commit); batched and none wait for nothing (batched syncs on
 * an interval); reads never wait. Also the store's behaviour on an I/O failure.
 */
import { describe, expect, it, vi } from 'vitest';
import { Database, StoreFailedError, durableStorage, type LogAppender, type LogDevice } from '@magneto/core';
import { attributes, keys } from './support/tables.js';

/** A LogDevice in memory; each append and sync waits in `pending` until released. */
class GatedDevice implements LogDevice {
  readonly location = 'memory://gated';
  readonly files = new Map<string, Uint8Array[]>();
  readonly pending: Array<{ kind: 'append' | 'sync'; release: () => void }> = [];
  appends = 0;
  syncs = 0;
  gated = false;
  failNext: Error | undefined;

  private gate(kind: 'append' | 'sync'): Promise<void> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      return Promise.reject(error);
    }
    if (!this.gated) return Promise.resolve();
    return new Promise((resolve) => this.pending.push({ kind, release: resolve }));
  }

  /** Completes every gated append and sync so far, then lets the store move on. */
  async releaseAll(): Promise<void> {
    for (const entry of this.pending.splice(0)) entry.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  async lock(): Promise<void> {}
  async unlock(): Promise<void> {}
  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
  async read(name: string): Promise<Uint8Array> {
    const chunks = this.files.get(name) ?? [];
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
  async openAppender(name: string): Promise<LogAppender> {
    const chunks: Uint8Array[] = [];
    this.files.set(name, chunks);
    return {
      writesAreDurable: false,
      append: async (data) => {
        this.appends++;
        await this.gate('append');
        chunks.push(...data.map((c) => c.slice()));
      },
      sync: async () => {
        this.syncs++;
        await this.gate('sync');
      },
      close: async () => {},
    };
  }
  async writeAtomically(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const out: Uint8Array[] = [];
    for await (const chunk of chunks) out.push(chunk.slice());
    this.files.set(name, out);
  }
  async truncate(name: string, length: number): Promise<void> {
    this.files.set(name, [(await this.read(name)).slice(0, length)]);
  }
  async rename(from: string, to: string): Promise<void> {
    this.files.set(to, this.files.get(from)!);
    this.files.delete(from);
  }
  async remove(name: string): Promise<void> {
    this.files.delete(name);
  }
}

const TABLE = { TableName: 'things', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' as const };

async function openOn(device: GatedDevice, durability: 'strict' | 'batched' | 'none', syncIntervalMs = 1_000_000): Promise<Database> {
  const db = new Database({ storage: durableStorage(device, { durability, syncIntervalMs }) });
  await db.createTable(TABLE);
  device.gated = true;
  return db;
}

/** Tracks whether a promise has settled. */
function track<T>(promise: Promise<T>): { done: boolean; promise: Promise<T> } {
  const state = { done: false, promise };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('durability policies over a gated device', () => {
  it('strict: writes resolve only after the sync covering them; concurrent writes share one append and one sync', async () => {
    const device = new GatedDevice();
    const db = await openOn(device, 'strict');
    const [appendsBefore, syncsBefore] = [device.appends, device.syncs];
    const writes = Array.from({ length: 5 }, (_, i) => track(db.putItem({ TableName: 'things', Item: { id: { S: `k${i}` } } })));
    // Visible at once to reads, which do not wait.
    expect((await db.getItem({ TableName: 'things', Key: { id: { S: 'k3' } } })).Item).toEqual({ id: { S: 'k3' } });
    await tick();
    expect(device.appends - appendsBefore).toBe(1);
    expect(writes.some((w) => w.done)).toBe(false);
    await device.releaseAll(); // the append
    expect(device.syncs - syncsBefore).toBe(1);
    expect(writes.some((w) => w.done)).toBe(false);
    // A write arriving during the sync goes in the next group.
    const late = track(db.putItem({ TableName: 'things', Item: { id: { S: 'late' } } }));
    await device.releaseAll(); // the sync
    expect(writes.every((w) => w.done)).toBe(true);
    expect(late.done).toBe(false);
    await device.releaseAll();
    await device.releaseAll();
    expect(late.done).toBe(true);
    device.gated = false;
    await db.close();
  });

  it('strict: a write that changed nothing still waits for the writes before it', async () => {
    const device = new GatedDevice();
    const db = await openOn(device, 'strict');
    const first = track(db.putItem({ TableName: 'things', Item: { id: { S: 'same' } } }));
    const same = track(db.putItem({ TableName: 'things', Item: { id: { S: 'same' } } }));
    await tick();
    expect(first.done || same.done).toBe(false);
    await device.releaseAll();
    await device.releaseAll();
    expect(first.done && same.done).toBe(true);
    device.gated = false;
    await db.close();
  });

  it('batched: writes resolve at once, are appended in the background and synced within the interval', async () => {
    const device = new GatedDevice();
    // An interval long enough that the "not yet synced" check below cannot race it on a loaded machine.
    const db = await openOn(device, 'batched', 250);
    const syncsBefore = device.syncs;
    const appendsBefore = device.appends;
    const write = track(db.putItem({ TableName: 'things', Item: { id: { S: 'a' } } }));
    await tick();
    expect(write.done).toBe(true);
    expect(device.appends).toBe(appendsBefore + 1);
    await device.releaseAll(); // the append
    expect(device.syncs).toBe(syncsBefore);
    await vi.waitFor(() => expect(device.syncs).toBe(syncsBefore + 1), { timeout: 10_000, interval: 20 });
    device.gated = false;
    await device.releaseAll();
    await db.close();
  });

  it('none: writes resolve at once and are written in the background', async () => {
    const device = new GatedDevice();
    const db = await openOn(device, 'none');
    const write = track(db.putItem({ TableName: 'things', Item: { id: { S: 'a' } } }));
    await tick();
    expect(write.done).toBe(true);
    device.gated = false;
    await device.releaseAll();
    await db.close();
    const reopened = new Database({ storage: durableStorage(device) });
    expect((await reopened.getItem({ TableName: 'things', Key: { id: { S: 'a' } } })).Item).toEqual({ id: { S: 'a' } });
    await reopened.close();
  });

  it('an I/O failure rejects the waiting writes and every later one with StoreFailedError', async () => {
    const device = new GatedDevice();
    const db = await openOn(device, 'strict');
    device.gated = false;
    device.failNext = new Error('ENOSPC: no space left on device');
    await expect(db.putItem({ TableName: 'things', Item: { id: { S: 'a' } } })).rejects.toThrow(StoreFailedError);
    await expect(db.putItem({ TableName: 'things', Item: { id: { S: 'b' } } })).rejects.toThrow(/memory:\/\/gated are failing, so they are not durable: ENOSPC/);
    await expect(db.close()).rejects.toThrow(StoreFailedError);
  });
});
