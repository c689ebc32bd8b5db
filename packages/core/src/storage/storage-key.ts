import type { AttributeValue } from '../model/attribute-value.js';
import type { KeyValue } from '../model/compare-keys.js';
import type { KeyAttribute, PrimaryKeySchema } from '../model/key-schema.js';
import { encodeKeyPart, TUPLE_TERMINATOR } from '../model/tuple-key.js';
import { hashPrefixOfKeyValue, hashPrefixOfString } from './hash-prefix.js';

/**
 * Where an item lives: the 24-bit hash prefix of its partition key, then the partition key and the
 * sort key as sortable strings (see model/compare-keys.ts). Ordering by (hash, partition key, sort key)
 * is a full Scan's order; items of one partition key are contiguous and ordered by sort key.
 */
export interface StorageKey extends PrimaryKeyCode {
  /** The 24-bit hash prefix of the partition key (fractional values serve as range bounds). */
  readonly hash: number;
  /**
   * Only in a secondary index: the item's table primary key identity, which orders items whose index
   * keys are equal and tells them apart (an index key need not be unique).
   */
  readonly tableKey?: string;
}

/** A primary key as sortable strings: enough to find an item, not to place it (that needs the hash). */
export interface PrimaryKeyCode {
  /** The partition key as a sortable string. */
  readonly partitionKey: string;
  /** The sort key as a sortable string; `''` for tables without a sort key (sorts before any real value). */
  readonly sortKey: string;
}

/** Orders storage keys by hash prefix, then partition key, then sort key (then, in an index, table key). */
export function compareStorageKeys(a: StorageKey, b: StorageKey): number {
  if (a.hash !== b.hash) return a.hash - b.hash;
  if (a.partitionKey !== b.partitionKey) return a.partitionKey < b.partitionKey ? -1 : 1;
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? -1 : 1;
  const at = a.tableKey;
  const bt = b.tableKey;
  if (at === bt) return 0;
  return (at ?? '') < (bt ?? '') ? -1 : 1;
}

/** The sortable strings of an item's or a key's primary key (no hash: point lookups do not need one). */
export function primaryKeyCodeOf(item: Record<string, AttributeValue>, schema: PrimaryKeySchema): PrimaryKeyCode {
  return { partitionKey: encodeKeyPart(item, schema.partitionKeys)!, sortKey: encodeKeyPart(item, schema.sortKeys)! };
}

/**
 * One string per primary key, for the point-lookup map: the partition key and the sort key as a tuple
 * (model/tuple-key.ts), so no two keys run together. It is also how an item's storage key ends
 * (encodeStorageKey), so the map's key can be a slice of it rather than a second string.
 */
export function primaryKeyIdentity(key: PrimaryKeyCode): string {
  return tupleComponentOf(key.partitionKey) + tupleComponentOf(key.sortKey);
}

/*
 * The storage key as one string, which the B+ trees hold and compare with `<`: three characters of
 * hash prefix (big-endian bytes), the partition key and the sort key as tuple components (each
 * escaped and terminated, so string order is (partition key, sort key) order), then, in an index, the
 * table key. One flat string of ~20 characters instead of an object and two or three strings.
 *
 * Every character is below U+0100, so the key is a one-byte string (half the bytes, and flat: see
 * `flat`): a sortable string's characters from U+00E0 up (numbers' exponents, non-Latin text) become
 * three characters, E0+(c >> 12), 80+((c >> 6) & 3F), 80+(c & 3F), which sort as the character did and
 * never contain U+0000, so the escape and the terminator keep their meaning.
 */

const WIDE_FROM = 0xe0;

/** A tuple component of a sortable string: one-byte characters, U+0000 escaped, then the terminator. */
function tupleComponentOf(sortable: string): string {
  return componentBody(sortable) + TUPLE_TERMINATOR;
}

