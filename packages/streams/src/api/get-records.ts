import { ExpiredIteratorException, TrimmedDataAccessException, ValidationException } from '@magneto/core';
import { decodeShardIterator, encodeShardIterator } from '../shard-iterator.js';
import { shapeStreamRecord, type StreamRecord } from '../stream-record.js';
import type { StreamStore } from '../stream-store.js';
import { beginConstraints, checkShape } from '@magneto/core';
import { GET_RECORDS_SHAPE } from './constraints.js';
import { streamNotFound } from './describe-stream.js';
import { shardNotFound, TRIMMED_MESSAGE } from './get-shard-iterator.js';

export interface GetRecordsInput {
  ShardIterator: string;
  Limit?: number;
}
export interface GetRecordsOutput {
  Records: StreamRecord[];
  /** Absent once a closed shard has been read to its end. */
  NextShardIterator?: string;
}

/** GetRecords returns at most 1,000 records… */
const MAX_RECORDS = 1000;
/** …or 1 MB of them. */
const MAX_BYTES = 1024 * 1024;
/** An iterator is good for 15 minutes of the database clock. */
export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

/** GetRecords: the records from the iterator's position, and the iterator to continue from. */
export function getRecords(store: StreamStore, input: GetRecordsInput): GetRecordsOutput {
  checkShape(input as unknown as Record<string, unknown>, GET_RECORDS_SHAPE);
  const c = beginConstraints();
  if (c.notNull('shardIterator', input.ShardIterator)) c.length('shardIterator', input.ShardIterator, 1, 2048);
  c.min('limit', input.Limit, 1);
  c.max('limit', input.Limit, MAX_RECORDS);
  c.finish();
  const position = decodeShardIterator(input.ShardIterator);
  if (position === undefined) throw new ValidationException('Invalid ShardIterator');
  const now = store.context.clock.now();
  const stream = store.stream(position.streamArn);
  if (stream === undefined) throw streamNotFound(position.streamArn);
  if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
    throw new ExpiredIteratorException('Shard iterator has expired');
  }
  const shard = stream.shard(position.shardId);
  if (shard === undefined) throw shardNotFound(stream, position.shardId);
  if (position.sequence <= shard.trimmedThrough) throw new TrimmedDataAccessException(TRIMMED_MESSAGE);

  const limit = input.Limit ?? MAX_RECORDS;
  const records: StreamRecord[] = [];
  const log = shard.records;
  let index = log.positionAtOrAfter(position.sequence);
  let next = position.sequence;
  let bytes = 0;
  const region = store.context.region;
  while (index < log.end && records.length < limit) {
    const sequence = log.sequenceAt(index);
    const record = shapeStreamRecord(log.changeAt(index), sequence, stream.viewType, region, stream.salt);
    bytes += record.dynamodb.SizeBytes;
    if (bytes > MAX_BYTES && records.length > 0) break;
    records.push(record);
    next = sequence + 1;
    index++;
  }
  const output: GetRecordsOutput = { Records: records };
  // A closed shard read to its end has no next iterator: the reader moves on to its children.
  if (shard.isOpen || index < log.end) {
    output.NextShardIterator = encodeShardIterator({ streamArn: stream.arn, shardId: shard.id, sequence: next, issuedAt: now });
  }
  return output;
}
