import { ResourceNotFoundException, TrimmedDataAccessException, ValidationException } from '@magneto/core';
import { isSequenceNumberShaped, parseSequenceNumber } from '../sequence-number.js';
import { encodeShardIterator } from '../shard-iterator.js';
import type { Shard } from '../shard.js';
import type { StreamStore } from '../stream-store.js';
import type { Stream } from '../stream.js';
import { beginConstraints, checkShape, defineEnum } from '@magneto/core';
import { GET_SHARD_ITERATOR_SHAPE, SHARD_ID_MAX, SHARD_ID_MIN, STREAM_ARN_MAX, STREAM_ARN_MIN } from './constraints.js';
import { streamNotFound } from './describe-stream.js';

export type ShardIteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';

export interface GetShardIteratorInput {
  StreamArn: string;
  ShardId: string;
  ShardIteratorType: ShardIteratorType;
  SequenceNumber?: string;
}
export interface GetShardIteratorOutput {
  ShardIterator: string;
}

const ITERATOR_TYPES = defineEnum(['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] satisfies ShardIteratorType[]);

/** The message for a shard the stream does not have (never had, or trimmed away). */
export function shardNotFound(stream: Stream, shardId: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Requested resource not found: Shard does not exist: ${shardId} in stream ${stream.arn}`);
}

/** The message of TrimmedDataAccessException. */
export const TRIMMED_MESSAGE = 'The operation attempted to read past the oldest stream record in a shard.';

/** GetShardIterator: an iterator on one shard, at TRIM_HORIZON, LATEST, or a sequence number. Valid for 15 minutes. */
export function getShardIterator(store: StreamStore, input: GetShardIteratorInput): GetShardIteratorOutput {
  checkShape(input as unknown as Record<string, unknown>, GET_SHARD_ITERATOR_SHAPE);
  const c = beginConstraints();
  if (c.notNull('streamArn', input.StreamArn)) c.length('streamArn', input.StreamArn, STREAM_ARN_MIN, STREAM_ARN_MAX);
  if (c.notNull('shardId', input.ShardId)) c.length('shardId', input.ShardId, SHARD_ID_MIN, SHARD_ID_MAX);
  if (c.notNull('shardIteratorType', input.ShardIteratorType)) c.oneOf('shardIteratorType', input.ShardIteratorType, ITERATOR_TYPES);
  c.length('sequenceNumber', input.SequenceNumber, 21, 40);
  c.finish();
  const type = input.ShardIteratorType;
  const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (bySequence && input.SequenceNumber === undefined) {
    throw new ValidationException(`SequenceNumber is required for ShardIteratorType ${type}`);
  }
  if (!bySequence && input.SequenceNumber !== undefined) {
    throw new ValidationException(`SequenceNumber must not be specified for ShardIteratorType ${type}`);
  }
  const stream = store.stream(input.StreamArn);
  if (stream === undefined) throw streamNotFound(input.StreamArn);
  const shard = stream.shard(input.ShardId);
  if (shard === undefined) throw shardNotFound(stream, input.ShardId);
  const sequence = startingPosition(shard, type, input.SequenceNumber);
  return {
    ShardIterator: encodeShardIterator({
      streamArn: stream.arn,
      shardId: shard.id,
      sequence,
      issuedAt: store.context.clock.now(),
    }),
  };
}

/** The first sequence number the iterator reads. */
function startingPosition(shard: Shard, type: ShardIteratorType, sequenceText: string | undefined): number {
  if (type === 'TRIM_HORIZON') return shard.trimmedThrough + 1;
  if (type === 'LATEST') return shard.lastSequence + 1;
  const text = sequenceText!;
  const sequence = isSequenceNumberShaped(text) ? parseSequenceNumber(text) : undefined;
  const last = shard.endingSequence ?? shard.lastSequence;
  if (sequence === undefined || sequence < shard.startingSequence || sequence > last) {
    throw new ValidationException(`Invalid SequenceNumber ${text} for shard ${shard.id}`);
  }
  if (sequence <= shard.trimmedThrough) throw new TrimmedDataAccessException(TRIMMED_MESSAGE);
  return type === 'AT_SEQUENCE_NUMBER' ? sequence : sequence + 1;
}
