/*
 * A plain Map model of a TableStorage for property tests (storage.test.ts, storage-rollback.test.ts): keys,
 * items, one write applied to both, and the check that the storage holds exactly the model.
 */
import { expect } from 'vitest';
import type { Item } from '../../src/model/attribute-value.js';
import { compareStorageKeys, type StorageKey } from '../../src/storage/storage-key.js';
import type { TableStorage } from '../../src/storage/table-storage.js';

/** The model: each item by its key's id, with its key. */
export type StorageModel = Map<string, [StorageKey, Item]>;

/** A write: a put of version `version` of the key's item, or a delete. */
export type StorageWrite = { kind: 'put'; key: StorageKey; version: number } | { kind: 'delete'; key: StorageKey };

export function key(hash: number, sortKey = 'a'): StorageKey {
  return { hash, partitionKey: `p${hash}`, sortKey };
}

export function itemFor(k: StorageKey, version = 0): Item {
  return Object.freeze({ h: { N: String(k.hash) }, s: { S: k.sortKey }, v: { N: String(version) } });
}

export const id = (k: StorageKey): string => `${k.hash}|${k.sortKey}`;

/** The storage holds exactly `model` and keeps its invariants: by point lookup, by count, and by a full iteration in key order. */
export function expectHolds(storage: TableStorage, model: ReadonlyMap<string, [StorageKey, Item]>): void {
  storage.checkInvariants();
  expect(storage.itemCount).toBe(model.size);
  for (const [k, item] of model.values()) expect(storage.get(k)).toEqual(item);
  const expected = [...model.values()].sort(([a], [b]) => compareStorageKeys(a, b));
  expect([...storage.entries()].map(([k, item]) => [id(k), item])).toEqual(expected.map(([k, item]) => [id(k), item]));
}

/** Applies `write` to the storage and the model, checking the old item the storage returns. */
export function applyWrite(storage: TableStorage, model: StorageModel, write: StorageWrite): void {
  const previous = model.get(id(write.key))?.[1];
  if (write.kind === 'put') {
    const item = itemFor(write.key, write.version);
    expect(storage.put(write.key, item)).toEqual(previous);
    model.set(id(write.key), [write.key, item]);
  } else {
    expect(storage.delete(write.key)).toEqual(previous);
    model.delete(id(write.key));
  }
}
