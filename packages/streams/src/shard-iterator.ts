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
 * Positions of recently issued iterators, by iterator. Decoding is a pure function of the string, so a
 * memo is exact; it spares the readers that pass back the iterators they were given (the usual case: a
 * trigger or a poller following NextShardIterator) a split, a base64 decode and two checksums per
 * GetRecords. The string is the Map key: V8 hashes a string once and keeps the hash on it. Bounded: it is
 * emptied when full (a reader whose entry went just decodes).
 */
const issued = new Map<string, IteratorPosition>();
const ISSUED_MAX = 4096;

/** hashString of the last stream ARN encoded: one stream's iterators are encoded one after another. */
let lastArn = '';
let lastArnHash = hashString('');

function arnHash(streamArn: string): number {
  if (streamArn !== lastArn) {
    lastArn = streamArn;
    lastArnHash = hashString(streamArn);
  }
  return lastArnHash;
}

/**
 * Encodes a position as DynamoDB shapes its iterators: `<stream ARN>|1|<opaque base64>`. The opaque
 * part carries a checksum, so a truncated or edited iterator is refused as malformed.
 */
export function encodeShardIterator(position: IteratorPosition): string {
  const body = `${position.shardId}|${position.sequence}|${position.issuedAt}`;
  const check = mix32(arnHash(position.streamArn), hashString(body)).toString(36);
  const iterator = `${position.streamArn}|1|${btoa(`${body}|${check}`)}`;
  if (issued.size >= ISSUED_MAX) issued.clear();
  issued.set(iterator, position);
  return iterator;
}

/** The position an iterator encodes, or undefined when it is malformed. */
export function decodeShardIterator(iterator: string): IteratorPosition | undefined {
  const known = issued.get(iterator);
  if (known !== undefined) return known;
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
  if (mix32(arnHash(streamArn), hashString(body)).toString(36) !== check) return undefined;
  const sequence = Number(sequenceText);
  const issuedAt = Number(issuedText);
  if (!Number.isSafeInteger(sequence) || !Number.isFinite(issuedAt)) return undefined;
  return { streamArn, shardId, sequence, issuedAt };
}
