import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import { validateItem } from '../model/validate-item.js';
import { attributesReader, collectionsDecoder, decodeAttributes, decodeItem, encodeItem, nameDictionary, packStoredItems, sharingDecoder, storedItemReader, storedItemSize, unpackStoredItems } from './item-codec.js';

/** Every object and array reachable from `value` is frozen (Uint8Arrays cannot be: they are fresh per read). */
function expectDeeplyFrozen(value: unknown): void {
  if (value instanceof Uint8Array || typeof value !== 'object' || value === null) return;
  expect(Object.isFrozen(value)).toBe(true);
  for (const key of Object.keys(value)) expectDeeplyFrozen((value as Record<string, unknown>)[key]);
}

/** Stores `raw` and reads it back `times` times (the first reads compile the item's shape). */
function roundTrips(raw: Record<string, unknown>, times = 3): Item[] {
  const item = validateItem(raw);
  const stored = encodeItem(item, itemSize(item));
  expect(storedItemSize(stored)).toBe(itemSize(item));
  return Array.from({ length: times }, () => decodeItem(stored));
}

// Names unique to this file's shapes, so other tests' items do not fill their shape buckets.
const names = ['codecA', 'codecB', 'codecC', '__proto__', 'codec-é'];
const name = fc.constantFrom(...names);
const numberText = fc.oneof(
  fc.constantFrom('0', '7', '10', '9999', '10000', '-1', '0.5', '1e1', '99999999999999999999999999999999999999', '1E-130'),
  fc.integer({ min: -20, max: 12_000 }).map(String),
);
const stringText = fc.oneof(fc.constantFrom('', 'a', '\uff5e', '😀', 'é', 'x'.repeat(70), 'y'.repeat(300)), fc.string({ maxLength: 5, unit: 'binary' }));
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  numberText.map((N) => ({ N })),
  stringText.map((S) => ({ S })),
  fc.uint8Array({ maxLength: 4 }).map((B) => ({ B })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true }),
  fc.uniqueArray(fc.constantFrom('a', 'b', '😀'), { minLength: 1 }).map((SS) => ({ SS })),
  fc.uniqueArray(fc.constantFrom('1', '2', '10', '0.5'), { minLength: 1 }).map((NS) => ({ NS })),
  fc.constantFrom([Uint8Array.of(1)], [Uint8Array.of(1), Uint8Array.of(255)]).map((BS) => ({ BS })),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 3 }).map((L) => ({ L })), fc.dictionary(name, tie('v'), { maxKeys: 3 }).map((M) => ({ M }))),
})).v;

