/**
 * TableStorage.loadFork: a writable O(1) fork of a storage (live or snapshot) — what a restore loads a
 * backup with. Writes to the fork and to the original never show in each other, whatever their
 * interleaving, partition splits and later snapshots of either; each keeps its invariants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Item } from '../src/model/attribute-value.js';
import { compareStorageKeys, type StorageKey } from '../src/storage/storage-key.js';
import { TableStorage } from '../src/storage/table-storage.js';

const key = (hash: number, sortKey: string): StorageKey => ({ hash, partitionKey: `p${hash}`, sortKey });
const id = (k: StorageKey): string => `${k.hash}|${k.sortKey}`;
const itemFor = (k: StorageKey, version: number): Item => Object.freeze({ h: { N: String(k.hash) }, s: { S: k.sortKey }, v: { N: String(version) } });

type Model = Map<string, [StorageKey, Item]>;
type Op = { side: 'original' | 'fork'; kind: 'put' | 'delete' | 'snapshot'; key: StorageKey; version: number };

const keyArb = fc.tuple(fc.constantFrom(0, 1, 2, 100, 5000, 65536, 8388608, 12_000_000, 16_777_215), fc.constantFrom('a', 'b', 'c', 'd')).map(([h, s]) => key(h, s));
const opArb: fc.Arbitrary<Op> = fc.record({
  side: fc.constantFrom('original' as const, 'fork' as const),
  kind: fc.constantFrom('put' as const, 'put' as const, 'put' as const, 'delete' as const, 'snapshot' as const),
  key: keyArb,
  version: fc.nat(9),
});

function apply(storage: TableStorage, model: Model, op: Op): void {
  const previous = model.get(id(op.key))?.[1];
  if (op.kind === 'put') {
    const item = itemFor(op.key, op.version);
    expect(storage.put(op.key, item)).toEqual(previous);
    model.set(id(op.key), [op.key, item]);
  } else if (op.kind === 'delete') {
    expect(storage.delete(op.key)).toEqual(previous);
    model.delete(id(op.key));
  } else {
    storage.snapshot();
  }
}

function expectHolds(storage: TableStorage, model: Model): void {
  storage.checkInvariants();
  expect(storage.itemCount).toBe(model.size);
  for (const [k, item] of model.values()) expect(storage.get(k)).toEqual(item);
  const expected = [...model.values()].sort(([a], [b]) => compareStorageKeys(a, b));
  expect([...storage.entries()].map(([k, item]) => [id(k), item])).toEqual(expected.map(([k, item]) => [id(k), item]));
}

describe('TableStorage.loadFork', () => {
  it('gives a fork whose writes and the original\'s never show in each other (forked from the live storage or a snapshot)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(opArb, { maxLength: 80 }), fc.boolean(), fc.constantFrom(4, 8), (before, after, fromSnapshot, maxNodeSize) => {
        const options = { maxNodeSize, partitionSplitItems: 6 };
        const original = new TableStorage(options);
        const originalModel: Model = new Map();
        for (const op of before) apply(original, originalModel, { ...op, kind: op.kind === 'snapshot' ? 'put' : op.kind });
        const fork = new TableStorage(options);
        const source = fromSnapshot ? original.snapshot() : original;
        const frozen = fromSnapshot ? [...source.entries()] : [];
        fork.loadFork(source);
        const forkModel: Model = new Map(originalModel);
        expect(fork.itemCount).toBe(originalModel.size); // before its primary-key map exists
        expect(fork.sizeBytes).toBe(original.sizeBytes);
        for (const op of after) apply(op.side === 'fork' ? fork : original, op.side === 'fork' ? forkModel : originalModel, op);
        expectHolds(original, originalModel);
        expectHolds(fork, forkModel);
        if (fromSnapshot) expect([...source.entries()]).toEqual(frozen);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a storage that holds items', () => {
    const storage = new TableStorage();
    storage.put(key(1, 'a'), itemFor(key(1, 'a'), 0));
    expect(() => storage.loadFork(new TableStorage())).toThrow('loadFork needs an empty storage');
  });
});
