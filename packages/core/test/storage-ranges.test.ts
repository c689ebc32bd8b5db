/** TableStorage's range reads, the primitives of Query and Scan, against a sorted array. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Item } from '../src/model/attribute-value.js';
import { compareStorageKeys, decodeStorageKey, encodeStorageKey, type StorageKey } from '../src/storage/storage-key.js';
import { TableStorage, type Visitor } from '../src/storage/table-storage.js';

// A partition key's hash is a function of it, as in a table; 'a' and 'b' share one to exercise ties.
const HASHES: Record<string, number> = { a: 3, b: 3, c: 7, 'a\u0000': 15, d: 20 };
const keyArb: fc.Arbitrary<StorageKey> = fc
  .record({ partitionKey: fc.constantFrom(...Object.keys(HASHES)), sortKey: fc.constantFrom('1', '2', '3', '30', '4') })
  .map(({ partitionKey, sortKey }) => ({ hash: HASHES[partitionKey]!, partitionKey, sortKey }));

function build(keys: StorageKey[], options = { maxNodeSize: 4, partitionSplitItems: 6 }) {
  const storage = new TableStorage(options);
  const unique = new Map<string, StorageKey>();
  for (const key of keys) unique.set(`${key.hash}|${key.partitionKey}|${key.sortKey}`, key);
  for (const key of unique.values()) storage.put(key, { k: { S: `${key.hash}|${key.partitionKey}|${key.sortKey}` } } as Item);
  return { storage, sorted: [...unique.values()].sort(compareStorageKeys) };
}

const names = (entries: Iterable<[StorageKey, Item]>) => [...entries].map(([k]) => `${k.hash}|${k.partitionKey}|${k.sortKey}`);
const label = (k: StorageKey) => `${k.hash}|${k.partitionKey}|${k.sortKey}`;

/** Everything a visiting range read hands over. */
function collect(read: (visit: Visitor) => void): Array<[StorageKey, Item]> {
  const out: Array<[StorageKey, Item]> = [];
  read((key, item) => out.push([decodeStorageKey(key), item]) > 0);
  return out;
}

describe('TableStorage › visitItemCollection', () => {
  it('lists one partition key in sort order, forward or reversed, from an inclusive or exclusive start', () => {
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 60 }), keyArb, fc.boolean(), fc.option(fc.boolean(), { nil: undefined }), (keys, probe, forward, exclusive) => {
        const { storage, sorted } = build(keys);
        const collection = sorted.filter((k) => k.hash === probe.hash && k.partitionKey === probe.partitionKey);
        const from = exclusive === undefined ? undefined : { sortKey: probe.sortKey, exclusive };
        let expected = forward ? collection : [...collection].reverse();
        if (from) {
          expected = expected.filter((k) =>
            forward
              ? from.exclusive ? k.sortKey > from.sortKey : k.sortKey >= from.sortKey
              : from.exclusive ? k.sortKey < from.sortKey : k.sortKey <= from.sortKey,
          );
        }
        expect(names(collect((visit) => storage.visitItemCollection(probe.hash, probe.partitionKey, forward, from, visit)))).toEqual(
          expected.map(label),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('TableStorage › visitScanRange', () => {
  it('lists a hash range in Scan order, after an exclusive start key, across partitions', () => {
    fc.assert(
      fc.property(
        fc.array(keyArb, { maxLength: 60 }),
        fc.integer({ min: 0, max: 21 }),
        fc.integer({ min: 0, max: 21 }),
        fc.option(keyArb, { nil: undefined }),
        (keys, a, b, after) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const { storage, sorted } = build(keys);
          const expected = sorted.filter(
            (k) => k.hash >= low && k.hash < high && (after === undefined || compareStorageKeys(k, after) > 0),
          );
          expect(names(collect((visit) => storage.visitScanRange(low, high, after === undefined ? undefined : encodeStorageKey(after), visit)))).toEqual(expected.map(label));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('TableStorage › visitors stop when asked', () => {
  it('visits no further once the visitor returns false, in both directions and in scans', () => {
    const { storage } = build(['1', '2', '3', '4'].map((sortKey) => ({ hash: 3, partitionKey: 'a', sortKey })));
    for (const forward of [true, false]) {
      let seen = 0;
      storage.visitItemCollection(3, 'a', forward, undefined, () => ++seen < 2);
      expect(seen).toBe(2);
    }
    let seen = 0;
    storage.visitScanRange(0, 100, undefined, () => ++seen < 3);
    expect(seen).toBe(3);
  });
});
