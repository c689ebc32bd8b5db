import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSortableKeyValue, keyValueBytes } from './compare-keys.js';

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
const sign = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const encoder = new TextEncoder();

describe('encodeSortableKeyValue', () => {
  it('returns a string without units from U+D800 up unchanged', () => {
    const s = 'hello wörld ✓';
    expect(encodeSortableKeyValue({ S: s })).toBe(s);
  });

  it('sorts a supplementary character above U+E000–U+FFFF, as UTF-8 does', () => {
    const high = encodeSortableKeyValue({ S: '\u{1F600}' });
    const bmp = encodeSortableKeyValue({ S: '\uFFFD' });
    expect(bmp < high).toBe(true);
    expect('\uFFFD' < '\u{1F600}').toBe(false); // what plain JS order would get wrong
  });

  it('orders strings like their UTF-8 bytes', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', 'z', '\u00e9', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1F600}', '\u{10FFFF}'),
      fc.string({ unit: 'grapheme', maxLength: 1 }),
    );
    const str = fc.array(unit, { maxLength: 6 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(str, str, (a, b) => {
        expect(sign(encodeSortableKeyValue({ S: a }), encodeSortableKeyValue({ S: b }))).toBe(
          compareBytes(encoder.encode(a), encoder.encode(b)),
        );
      }),
    );
  });

  it('orders binary values like their unsigned bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        expect(sign(encodeSortableKeyValue({ B: a }), encodeSortableKeyValue({ B: b }))).toBe(compareBytes(a, b));
      }),
    );
  });

  it('orders numbers by value', () => {
    expect(encodeSortableKeyValue({ N: '-5' }) < encodeSortableKeyValue({ N: '3' })).toBe(true);
    expect(encodeSortableKeyValue({ N: '10' }) > encodeSortableKeyValue({ N: '9' })).toBe(true);
  });
});

describe('keyValueBytes', () => {
  it('hashes a string as its UTF-8 bytes', () => {
    expect(Array.from(keyValueBytes({ S: 'é' }))).toEqual([0xc3, 0xa9]);
  });
  it('hashes a number as its DynamoDB serialization', () => {
    expect(Array.from(keyValueBytes({ N: '1' }))).toEqual([0xc1, 0x02]);
    expect(Array.from(keyValueBytes({ N: '0' }))).toEqual([0x80]);
  });
  it('hashes binary as the bytes themselves', () => {
    expect(Array.from(keyValueBytes({ B: Uint8Array.of(1, 2, 3) }))).toEqual([1, 2, 3]);
  });
});