describe('item codec', () => {
  it('reads back every item as it was written, deeply frozen, on every read', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { minKeys: 1, maxKeys: 5 }), (raw) => {
        const item = validateItem(structuredClone(raw));
        for (const read of roundTrips(raw)) {
          expect(read).toEqual(item);
          expect(Object.keys(read)).toEqual(Object.keys(item));
          expectDeeplyFrozen(read);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads an attribute of one shape whatever its type, and items of a shape with fewer or more attributes', () => {
    const shapes = [
      { codecShape: { S: 'a' }, codecNext: { N: '1' } },
      { codecShape: { N: '12345678901234567890' }, codecNext: { BOOL: false } },
      { codecShape: { S: 'b'.repeat(200) }, codecNext: { NULL: true } },
      { codecShape: { S: 'ü😀' }, codecNext: { M: { codecShape: { L: [{ N: '3' }] } } } },
      { codecShape: { B: Uint8Array.of(1, 2) }, codecNext: { SS: ['x'] } },
      { codecShape: { S: 'c' } },
      { codecShape: { S: 'c' }, codecNext: { N: '1' }, codecLast: { N: '2' } },
    ];
    for (let round = 0; round < 3; round++) {
      for (const raw of shapes) for (const read of roundTrips(raw, 2)) expect(read).toEqual(validateItem(structuredClone(raw)));
    }
  });

  it('reads items right when more shapes start with one attribute than are compiled', () => {
    const raws = Array.from({ length: 40 }, (_, i) => ({ codecMany: { N: String(i) }, [`codecMany${i}`]: { S: `v${i}` } }));
    for (let round = 0; round < 20; round++) {
      for (const raw of raws) expect(roundTrips(raw, 1)[0]).toEqual(validateItem(structuredClone(raw)));
    }
  });

  it('a sharing decoder reads items as decodeItem does, its attribute one shared frozen S', () => {
    fc.assert(
      fc.property(stringText, fc.dictionary(name, value, { maxKeys: 4 }), (text, rest) => {
        // The shared attribute where the item's attributes put it (first, or after others).
        const raw = { ...rest, codecA: { S: text } };
        const decode = sharingDecoder('codecA', text);
        const item = validateItem(structuredClone(raw));
        const stored = encodeItem(item, itemSize(item));
        const reads = [decode(stored), decode(stored), decodeItem(stored)];
        for (const read of reads) {
          expect(read).toEqual(item);
          expect(Object.keys(read)).toEqual(Object.keys(item));
          expectDeeplyFrozen(read);
        }
        expect(reads[0]).not.toBe(reads[1]);
        // Nested attributes of that name are never the shared value.
        for (const read of reads) for (const other of Object.values(read)) if ('M' in other) expect(other.M.codecA).not.toBe(reads[0]!.codecA);
      }),
      { numRuns: 300 },
    );
    // A shape of its own (its first attribute's shapes are compiled, not left to the generic decoder).
    const stored = encodeItem({ codecSharedN: { N: '1' }, codecSharedS: { S: 'same' } }, 20);
    const decode = sharingDecoder('codecSharedS', 'same');
    expect(decode(stored).codecSharedS).toBe(decode(stored).codecSharedS);
    expect(decodeItem(stored).codecSharedS).not.toBe(decode(stored).codecSharedS);
  });

  it('an attributes reader reads what decodeAttributes reads, sharing its S value when given one', () => {
    // Frozen lists are kept with what their names meant (item-codec.ts wantedCodes), across runs that add names.
    const frozenLists = new Map<string, readonly string[]>();
    fc.assert(
      fc.property(stringText, fc.dictionary(name, value, { maxKeys: 4 }), fc.subarray([...names, 'codecAbsent']), (text, rest, wanted) => {
        const item = validateItem(structuredClone({ ...rest, codecA: { S: text } }));
        const stored = encodeItem(item, itemSize(item));
        const expected = decodeAttributes(stored, wanted);
        const plain = attributesReader(wanted);
        const sharing = attributesReader(wanted, { name: 'codecA', text });
        const key = wanted.join('\u0000');
        const frozen = frozenLists.get(key) ?? Object.freeze([...wanted]);
        frozenLists.set(key, frozen);
        for (const read of [plain(stored), sharing(stored), sharing(stored), attributesReader(frozen)(stored)]) {
          expect(read).toEqual(expected);
          expect(Object.keys(read)).toEqual(Object.keys(expected));
          expectDeeplyFrozen(read);
        }
        // Shared at least where the compiled decoders read S values inline: short Latin-1 ones.
        if (wanted.includes('codecA') && /^[\x00-\xff]{0,63}$/.test(text)) expect(sharing(stored).codecA).toBe(sharing(stored).codecA);
      }),
      { numRuns: 300 },
    );
  });

  it('a collections decoder reads items as decodeItem does, sharing an S only with the last item holding the same', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(stringText, fc.dictionary(name, value, { maxKeys: 3 })), { maxLength: 8 }), (rows) => {
        const decode = collectionsDecoder('codecA');
        let previous: Item | undefined;
        for (const [text, rest] of rows) {
          const item = validateItem(structuredClone({ codecA: { S: text }, ...rest }));
          const read = decode(encodeItem(item, itemSize(item)));
          expect(read).toEqual(item);
          expect(Object.keys(read)).toEqual(Object.keys(item));
          expectDeeplyFrozen(read);
          if (previous !== undefined && read.codecA === previous.codecA) expect(previous.codecA).toEqual(item.codecA);
          previous = read;
        }
      }),
      { numRuns: 300 },
    );
    const stored = ['k1', 'k1', 'k2'].map((k) => encodeItem({ codecCollection: { S: k }, codecCollectionSk: { N: '1' } }, 20));
    const decode = collectionsDecoder('codecCollection');
    const [a, b, c] = stored.map((one) => decode(one));
    expect(b!.codecCollection).toBe(a!.codecCollection);
    expect(c!.codecCollection).not.toBe(b!.codecCollection);
    expect(c!.codecCollection).toEqual({ S: 'k2' });
  });

  it('never shares a mutable value between reads: binary values are fresh copies', () => {
    const [first, second] = roundTrips({ codecA: { B: Uint8Array.of(1, 2, 3) }, codecB: { BS: [Uint8Array.of(4)] } }, 2);
    const firstBytes = (first!.codecA as { B: Uint8Array }).B;
    firstBytes[0] = 9;
    (first!.codecB as { BS: Uint8Array[] }).BS[0]![0] = 9;
    expect(second).toEqual({ codecA: { B: Uint8Array.of(1, 2, 3) }, codecB: { BS: [Uint8Array.of(4)] } });
    expect(roundTrips({ codecA: { B: Uint8Array.of(1, 2, 3) } }, 1)[0]).toEqual({ codecA: { B: Uint8Array.of(1, 2, 3) } });
  });

  it('shares frozen values only where they are equal: small integers in normal form, BOOL and NULL', () => {
    const [a, b] = roundTrips({ codecA: { N: '42' }, codecB: { BOOL: true }, codecC: { N: '123456' } }, 2);
    expect(a!.codecA).toBe(b!.codecA);
    expect(a!.codecB).toBe(b!.codecB);
    expect(a!.codecC).not.toBe(b!.codecC);
    expect((a!.codecC as AttributeValue & { N: string }).N).toBe('123456');
    const [zero] = roundTrips({ codecA: { N: '0' }, codecB: { N: '-0.5' }, codecC: { N: '9999' } }, 1);
    expect(zero).toEqual({ codecA: { N: '0' }, codecB: { N: '-0.5' }, codecC: { N: '9999' } });
  });

  it('reads items stored with another process\'s name dictionary: as they are when its codes mean the same, translated otherwise', () => {
    const stored = encodeItem(validateItem({ codecA: { S: 'x' } }), 5);
    expect(storedItemReader(nameDictionary())(stored)).toBe(stored);
    // Stored elsewhere: size 9, then name 0 'S' "abc", name 1 'N' "7", name 2 'M' of one attribute: name 1 'T'.
    const foreign = ['codecForeignB', 'codecForeignA', 'codecForeignC'];
    const elsewhere = '\u0009' + '\u0000S\u0006abc' + '\u0001N\u00017' + '\u0002M\u0001\u0001T';
    const read = storedItemReader(foreign)(elsewhere);
    expect(read).not.toBe(elsewhere);
    expect(decodeItem(read)).toEqual({ codecForeignB: { S: 'abc' }, codecForeignA: { N: '7' }, codecForeignC: { M: { codecForeignA: { BOOL: true } } } });
    expect(storedItemSize(read)).toBe(9);
  });

  it('packs stored items into bytes and back', () => {
    const items = [encodeItem(validateItem({ codecA: { S: 'ü'.repeat(300) } }), 1), encodeItem(validateItem({ codecB: { N: '1' } }), 2), ''];
    const bytes = packStoredItems(items);
    expect(unpackStoredItems(bytes, items.map((item) => item.length))).toEqual(items);
    expect(() => unpackStoredItems(bytes, [1, 2])).toThrow('stored items: bytes left over');
    expect(() => unpackStoredItems(bytes, [bytes.length + 1])).toThrow('stored items: lengths out of the bytes');
  });

  it('decodes only the wanted attributes, skipping every kind of value', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { minKeys: 1, maxKeys: 5 }), fc.subarray(names), (raw, wanted) => {
        const item = validateItem(structuredClone(raw));
        const read = decodeAttributes(encodeItem(item, itemSize(item)), wanted);
        const expected: Record<string, unknown> = {};
        for (const key of Object.keys(item)) if (wanted.includes(key)) Object.defineProperty(expected, key, { value: item[key], enumerable: true });
        expect(read).toEqual(expected);
        expect(Object.keys(read)).toEqual(Object.keys(expected));
        expectDeeplyFrozen(read);
      }),
      { numRuns: 500 },
    );
  });
});
