/**
 * Unit tests of storage/table-storage.ts: partition splits, the guard against endless splitting of a
 * partition held by one partition key, snapshot isolation, and the invariant checker itself.
 *
 * Keys are built by hand so the tests choose hash prefixes; each partition key string maps to exactly one
 * hash (`p<hash>`), as it does for real keys.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Item } from '../src/model/attribute-value.js';
import { HASH_SPACE } from '../src/storage/hash-prefix.js';
import { encodeStorageKey, hashOfStorageKey, type StorageKey } from '../src/storage/storage-key.js';
import { TableStorage, type StorageOptions } from '../src/storage/table-storage.js';
import { applyWrite as apply, expectHolds, itemFor, key, type StorageWrite } from './support/storage-model.js';

/** Partitions tile [0, HASH_SPACE) in order, and every item sits in the partition owning its hash. */
function expectTiling(storage: TableStorage): void {
  const partitions = storage.partitionList;
  expect(partitions[0]!.lowHash).toBe(0);
  expect(partitions.at(-1)!.highHash).toBe(HASH_SPACE);
  for (let i = 1; i < partitions.length; i++) expect(partitions[i]!.lowHash).toBe(partitions[i - 1]!.highHash);
  for (const partition of partitions) {
    for (const k of partition.items.keys()) expect(partition.owns(hashOfStorageKey(k))).toBe(true);
  }
}

/** Hash prefixes with clusters, both ends of the hash space, and neighbours of likely split points. */
const HASH_POOL = [0, 1, 2, 100, 101, 102, 5000, 65535, 65536, 1 << 20, 8388607, 8388608, 8388609, 12_000_000, HASH_SPACE - 2, HASH_SPACE - 1];
const SORT_POOL = ['a', 'b', 'c', 'd', 'e'];

type Op = StorageWrite;

const keyArb = fc
  .tuple(fc.constantFrom(...HASH_POOL), fc.constantFrom(...SORT_POOL))
  .map(([hash, sort]) => key(hash, sort));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.tuple(keyArb, fc.nat(9)).map(([k, version]): Op => ({ kind: 'put', key: k, version })), weight: 3 },
  { arbitrary: keyArb.map((k): Op => ({ kind: 'delete', key: k })), weight: 1 },
);
const optionsArb: fc.Arbitrary<StorageOptions> = fc.record({
  maxNodeSize: fc.constantFrom(4, 5, 8),
  partitionSplitItems: fc.constantFrom(1, 2, 4, 8),
});

describe('partition splits', () => {
  it('keep every item reachable by lookup and iteration, with invariants valid after every put and delete', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(opArb, { maxLength: 150 }), (options, ops) => {
        const storage = new TableStorage(options);
        const model = new Map<string, [StorageKey, Item]>();
        for (const op of ops) {
          apply(storage, model, op);
          storage.checkInvariants();
        }
        expectHolds(storage, model);
        expectTiling(storage);
      }),
      { numRuns: 150 },
    );
  });

  it('cut a full partition at the hash prefix of one of its items, leaving items on both sides', () => {
    const storage = new TableStorage({ partitionSplitItems: 4, maxNodeSize: 4 });
    const hashes = [10, 20, 30, 40, 50];
    for (const h of hashes) storage.put(key(h), itemFor(key(h)));
    expect(storage.partitionCount).toBe(2);
    const [left, right] = storage.partitionList;
    expect(hashes).toContain(left!.highHash);
    expect(left!.items.size).toBeGreaterThan(0);
    expect(right!.items.size).toBeGreaterThan(0);
    expect(left!.items.size + right!.items.size).toBe(5);
    expectTiling(storage);
    storage.checkInvariants();
  });

  it('place a key whose hash equals a split point in the upper partition, and the one just below it in the lower', () => {
    const storage = new TableStorage({ partitionSplitItems: 4, maxNodeSize: 4 });
    for (const h of [10, 20, 30, 40, 50]) storage.put(key(h), itemFor(key(h)));
    const split = storage.partitionList[1]!.lowHash;
    const at = key(split, 'z');
    const below = key(split - 1);
    storage.put(at, itemFor(at));
    storage.put(below, itemFor(below));
    storage.checkInvariants();
    expect(storage.partitionList[1]!.items.has(encodeStorageKey(at))).toBe(true);
    expect(storage.partitionList[0]!.items.has(encodeStorageKey(below))).toBe(true);
    expect(storage.get(at)).toEqual(itemFor(at));
    expect(storage.get(below)).toEqual(itemFor(below));
  });

  it('do not happen for overwrites: only new items grow a partition', () => {
    const storage = new TableStorage({ partitionSplitItems: 2 });
    storage.put(key(1), itemFor(key(1)));
    storage.put(key(2), itemFor(key(2)));
    for (let v = 0; v < 10; v++) storage.put(key(2), itemFor(key(2), v));
    expect(storage.partitionCount).toBe(1);
    expect(storage.itemCount).toBe(2);
    storage.checkInvariants();
  });
});

