/**
 * DynamoDB's partition hash, as far as it shows: a full Scan returns items ordered by the first
 * 24 bits of md5("Outliers" ‖ partition key bytes), then by partition key, then sort key
 * (the order dynalite reproduces from production). Partitions own contiguous ranges of it.
 *
 * md5 is written out here rather than taken from a library because it is on the hot path of
 * every GetItem and PutItem: @noble/hashes' md5 measured ~3.8 µs per key here, this one ~0.2 µs
 * (it reuses one buffer and only ever needs the first 3 bytes of the digest).
 */

import { keyValueBytes, type KeyValue } from '../model/compare-keys.js';

/** The size of the hash space partitions divide: 2^24. */
export const HASH_SPACE = 0x1000000;

const SALT = [0x4f, 0x75, 0x74, 0x6c, 0x69, 0x65, 0x72, 0x73]; // "Outliers"

// Per-round shift amounts and sine-derived constants of RFC 1321.
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K = new Int32Array(64);
for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0;

let buffer = new Uint8Array(1024);
const words = new Int32Array(16);

const utf8 = new TextEncoder();
buffer.set(SALT);

/** The 24-bit hash prefix of a partition key, given its bytes (DynamoDB number bytes, or binary). */
export function hashPrefix(keyBytes: Uint8Array): number {
  ensureCapacity(keyBytes.length);
  buffer.set(keyBytes, SALT.length);
  return digestPrefix(SALT.length + keyBytes.length);
}

/** The 24-bit hash prefix of a string partition key (hashed as UTF-8, encoded without allocating). */
export function hashPrefixOfString(key: string): number {
  ensureCapacity(key.length * 3);
  const { written } = utf8.encodeInto(key, buffer.subarray(SALT.length));
  return digestPrefix(SALT.length + written);
}

/** The 24-bit hash prefix a partition key value places its items at (strings hashed without allocating). */
export function hashPrefixOfKeyValue(value: KeyValue): number {
  return 'S' in value ? hashPrefixOfString(value.S) : hashPrefix(keyValueBytes(value));
}

function ensureCapacity(keyLength: number): void {
  const needed = SALT.length + keyLength + 72;
  if (needed <= buffer.length) return;
  buffer = new Uint8Array(needed * 2);
  buffer.set(SALT);
}

/** md5 of the first `length` bytes of `buffer`, whose capacity allows padding; returns the digest's first 3 bytes. */
function digestPrefix(length: number): number {
  const padded = (((length + 8) >>> 6) + 1) << 6;
  const b = buffer;
  b[length] = 0x80;
  b.fill(0, length + 1, padded - 8);
  const bits = length * 8;
  b[padded - 8] = bits & 0xff;
  b[padded - 7] = (bits >>> 8) & 0xff;
  b[padded - 6] = (bits >>> 16) & 0xff;
  b[padded - 5] = (bits >>> 24) & 0xff;
  b[padded - 4] = 0;
  b[padded - 3] = 0;
  b[padded - 2] = 0;
  b[padded - 1] = 0;

  let a0 = 0x67452301 | 0;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476 | 0;
  for (let offset = 0; offset < padded; offset += 64) {
    for (let i = 0; i < 16; i++) {
      const o = offset + i * 4;
      words[i] = b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
    }
    let A = a0;
    let B = b0;
    let C = c0;
    let D = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (B & C) | (~B & D);
        g = i;
      } else if (i < 32) {
        f = (D & B) | (~D & C);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = B ^ C ^ D;
        g = (3 * i + 5) & 15;
      } else {
        f = C ^ (B | ~D);
        g = (7 * i) & 15;
      }
      f = (f + A + K[i]! + words[g]!) | 0;
      A = D;
      D = C;
      C = B;
      const s = S[((i >>> 4) << 2) | (i & 3)]!;
      B = (B + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    a0 = (a0 + A) | 0;
    b0 = (b0 + B) | 0;
    c0 = (c0 + C) | 0;
    d0 = (d0 + D) | 0;
  }
  // The digest's first three bytes, big-endian: the order of the hex prefix dynalite compares.
  return ((a0 & 0xff) << 16) | (((a0 >>> 8) & 0xff) << 8) | ((a0 >>> 16) & 0xff);
}
