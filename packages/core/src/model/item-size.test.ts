import { describe, expect, it } from 'vitest';
import { itemSize, utf8Length } from './item-size.js';
import { validateItem } from './validate-item.js';

describe('itemSize', () => {
  it('counts a string attribute as name bytes plus UTF-8 bytes', () => {
    expect(itemSize({ id: { S: 'abc' } })).toBe(5);
    expect(itemSize({ 'é': { S: '\u{1F600}' } })).toBe(2 + 4);
  });

  it('counts binary by raw byte length', () => {
    expect(itemSize({ b: { B: new Uint8Array(10) } })).toBe(11);
  });

  it('counts BOOL and NULL as 1 byte', () => {
    expect(itemSize({ a: { BOOL: false }, b: { NULL: true } })).toBe(4);
  });

  it('counts a number by its digit pairs: 12345 costs 4 bytes', () => {
    expect(itemSize({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSize({ n: { N: '-42' } })).toBe(1 + 3);
  });

  it('counts an empty list or map as 3 bytes', () => {
    expect(itemSize({ l: { L: [] }, m: { M: {} } })).toBe(1 + 3 + 1 + 3);
  });

  it('counts 1 byte per list or map element on top of the elements', () => {
    expect(itemSize({ l: { L: [{ S: 'ab' }, { BOOL: true }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ m: { M: { xy: { S: 'ab' } } } })).toBe(1 + 3 + (1 + 2 + 2));
  });

  it('counts a set as the sum of its members', () => {
    expect(itemSize({ s: { SS: ['a', 'bc'] } })).toBe(1 + 3);
    expect(itemSize({ s: { NS: ['1', '123'] } })).toBe(1 + 2 + 3);
    expect(itemSize({ s: { BS: [new Uint8Array(2), new Uint8Array(3)] } })).toBe(1 + 5);
  });

  it('agrees with the size validateItem measures', () => {
    // 409,600 bytes passes validation, one more does not.
    const item = { pk: { S: 'x' }, p: { S: 'y'.repeat(409600 - 2 - 1 - 1) } };
    expect(itemSize(validateItem(item))).toBe(409600);
  });
});

describe('utf8Length', () => {
  it('matches TextEncoder', () => {
    for (const s of ['', 'abc', 'é', '€', '\u{1F600}', 'a\ud800b', '\udc00']) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });
});