describe('a partition held by one partition key', () => {
  it('does not split endlessly: split attempts grow logarithmically with its size, and it stays one valid partition', () => {
    const proto = TableStorage.prototype as unknown as { medianHash(partition: unknown): number | undefined };
    const attempts = vi.spyOn(proto, 'medianHash');
    try {
      const storage = new TableStorage({ partitionSplitItems: 4, maxNodeSize: 4 });
      for (let i = 0; i < 2000; i++) {
        const k = key(777, `s${String(i).padStart(5, '0')}`);
        storage.put(k, itemFor(k));
      }
      expect(storage.partitionCount).toBe(1);
      expect(storage.itemCount).toBe(2000);
      storage.checkInvariants();
      // One attempt when it first overflows, then one per doubling: 5, 10, 20, … 1280 → 9 attempts.
      expect(attempts.mock.calls.length).toBeGreaterThan(0);
      expect(attempts.mock.calls.length).toBeLessThanOrEqual(Math.ceil(Math.log2(2000 / 4)) + 1);
    } finally {
      attempts.mockRestore();
    }
  });

  it('still splits off other partition keys once it has grown past its retry floor', () => {
    const storage = new TableStorage({ partitionSplitItems: 4, maxNodeSize: 4 });
    const heavy = Array.from({ length: 6 }, (_, i) => key(5000, `s${i}`));
    for (const k of heavy) storage.put(k, itemFor(k));
    expect(storage.partitionCount).toBe(1);
    for (let h = 0; h < 12; h++) storage.put(key(h * 1000 + 7), itemFor(key(h * 1000 + 7)));
    expect(storage.partitionCount).toBeGreaterThan(1);
    storage.checkInvariants();
    expectTiling(storage);
    // The heavy key's items are never cut apart: a split point is always a whole hash prefix.
    const holders = storage.partitionList.filter((p) => heavy.some((k) => p.items.has(encodeStorageKey(k))));
    expect(holders).toHaveLength(1);
    for (const k of heavy) expect(storage.get(k)).toEqual(itemFor(k));
  });
});

