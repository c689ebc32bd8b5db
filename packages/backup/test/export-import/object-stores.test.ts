import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryObjectStore, type ObjectStore } from '@magneto/backup';
import { directoryObjectStore } from '../../src/node/index.js';

const root = mkdtempSync(join(tmpdir(), 'magneto-object-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const text = (s: string) => new TextEncoder().encode(s);
async function read(store: ObjectStore, key: string): Promise<string> {
  let out = '';
  const decoder = new TextDecoder();
  for await (const chunk of store.get(key)) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}
async function list(store: ObjectStore, prefix: string) {
  const out: Array<{ key: string; size: number }> = [];
  for await (const entry of store.list(prefix)) out.push({ key: entry.key, size: entry.size });
  return out;
}

let n = 0;
describe.each([
  ['memory', () => memoryObjectStore()],
  ['directory', () => directoryObjectStore(join(root, String(n++)))],
] as const)('ObjectStore (%s)', (_name, create) => {
  it('puts objects from chunks, gets them back, lists by prefix in key order, deletes them', async () => {
    const store = create();
    await store.put('AWSDynamoDB/1/data/b.json', [text('hello '), text('world')]);
    await store.put('AWSDynamoDB/1/data/a.json', (async function* () {
      yield text('first');
    })());
    await store.put('AWSDynamoDB/1/_started', []);
    await store.put('other/x', [text('x')]);
    expect(await read(store, 'AWSDynamoDB/1/data/b.json')).toBe('hello world');
    expect(await list(store, 'AWSDynamoDB/1/')).toEqual([
      { key: 'AWSDynamoDB/1/_started', size: 0 },
      { key: 'AWSDynamoDB/1/data/a.json', size: 5 },
      { key: 'AWSDynamoDB/1/data/b.json', size: 11 },
    ]);
    await store.put('AWSDynamoDB/1/data/a.json', [text('replaced')]);
    expect(await read(store, 'AWSDynamoDB/1/data/a.json')).toBe('replaced');
    await store.delete('AWSDynamoDB/1/data/a.json');
    await store.delete('never/was');
    expect((await list(store, '')).map((e) => e.key)).toEqual(['AWSDynamoDB/1/_started', 'AWSDynamoDB/1/data/b.json', 'other/x']);
  });

  it('fails to get an object that does not exist', async () => {
    await expect(read(create(), 'missing')).rejects.toThrow();
  });

  it('lists nothing under a prefix nothing has', async () => {
    expect(await list(create(), 'nothing/')).toEqual([]);
  });
});
