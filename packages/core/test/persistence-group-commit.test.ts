/**
 * When a write's promise resolves under each durability policy, over a LogDevice held in memory whose
 * appends and syncs complete only when the test says so: strict waits for the sync of its record and
 * concurrent writers share one (group commit); batched and none wait for nothing (batched syncs on
 * an interval); reads wait as persistence-read-fence.test.ts tells. Also the store's behaviour on an I/O failure.
 */
import { describe, expect, it, vi } from 'vitest';
import { Database, StoreFailedError, durableStorage } from '@magneto/core';
import { GatedDevice } from './support/gated-device.js';
import { attributes, keys } from './support/tables.js';

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