describe('snapshots', () => {
  it('are unaffected by later puts, overwrites, deletes and partition splits', () => {
    fc.assert(
      fc.property(
        optionsArb,
        fc.array(opArb, { maxLength: 60 }),
        fc.array(opArb, { maxLength: 100 }),
        (options, before, after) => {
          const storage = new TableStorage(options);
          const model = new Map<string, [StorageKey, Item]>();
          for (const op of before) apply(storage, model, op);
          const snapshot = storage.snapshot();
          const frozen = new Map(model);
          const partitionsAtSnapshot = storage.partitionCount;
          for (const op of after) apply(storage, model, op);
          // Looked at only after the writes, so a lazily built index must come from the snapshot's own items.
          expectHolds(snapshot, frozen);
          expect(snapshot.partitionCount).toBe(partitionsAtSnapshot);
          expectHolds(storage, model);
          expectTiling(storage);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('do not see an item put after them, and still see one deleted after them', () => {
    const storage = new TableStorage({ maxNodeSize: 4, partitionSplitItems: 4 });
    for (let h = 0; h < 10; h++) storage.put(key(h * 100), itemFor(key(h * 100)));
    const snapshot = storage.snapshot();
    storage.put(key(12345), itemFor(key(12345)));
    storage.delete(key(0));
    storage.put(key(100), itemFor(key(100), 1));
    expect(snapshot.get(key(12345))).toBeUndefined();
    expect(snapshot.get(key(0))).toEqual(itemFor(key(0)));
    expect(snapshot.get(key(100))).toEqual(itemFor(key(100)));
    expect(snapshot.itemCount).toBe(10);
    expect(storage.get(key(0))).toBeUndefined();
    expect(storage.get(key(100))).toEqual(itemFor(key(100), 1));
    expect(storage.itemCount).toBe(10);
    snapshot.checkInvariants();
    storage.checkInvariants();
  });
});

describe('overwrites', () => {
  it('replacing items with new, equal key objects keeps the B+ trees valid, whichever leaf position they hold', () => {
    // Regression: sorted-btree's set(key, value, true) swaps the leaf's key object but not the copies of a
    // leaf's last key in the inner nodes, which checkValid compares by identity.
    const storage = new TableStorage({ maxNodeSize: 4 });
    const model = new Map<string, [StorageKey, Item]>();
    for (let h = 0; h < 40; h++) apply(storage, model, { kind: 'put', key: key(h * 7), version: 0 });
    for (let h = 0; h < 40; h++) {
      apply(storage, model, { kind: 'put', key: key(h * 7), version: 1 });
      storage.checkInvariants();
    }
    expectHolds(storage, model);
  });
});

describe('counts and versions', () => {
  it('an overwrite keeps the item count and bumps the version; deleting a missing key changes neither', () => {
    const storage = new TableStorage();
    const k = key(42);
    expect(storage.put(k, itemFor(k, 1))).toBeUndefined();
    const version = storage.version;
    expect(storage.put(k, itemFor(k, 2))).toEqual(itemFor(k, 1));
    expect(storage.itemCount).toBe(1);
    expect(storage.version).toBe(version + 1);
    expect(storage.delete(key(43))).toBeUndefined();
    expect(storage.version).toBe(version + 1);
    expect(storage.itemCount).toBe(1);
    expect(storage.delete(k)).toEqual(itemFor(k, 2));
    expect(storage.itemCount).toBe(0);
    storage.checkInvariants();
  });
});

describe('checkInvariants', () => {
  /** A storage of two partitions, split at some hash between 10 and 50. */
  function twoPartitions(): TableStorage {
    const storage = new TableStorage({ partitionSplitItems: 4, maxNodeSize: 4 });
    for (const h of [10, 20, 30, 40, 50]) storage.put(key(h), itemFor(key(h)));
    expect(storage.partitionCount).toBe(2);
    storage.checkInvariants();
    return storage;
  }

  it('throws when an item sits in a partition that does not own its hash', () => {
    const storage = twoPartitions();
    const foreign = key(HASH_SPACE - 1);
    // A slot number the storage never gave this key.
    storage.partitionList[0]!.items.set(encodeStorageKey(foreign), 0);
    expect(() => storage.checkInvariants()).toThrow(/storage invariant: hash \d+ outside/);
  });

  it('throws when an item is added to a partition behind the storage’s back', () => {
    const storage = twoPartitions();
    const sneaky = key(storage.partitionList[1]!.lowHash, 'zz');
    storage.partitionList[1]!.items.set(encodeStorageKey(sneaky), 0);
    expect(() => storage.checkInvariants()).toThrow(/storage invariant/);
  });

  it('throws when an item is removed from a partition behind the storage’s back', () => {
    const storage = twoPartitions();
    const partition = storage.partitionList[0]!;
    partition.items.delete(partition.items.minKey()!);
    expect(() => storage.checkInvariants()).toThrow(/storage invariant/);
  });

  it('throws when partitions leave a gap in the hash space', () => {
    const storage = twoPartitions();
    (storage.partitionList[1] as unknown as { lowHash: number }).lowHash += 1;
    expect(() => storage.checkInvariants()).toThrow(/storage invariant: partition starts at/);
  });

  it('throws when the last partition stops short of the end of the hash space', () => {
    const storage = twoPartitions();
    (storage.partitionList[1] as unknown as { highHash: number }).highHash = HASH_SPACE - 1;
    expect(() => storage.checkInvariants()).toThrow(/storage invariant: partitions end at/);
  });
});

describe('TableStorage › replacing items around snapshots', () => {
  it('replaces in place when no snapshot shares the item, and copies when one does', () => {
    const storage = new TableStorage({ maxNodeSize: 4 });
    const k = key(7);
    storage.put(k, itemFor(k, 1));
    storage.put(k, itemFor(k, 2)); // in place: no snapshot yet
    const first = storage.snapshot();
    storage.put(k, itemFor(k, 3)); // copy: `first` shares the holder
    storage.put(k, itemFor(k, 4)); // in place again: the new holder is not shared
    const second = storage.snapshot();
    storage.delete(k);
    expect(first.get(k)).toEqual(itemFor(k, 2));
    expect([...first.entries()].map(([, item]) => item)).toEqual([itemFor(k, 2)]);
    expect(second.get(k)).toEqual(itemFor(k, 4));
    expect(storage.get(k)).toBeUndefined();
    storage.checkInvariants();
    first.checkInvariants();
    second.checkInvariants();
  });

  it('refuses writes to a snapshot', () => {
    const storage = new TableStorage();
    const snapshot = storage.snapshot();
    expect(() => snapshot.put(key(1), itemFor(key(1)))).toThrow('A table snapshot is read-only');
    expect(() => snapshot.delete(key(1))).toThrow('A table snapshot is read-only');
  });
});

describe('TableStorage identity lookups', () => {
  it('tell apart primary keys whose encodings end alike, in a table and in an index', () => {
    // ("x", "s") encodes as the tail of ("ax", "s"): a lookup must match where an identity starts.
    const table = new TableStorage();
    const short = { hash: 7, partitionKey: 'x', sortKey: 's' };
    const long = { hash: 7, partitionKey: 'ax', sortKey: 's' };
    table.put(long, itemFor(long, 1));
    expect(table.get(short)).toBeUndefined();
    table.put(short, itemFor(short, 2));
    expect(table.get(long)).toEqual(itemFor(long, 1));
    expect(table.get(short)).toEqual(itemFor(short, 2));
    expect(table.delete(short)).toEqual(itemFor(short, 2));
    expect(table.get(long)).toEqual(itemFor(long, 1));
    table.checkInvariants();

    const index = new TableStorage({}, (k) => (k as StorageKey).tableKey!);
    const entry = (tableKey: string): StorageKey => ({ hash: 9, partitionKey: 'i', sortKey: '', tableKey });
    const longKey = 'ax\u0000\u0001s\u0000\u0001';
    const shortKey = 'x\u0000\u0001s\u0000\u0001';
    index.put(entry(longKey), itemFor(key(9), 1));
    expect(index.get(entry(shortKey))).toBeUndefined();
    index.put(entry(shortKey), itemFor(key(9), 2));
    expect(index.get(entry(longKey))).toEqual(itemFor(key(9), 1));
    expect(index.get(entry(shortKey))).toEqual(itemFor(key(9), 2));
    index.checkInvariants();
  });

  it('find every item after many inserts and deletes (table growth, deletions shifting entries back)', () => {
    const storage = new TableStorage({ maxNodeSize: 4 });
    const live = new Map<number, StorageKey>();
    for (let i = 0; i < 3000; i++) {
      const k = { hash: (i * 7919) % HASH_SPACE, partitionKey: `p${i % 500}`, sortKey: String(i) };
      storage.put(k, itemFor(k, i));
      live.set(i, k);
      if (i % 3 === 0) {
        const victim = (i * 31) % (i + 1);
        const gone = live.get(victim);
        if (gone !== undefined) {
          expect(storage.delete(gone)).toBeDefined();
          live.delete(victim);
        }
      }
    }
    storage.checkInvariants();
    expect(storage.itemCount).toBe(live.size);
    for (const [i, k] of live) expect(storage.get(k)).toEqual(itemFor(k, i));
  });
});
