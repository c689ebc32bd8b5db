import { describe, expect, it } from 'vitest';
import { validateItem } from '../model/validate-item.js';
import { itemSize } from '../model/item-size.js';
import { decodeCached } from './decoded-items.js';
import { encodeItem } from './item-codec.js';

function stored(raw: Record<string, unknown>): string {
  const item = validateItem(raw);
  return encodeItem(item, itemSize(item));
}

// Positions far from other tests' (an entry is picked by the position's low 16 bits).
const POSITION = 0x3a5c1;

describe('decodeCached', () => {
  it('returns an item from its third read in a row at a position as the same frozen object', () => {
    const one = stored({ dk: { S: 'one' }, n: { N: '1' } });
    const reads = Array.from({ length: 5 }, () => decodeCached(one, POSITION));
    for (const item of reads) {
      expect(item).toEqual({ dk: { S: 'one' }, n: { N: '1' } });
      expect(Object.isFrozen(item)).toBe(true);
    }
    // Read once or twice, an item is decoded afresh (random reads over a large table must not fill the cache).
    expect(reads[1]).not.toBe(reads[0]);
    expect(reads[2]).not.toBe(reads[1]);
    expect(reads[3]).toBe(reads[2]);
    expect(reads[4]).toBe(reads[2]);
  });

  it('is never stale: a rewritten item at the same position reads as written, from its next read cached', () => {
    const before = stored({ dk: { S: 'same' }, v: { N: '1' } });
    const after = stored({ dk: { S: 'same' }, v: { N: '2' } });
    for (let i = 0; i < 4; i++) decodeCached(before, POSITION + 1);
    const first = decodeCached(after, POSITION + 1);
    expect(first).toEqual({ dk: { S: 'same' }, v: { N: '2' } });
    expect(decodeCached(after, POSITION + 1)).toBe(first);
    expect(decodeCached(before, POSITION + 1)).toEqual({ dk: { S: 'same' }, v: { N: '1' } });
  });

  it('keeps positions sharing an entry apart', () => {
    const a = stored({ dk: { S: 'a' } });
    const b = stored({ dk: { S: 'b' } });
    const other = POSITION + 2 + (1 << 16);
    for (let i = 0; i < 6; i++) {
      expect(decodeCached(a, POSITION + 2)).toEqual({ dk: { S: 'a' } });
      expect(decodeCached(b, other)).toEqual({ dk: { S: 'b' } });
    }
  });
});
