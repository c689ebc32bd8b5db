import type { AttributeValue } from '../model/attribute-value.js';
import type { KeyValue } from '../model/compare-keys.js';
import type { KeyAttribute, PrimaryKeySchema } from '../model/key-schema.js';
import { encodeKeyPart } from '../model/tuple-key.js';
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

/** A key that sorts after every item whose hash prefix is below `hash` and before every other. */
export function hashBoundary(hash: number): StorageKey {
  return { hash: hash - 0.5, partitionKey: '', sortKey: '' };
}

/** The sortable strings of an item's or a key's primary key (no hash: point lookups do not need one). */
export function primaryKeyCodeOf(item: Record<string, AttributeValue>, schema: PrimaryKeySchema): PrimaryKeyCode {
  return { partitionKey: encodeKeyPart(item, schema.partitionKeys)!, sortKey: encodeKeyPart(item, schema.sortKeys)! };
}

/**
 * One string per primary key, for the point-lookup map. Tables without a sort key use the partition
 * key's string itself; otherwise its length prefixes it, so no two keys can run together.
 */
export function primaryKeyIdentity(key: PrimaryKeyCode): string {
  return key.sortKey === '' ? key.partitionKey : `${key.partitionKey.length}:${key.partitionKey}${key.sortKey}`;
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
