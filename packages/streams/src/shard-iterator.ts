import { hashString, mix32 } from './ids.js';

/** Where a shard iterator points: a shard of a stream, and the first sequence number it reads. */
export interface IteratorPosition {
  readonly streamArn: string;
  readonly shardId: string;
  /** Reads the records whose sequence number is ≥ this counter value. */
  readonly sequence: number;
  /** When GetShardIterator (or GetRecords, for NextShardIterator) issued it, on the database clock. */
  readonly issuedAt: number;
}

/**
 * Encodes a position as DynamoDB shapes its iterators: `<stream ARN>|1|<opaque base64>`. The opaque
 * part carries a checksum, so a truncated or edited iterator is refused as malformed.
 */
export function encodeShardIterator(position: IteratorPosition): string {
  const body = `${position.shardId}|${position.sequence}|${position.issuedAt}`;
  const check = mix32(hashString(position.streamArn), hashString(body)).toString(36);
  return `${position.streamArn}|1|${btoa(`${body}|${check}`)}`;
}

/** The position an iterator encodes, or undefined when it is malformed. */
export function decodeShardIterator(iterator: string): IteratorPosition | undefined {
  const parts = iterator.split('|');
  if (parts.length !== 3 || parts[1] !== '1') return undefined;
  const streamArn = parts[0]!;
  let opaque: string;
  try {
    opaque = atob(parts[2]!);
  } catch {
    return undefined;
  }
  const fields = opaque.split('|');
  if (fields.length !== 4) return undefined;
  const [shardId, sequenceText, issuedText, check] = fields as [string, string, string, string];
  const body = `${shardId}|${sequenceText}|${issuedText}`;
  if (mix32(hashString(streamArn), hashString(body)).toString(36) !== check) return undefined;
  const sequence = Number(sequenceText);
  const issuedAt = Number(issuedText);
  if (!Number.isSafeInteger(sequence) || !Number.isFinite(issuedAt)) return undefined;
  return { streamArn, shardId, sequence, issuedAt };
}
