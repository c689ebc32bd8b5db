/*
 * The compiled item reader and writer (item-decoder.ts, item-encoder.ts) against the generic
 * `decodeItem` and `encodeItem` they speed up. Reader: for random
 * items of random shapes (attributes declared or not, in any order, any DynamoDB type, numbers that do or
 * do not fit their declared type), it must give the same attributes in the same order with the same
 * values, or throw the same error, every time an item is read (shapes are compiled on first sight).
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { AttributeValue, Item } from '../src/model/attribute-value.js';
import { attr, type AttributeSchemas } from '../src/table-api/attribute-schema.js';
import { Decimal } from '../src/table-api/decimal.js';
import { itemDecoder } from '../src/table-api/item-decoder.js';
import { itemEncoder } from '../src/table-api/item-encoder.js';
import { keyEncoder } from '../src/table-api/key-encoder.js';
import { decodeItem, encodeItem, encodeValue, requiredSetsOf } from '../src/table-api/marshall.js';

const schemas: AttributeSchemas = {
  id: attr.string(),
  n: attr.number(),
  big: attr.bigint(),
  dec: attr.decimal(),
  num: attr.numeric(),
  flag: attr.boolean(),
  tags: attr.stringSet(),
  nums: attr.numberSet(),
  maybe: attr.stringSet().optional(),
  obj: attr.object({ a: attr.number(), b: attr.string().optional() }),
  list: attr.list(attr.bigint()),
  any: attr.any(),
};
const fillSets = requiredSetsOf(schemas);

const numberText = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.constantFrom('1.5', '-0.25', '12345678901234567890', '0.1000000000000000055511151231257827', '1.2345678901234567', '9007199254740993'),
);
const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ maxLength: 5 }).map((S) => ({ S })),
  numberText.map((N) => ({ N })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true as const }),
  fc.uint8Array({ minLength: 1, maxLength: 3 }).map((B) => ({ B })),
  fc.uniqueArray(fc.string({ maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((SS) => ({ SS })),
  fc.uniqueArray(numberText, { minLength: 1, maxLength: 3 }).map((NS) => ({ NS })),
);
const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }).map((L) => ({ L })) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'c'), scalar, { maxKeys: 3 }).map((M) => ({ M })) },
);
const name = fc.oneof(fc.constantFrom(...Object.keys(schemas)), fc.constantFrom('extra', 'other', '1', 'constructor', 'a b"\\'));
const item: fc.Arbitrary<Item> = fc
  .uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 8 })
  .map((entries) => Object.freeze(Object.fromEntries(entries)) as Item);

/** The result of reading or writing: the value (its keys in order) or the error. */
function outcome(read: () => object): unknown {
  try {
    const out = read();
    return { keys: Object.keys(out), out };
  } catch (error) {
    return { error: String(error), type: (error as Error).constructor.name };
  }
}

describe('compiled item reader', () => {
  it('reads every item exactly as decodeItem does, on first sight and after', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 30 }), (items) => {
        const decode = itemDecoder(schemas, fillSets);
        // Each item twice, interleaved with the others: shapes compiled on first sight, reused later.
        for (const it of [...items, ...items]) {
          expect(outcome(() => decode(it))).toEqual(outcome(() => decodeItem(it, schemas, fillSets)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays exact past its compiled shapes, when items of many shapes make it give the compiled ones up', () => {
    const decode = itemDecoder(schemas, fillSets);
    const encode = itemEncoder(schemas);
    for (let i = 0; i < 1000; i++) {
      const stored: Item = { id: { S: `u${i}` }, [`a${i % 500}`]: { N: String(i) }, n: { N: '1.5' } };
      expect(outcome(() => decode(stored))).toEqual(outcome(() => decodeItem(stored, schemas, fillSets)));
      const native = { id: `u${i}`, [`a${i % 500}`]: i, tags: new Set(i % 2 === 0 ? [] : ['t']) };
      expect(outcome(() => encode(native))).toEqual(outcome(() => encodeItem(native, schemas)));
    }
  });

  it('gives a fresh object on every read', () => {
    const decode = itemDecoder(schemas, fillSets);
    const stored: Item = Object.freeze({ id: { S: 'a' }, tags: { SS: ['x'] } });
    const first = decode(stored);
    const second = decode(stored);
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
    expect(first.tags).not.toBe(second.tags);
    expect(first.nums).not.toBe(second.nums);
  });

  it('leaves an item with a __proto__ attribute to the generic reader (own attribute, prototype untouched)', () => {
    const decode = itemDecoder(schemas, fillSets);
    const stored = JSON.parse('{"__proto__": {"S": "x"}, "id": {"S": "a"}}') as Item;
    const out = decode(stored);
    expect(out).toEqual(decodeItem(stored, schemas, fillSets));
    expect(Object.getPrototypeOf(out)).toBe(Object.getPrototypeOf(decodeItem(stored, schemas, fillSets)));
  });
});

const nativeScalar = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(new Decimal('1.25'), new Uint8Array([1]), new Set<string>(), new Set(['a', 'b']), new Set([1, 2]), new Set([1, 'a']), new Date(0)),
);
const native = fc.oneof(
  { weight: 5, arbitrary: nativeScalar },
  { weight: 1, arbitrary: fc.array(nativeScalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'b'), nativeScalar, { maxKeys: 2 }) },
);
const nativeItem = fc
  .uniqueArray(fc.tuple(name, native), { selector: ([n]) => n, maxLength: 7 })
  .map((entries) => Object.fromEntries(entries) as Record<string, unknown>);

