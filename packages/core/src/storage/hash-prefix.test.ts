import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPrefix, hashPrefixOfString } from './hash-prefix.js';

function reference(bytes: Uint8Array): number {
  const hex = createHash('md5').update('Outliers').update(bytes).digest('hex').slice(0, 6);
  return parseInt(hex, 16);
}

describe('hashPrefix', () => {
  it('is the first 24 bits of md5("Outliers" + key bytes)', () => {
    expect(hashPrefix(new TextEncoder().encode('user#1'))).toBe(reference(new TextEncoder().encode('user#1')));
  });
  it('agrees with node:crypto for keys of every length across block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        expect(hashPrefix(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 300 },
    );
  });
});

describe('hashPrefixOfString', () => {
  it('hashes the UTF-8 bytes of the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 900 }), (text) => {
        expect(hashPrefixOfString(text)).toBe(reference(new TextEncoder().encode(text)));
      }),
      { numRuns: 300 },
    );
  });
  it('hashes ASCII keys, and keys that turn non-ASCII after an ASCII run, as their UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 900 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (ascii, rest) => {
        expect(hashPrefixOfString(ascii)).toBe(reference(new TextEncoder().encode(ascii)));
        expect(hashPrefixOfString(ascii + rest)).toBe(reference(new TextEncoder().encode(ascii + rest)));
      }),
      { numRuns: 300 },
    );
  });
});
