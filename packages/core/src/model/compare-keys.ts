import { encodeNumberBytes, encodeSortableNumber } from './number.js';

/** A key attribute value: the only types a partition or sort key can have. */
export type KeyValue = { S: string } | { N: string } | { B: Uint8Array };

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * A string whose JS order (`<`) is DynamoDB's order of key values of one type: strings by UTF-8
 * bytes, numbers by value, binary by unsigned bytes.
 *
 * Strings: UTF-8 byte order is code point order, while JS compares UTF-16 code units, which puts
 * surrogates (code points ≥ U+10000) below U+E000–U+FFFF. A string with a unit ≥ 0xD800 is remapped
 * (U+E000–U+FFFF down by 0x800, surrogates up by 0x2000); any other string is returned as it is.
 * Numbers: {@link encodeSortableNumber} of the normalized text. Binary: one latin1 character per byte.
 */
export function encodeSortableKeyValue(value: KeyValue): string {
  if ('S' in value) return sortableString(value.S);
  if ('N' in value) return encodeSortableNumber(value.N);
  return latin1(value.B);
}

function sortableString(s: string): string {
  const len = s.length;
  let i = 0;
  while (i < len && s.charCodeAt(i) < 0xd800) i++;
  if (i === len) return s;
  const units = new Array<number>(len - i);
  for (let k = i; k < len; k++) {
    const c = s.charCodeAt(k);
    units[k - i] = c < 0xd800 ? c : c >= 0xe000 ? c - 0x800 : c + 0x2000;
  }
  return s.slice(0, i) + fromCodes(units);
}

function fromCodes(codes: ArrayLike<number>): string {
  const CHUNK = 8192;
  if (codes.length <= CHUNK) return String.fromCharCode.apply(null, codes as number[]);
  let out = '';
  for (let k = 0; k < codes.length; k += CHUNK) {
    out += String.fromCharCode.apply(null, Array.prototype.slice.call(codes, k, k + CHUNK) as number[]);
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  if (bytes.length <= 8192) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let k = 0; k < bytes.length; k += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(k, k + 8192) as unknown as number[]);
  }
  return out;
}

/**
 * The bytes DynamoDB hashes for a partition key value: UTF-8 for S, DynamoDB's number serialization
 * ({@link encodeNumberBytes}) for N, the bytes themselves for B.
 */
export function keyValueBytes(value: KeyValue): Uint8Array {
  if ('S' in value) return encoder.encode(value.S);
  if ('N' in value) return encodeNumberBytes(value.N);
  return value.B;
}
