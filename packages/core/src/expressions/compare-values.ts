import type { AttributeValue } from '../model/attribute-value.js';
import { utf8Length } from '../model/item-size.js';
import { compareNumbers } from '../model/number.js';

/*
 * Orderings and tests of DynamoDB's condition functions, on validated (normalized) values:
 * Numbers by exact value, Strings by UTF-8 bytes (= Unicode code points), Binary by unsigned bytes.
 */

/**
 * Compares two strings in UTF-8 byte order, which is Unicode code point order. JS's `<` compares UTF-16
 * code units, which differs when a surrogate (U+D800–U+DFFF, half of a supplementary character) meets
 * a unit in U+E000–U+FFFF: the supplementary character is the larger code point, the unit is not.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 && cb >= 0xd800) {
      // Move surrogates above U+E000–U+FFFF: their characters are ≥ U+10000.
      ca = ca >= 0xe000 ? ca - 0x800 : ca + 0x2000;
      cb = cb >= 0xe000 ? cb - 0x800 : cb + 0x2000;
    }
    return ca < cb ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Compares two byte strings as unsigned bytes, then by length. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Orders two values of the same scalar type (N, S or B): negative, zero or positive. Undefined when the
 * types differ or are not orderable (DynamoDB's `<`, `<=`, `>`, `>=`, BETWEEN are then false).
 */
export function compareOrderable(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('N' in a) return 'N' in b ? compareNumbers(a.N, b.N) : undefined;
  if ('S' in a) return 'S' in b ? compareStrings(a.S, b.S) : undefined;
  if ('B' in a) return 'B' in b ? compareBytes(a.B, b.B) : undefined;
  return undefined;
}

/** Whether `needle` occurs as a contiguous run of bytes in `haystack` (the empty run always does). */
export function includesBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const n = needle.length;
  const last = haystack.length - n;
  outer: for (let i = 0; i <= last; i++) {
    for (let k = 0; k < n; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** Whether `bytes` starts with `prefix`. */
export function startsWithBytes(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * DynamoDB's `size()`: a String's length in UTF-8 bytes, a Binary's bytes, the element count of a set,
 * List or Map. Undefined for N, BOOL and NULL (a comparison with it is then false, like a missing value).
 */
export function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return utf8Length(value.S);
  if ('B' in value) return value.B.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) {
    let count = 0;
    for (const _ in value.M) count++;
    return count;
  }
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  return undefined;
}
