import { keyValueBytes, type KeyValue } from '../model/compare-keys.js';
import { md5Words } from './md5.js';

/**
 * DynamoDB's partition hash, as far as it shows: a full Scan returns items ordered by the first
 * 24 bits of md5("Outliers" ‖ partition key bytes), then by partition key, then sort key
 * (the order dynalite reproduces from production). Partitions own contiguous ranges of it.
 */

/** The size of the hash space partitions divide: 2^24. */
export const HASH_SPACE = 0x1000000;

const SALT = [0x4f, 0x75, 0x74, 0x6c, 0x69, 0x65, 0x72, 0x73]; // "Outliers"

// One buffer for every key (salt, key bytes, md5 padding) and one digest state: hashing allocates nothing.
let buffer = new Uint8Array(1024);
const state = new Int32Array(4);

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
  const n = key.length;
  ensureCapacity(n * 3);
  // ASCII (the usual key) is its own UTF-8: copied code unit by code unit, without encodeInto's call and subarray.
  const b = buffer;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) {
      const { written } = utf8.encodeInto(key, b.subarray(SALT.length));
      return digestPrefix(SALT.length + written);
    }
    b[SALT.length + i] = c;
  }
  return digestPrefix(SALT.length + n);
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

/** md5 of the first `length` bytes of `buffer` (its capacity allows padding): the digest's first 3 bytes. */
function digestPrefix(length: number): number {
  md5Words(buffer, length, state);
  const a0 = state[0]!;
  // The digest's first three bytes, big-endian: the order of the hex prefix dynalite compares.
  return ((a0 & 0xff) << 16) | (((a0 >>> 8) & 0xff) << 8) | ((a0 >>> 16) & 0xff);
}