function componentBody(sortable: string): string {
  const length = sortable.length;
  let i = 0;
  while (i < length) {
    const c = sortable.charCodeAt(i);
    if (c === 0 || c >= WIDE_FROM) break;
    i++;
  }
  if (i === length) return sortable;
  let out = sortable.slice(0, i);
  for (; i < length; i++) {
    const c = sortable.charCodeAt(i);
    if (c === 0) out += '\u0000\u0002';
    else if (c < WIDE_FROM) out += sortable[i]!;
    else out += String.fromCharCode(WIDE_FROM | (c >>> 12), 0x80 | ((c >>> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

/** The three characters a hash prefix puts first. */
export function encodeHash(hash: number): string {
  return String.fromCharCode(hash >>> 16, (hash >>> 8) & 0xff, hash & 0xff);
}

/** The hash prefix an encoded storage key starts with. O(1). */
export function hashOfStorageKey(key: string): number {
  return (key.charCodeAt(0) << 16) | (key.charCodeAt(1) << 8) | key.charCodeAt(2);
}

/** The encoded storage key of the item collection of one partition key: every key in it starts with this. */
export function encodeCollectionPrefix(hash: number, partitionKey: string): string {
  return encodeHash(hash) + tupleComponentOf(partitionKey);
}

/** A sort key bound inside a collection: `prefix` (encodeCollectionPrefix) then the sortable sort key. */
export function encodeSortBound(prefix: string, sortKey: string): string {
  return prefix + tupleComponentOf(sortKey);
}

/** A sort key prefix (begins_with) inside a collection, unterminated. */
export function encodeSortPrefix(prefix: string, sortKey: string): string {
  return prefix + componentBody(sortKey);
}

/** The one string a storage key is held under. */
export function encodeStorageKey(key: StorageKey): string {
  return flat(encodeHash(key.hash) + tupleComponentOf(key.partitionKey) + tupleComponentOf(key.sortKey) + (key.tableKey ?? ''));
}

/** The storage key an encoded one stands for (slow path: invariant checks, whole-table iteration). */
export function decodeStorageKey(encoded: string): StorageKey {
  let at = 3;
  const component = (): string => {
    let out = '';
    for (;;) {
      const c = encoded.charCodeAt(at);
      if (c === 0) {
        at += 2;
        if (encoded.charCodeAt(at - 1) === 1) return out;
        out += '\u0000';
      } else if (c < WIDE_FROM) {
        out += encoded[at++]!;
      } else {
        out += String.fromCharCode(((c & 0x0f) << 12) | ((encoded.charCodeAt(at + 1) & 0x3f) << 6) | (encoded.charCodeAt(at + 2) & 0x3f));
        at += 3;
      }
    }
  };
  const partitionKey = component();
  const sortKey = component();
  const key: { hash: number; partitionKey: string; sortKey: string; tableKey?: string } = { hash: hashOfStorageKey(encoded), partitionKey, sortKey };
  if (at < encoded.length) key.tableKey = encoded.slice(at);
  return key;
}

/** The longest key `flat` copies (String.fromCharCode takes a character per argument); longer ones stay as built. */
const MAX_FLAT = 8192;

/**
 * The same text as one flat string: concatenation makes a rope (a heap object per piece) that a tree
 * would keep alive; a key stored for good should cost one string. String.fromCharCode of the character
 * codes builds one sequential string, in any engine, in about half the time of TextDecoder('latin1')
 * (which browsers would also read as windows-1252). V8 makes no rope below 13 characters.
 */
function flat(text: string): string {
  const length = text.length;
  if (length < 13 || length > MAX_FLAT) return text;
  const codes = new Array<number>(length);
  for (let i = 0; i < length; i++) codes[i] = text.charCodeAt(i);
  return String.fromCharCode.apply(null, codes);
}

/** Adds the partition key's hash prefix to its sortable strings. */
export function withHash(code: PrimaryKeyCode, item: Record<string, AttributeValue>, schema: PrimaryKeySchema): StorageKey {
  return {
    hash: partitionHashOf(item, schema.partitionKeys, code.partitionKey),
    partitionKey: code.partitionKey,
    sortKey: code.sortKey,
  };
}

/**
 * The hash prefix of a partition key (`encoded`: its sortable string, model/tuple-key.ts): a one-attribute
 * key hashes its value as DynamoDB does, a multi-attribute key its encoded tuple.
 */
export function partitionHashOf(item: Record<string, AttributeValue>, attributes: readonly KeyAttribute[], encoded: string): number {
  return attributes.length === 1 ? hashPrefixOfKeyValue(item[attributes[0]!.name] as KeyValue) : hashPrefixOfString(encoded);
}
