/**
 * The identifiers DynamoDB Streams shows: stream labels and ARNs, shard ids and event ids. All are
 * derived deterministically from the database clock and counters, so runs with a ManualClock repeat.
 */

/** A stream label as DynamoDB writes it: an ISO-8601 timestamp with milliseconds and no zone, e.g. `2015-05-20T20:51:10.252`. */
export function streamLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`. */
export function streamArn(region: string, accountId: string, tableName: string, label: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}/stream/${label}`;
}

/** 32 bits of well-mixed hash (murmur3's finalizer) of two 32-bit inputs. */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) + b) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a), for salts. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// Two hex digits per byte, looked up: eventIDs are built for every record read.
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const hex8 = (n: number): string =>
  HEX_BYTES[(n >>> 24) & 0xff]! + HEX_BYTES[(n >>> 16) & 0xff]! + HEX_BYTES[(n >>> 8) & 0xff]! + HEX_BYTES[n & 0xff]!;

/**
 * A shard id shaped like DynamoDB's: `shardId-<20 digits>-<8 hex>` (37 characters; the SDK requires ≥ 28).
 * The digits are the shard's creation time in ms, as DynamoDB's appear to be.
 */
export function shardId(createdAtMs: number, salt: number, ordinal: number): string {
  return `shardId-${String(createdAtMs).padStart(20, '0')}-${hex8(mix32(salt, ordinal))}`;
}

/** An eventID: 32 lowercase hex digits, unique per record of a stream. */
export function eventId(salt: number, sequence: number): string {
  const low = sequence >>> 0;
  const high = Math.floor(sequence / 0x100000000) >>> 0;
  return hex8(mix32(salt, low)) + hex8(mix32(salt ^ 0x5bd1e995, low ^ high)) + hex8(mix32(low, salt)) + hex8(mix32(high + 1, salt ^ low));
}
