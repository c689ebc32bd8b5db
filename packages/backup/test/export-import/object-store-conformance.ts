import { expect, it } from 'vitest';
import type { ObjectStore } from '@magneto/backup';

const text = (s: string) => new TextEncoder().encode(s);

/** An object's bytes, read chunk by chunk, as text. */
export async function readText(store: ObjectStore, key: string): Promise<string> {
  let out = '';
  const decoder = new TextDecoder();
  for await (const chunk of store.get(key)) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}

/** A listing, collected. */
export async function listed(store: ObjectStore, prefix: string): Promise<Array<{ key: string; size: number }>> {
  const out: Array<{ key: string; size: number }> = [];
  for await (const entry of store.list(prefix)) out.push({ key: entry.key, size: entry.size });
  return out;
}

/** The behaviour every ObjectStore adapter shares (call inside a describe; `create` gives an empty store). */
export function objectStoreConformance(create: () => ObjectStore | Promise<ObjectStore>): void {
  it('puts objects from chunks, gets them back, lists by prefix in key order, deletes them', async () => {
    const store = await create();
    await store.put('AWSDynamoDB/1/data/b.json', [text('hello '), text('world')]);
    await store.put('AWSDynamoDB/1/data/a.json', (async function* () {
      yield text('first');
    })());
    await store.put('AWSDynamoDB/1/_started', []);
    await store.put('other/x', [text('x')]);
    expect(await readText(store, 'AWSDynamoDB/1/data/b.json')).toBe('hello world');
    expect(await readText(store, 'AWSDynamoDB/1/_started')).toBe('');
    expect(await listed(store, 'AWSDynamoDB/1/')).toEqual([
      { key: 'AWSDynamoDB/1/_started', size: 0 },
      { key: 'AWSDynamoDB/1/data/a.json', size: 5 },
      { key: 'AWSDynamoDB/1/data/b.json', size: 11 },
    ]);
    await store.put('AWSDynamoDB/1/data/a.json', [text('replaced')]);
    expect(await readText(store, 'AWSDynamoDB/1/data/a.json')).toBe('replaced');
    await store.delete('AWSDynamoDB/1/data/a.json');
    await store.delete('never/was');
    expect((await listed(store, '')).map((e) => e.key)).toEqual(['AWSDynamoDB/1/_started', 'AWSDynamoDB/1/data/b.json', 'other/x']);
  });

  it('fails to get an object that does not exist', async () => {
    await expect(readText(await create(), 'missing')).rejects.toThrow();
  });

  it('lists nothing under a prefix nothing has', async () => {
    expect(await listed(await create(), 'nothing/')).toEqual([]);
  });
}
