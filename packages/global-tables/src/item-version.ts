import { keyValueBytes, type Item, type Key, type KeyValue, type PrimaryKeySchema } from '@magneto/core';

/**
 * When and where an item's last write happened, which last-writer-wins orders writes by: the write's
 * timestamp first, then (a tie in the same millisecond) the region name, then the writing region's
 * change sequence number (two writes in one region within one millisecond).
 */
export interface ItemVersion {
  /** The write's timestamp, in ms of the writing region's clock. */
  readonly timestamp: number;
  /** The region that accepted the write from a user (or expired it by TTL). */
  readonly region: string;
  /** The writing region's change-feed sequence number: orders its writes within one millisecond. */
  readonly sequence: number;
}

/** Negative when `a` lost to `b`, positive when it won, 0 for the same write. O(1). */
export function compareVersions(a: ItemVersion, b: ItemVersion): number {
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  if (a.region !== b.region) return a.region < b.region ? -1 : 1;
  return a.sequence - b.sequence;
}

/**
 * The version of a local write made on top of `current`: its own timestamp, unless that would not order
 * after `current` (a replicated write stamped by a clock ahead of ours), then just after it. A write
 * applied on top of another must win over it everywhere, or regions would disagree.
 */
export function nextVersion(current: ItemVersion | undefined, timestamp: number, region: string, sequence: number): ItemVersion {
  const candidate = { timestamp, region, sequence };
  if (current === undefined || compareVersions(candidate, current) > 0) return candidate;
  return { timestamp: current.timestamp + 1, region, sequence };
}

/**
 * One string per primary key, for maps: strings as they are, numbers canonical (`1` and `1.0` are the same
 * key), binary as hex; the partition key's length first, so no two keys share a code. O(key size).
 */
export function keyCodeOf(key: Key | Item, schema: PrimaryKeySchema): string {
  const partition = valueCode(key[schema.partitionKeys[0].name] as KeyValue | undefined);
  if (schema.sortKeys[0] === undefined) return partition;
  return `${partition.length}:${partition}${valueCode(key[schema.sortKeys[0].name] as KeyValue | undefined)}`;
}

function valueCode(value: KeyValue | undefined): string {
  if (value === undefined) return '';
  if ('S' in value) return value.S;
  let code = '';
  for (const byte of keyValueBytes(value)) code += byte.toString(16).padStart(2, '0');
  return code;
}

/** The primary key attributes of an item. */
export function keyOf(item: Item, schema: PrimaryKeySchema): Key {
  const key: Record<string, Item[string]> = {};
  for (const attribute of [...schema.partitionKeys, ...schema.sortKeys]) {
    const value = item[attribute.name];
    if (value !== undefined) key[attribute.name] = value;
  }
  return key as Key;
}