describe('compiled item writer', () => {
  it('writes every item exactly as encodeItem does, on first sight and after', () => {
    fc.assert(
      fc.property(fc.array(nativeItem, { minLength: 1, maxLength: 30 }), (items) => {
        const encode = itemEncoder(schemas);
        for (const it of [...items, ...items]) {
          expect(outcome(() => encode(it))).toEqual(outcome(() => encodeItem(it, schemas)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads each member once, even when some have no DynamoDB value', () => {
    const encode = itemEncoder(schemas);
    let reads = 0;
    const item = {
      get id() {
        reads++;
        return 'a';
      },
      gone: undefined,
      tags: new Set(),
    };
    encode({ id: 'x', gone: 1, tags: new Set(['t']) }); // the same shape, compiled first
    expect(encode(item)).toEqual({ id: { S: 'a' } });
    expect(reads).toBe(1);
  });
});

describe('without new Function (a CSP without unsafe-eval, some edge runtimes)', () => {
  it('reads and writes items with the generic decodeItem and encodeItem', async () => {
    vi.resetModules();
    const decoderModule = await import('../src/table-api/item-decoder.js');
    const encoderModule = await import('../src/table-api/item-encoder.js');
    const original = globalThis.Function;
    globalThis.Function = function forbidden() {
      throw new EvalError('Refused to evaluate a string as JavaScript');
    } as unknown as FunctionConstructor;
    const stored: Item = Object.freeze({ id: { S: 'a' }, n: { N: '2' }, big: { N: '12345678901234567890' } });
    try {
      expect(decoderModule.canCompile()).toBe(false);
      const decode = decoderModule.itemDecoder(schemas, fillSets);
      const encode = encoderModule.itemEncoder(schemas);
      for (let i = 0; i < 3; i++) {
        expect(decode(stored)).toEqual(decodeItem(stored, schemas, fillSets));
        expect(encode({ id: 'a', n: 2, tags: new Set() })).toEqual({ id: { S: 'a' }, n: { N: '2' } });
      }
    } finally {
      globalThis.Function = original;
    }
  });
});

describe('compiled key writer', () => {
  const missing = (name: string): never => {
    throw new TypeError(`no value for ${name}`);
  };
  /** The reference: each key attribute in order, a TypeError for the first without a value. */
  function referenceKey(names: readonly string[], key: Record<string, unknown>): Item {
    const out: Item = {};
    for (const n of names) {
      const value = encodeValue(key[n]);
      if (value === undefined) missing(n);
      out[n] = value!;
    }
    return out;
  }

  it('writes every key exactly as the attribute-by-attribute loop does', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 2 }), fc.array(nativeItem, { minLength: 1, maxLength: 10 }), (names, keys) => {
        const encode = keyEncoder(names, missing);
        for (const key of keys) expect(outcome(() => encode(key))).toEqual(outcome(() => referenceKey(names, key)));
      }),
      { numRuns: 300 },
    );
  });
});
