import { ResourceNotFoundException, type KeySchemaElement } from '@magneto/core';
import { formatSequenceNumber } from '../sequence-number.js';
import type { Shard } from '../shard.js';
import type { StreamStore } from '../stream-store.js';
import type { StreamStatus, StreamViewType } from '../stream.js';
import { beginConstraints, checkShape } from '@magneto/core';
import { DESCRIBE_STREAM_SHAPE, SHARD_FILTER_TYPE, SHARD_ID_MAX, SHARD_ID_MIN, STREAM_ARN_MAX, STREAM_ARN_MIN } from './constraints.js';

export interface DescribeStreamInput {
  StreamArn: string;
  Limit?: number;
  ExclusiveStartShardId?: string;
  ShardFilter?: { Type?: string; ShardId?: string };
}

export interface ShardDescription {
  ShardId: string;
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
  ParentShardId?: string;
}

export interface DescribeStreamOutput {
  StreamDescription: {
    StreamArn: string;
    StreamLabel: string;
    StreamStatus: StreamStatus;
    StreamViewType: StreamViewType;
    CreationRequestDateTime: Date;
    TableName: string;
    KeySchema: KeySchemaElement[];
    Shards: ShardDescription[];
    LastEvaluatedShardId?: string;
  };
}

const MAX_LIMIT = 100;

/** The message DynamoDB Streams answers for a stream it does not know. */
export function streamNotFound(arn: string): ResourceNotFoundException {
  return new ResourceNotFoundException(`Requested resource not found: Stream: ${arn} not found`);
}

/** DescribeStream: the stream, and a page of its shards in creation order (parents before children). */
export function describeStream(store: StreamStore, input: DescribeStreamInput): DescribeStreamOutput {
  checkShape(input as unknown as Record<string, unknown>, DESCRIBE_STREAM_SHAPE);
  const filter = input.ShardFilter;
  const c = beginConstraints();
  if (c.notNull('streamArn', input.StreamArn)) c.length('streamArn', input.StreamArn, STREAM_ARN_MIN, STREAM_ARN_MAX);
  c.min('limit', input.Limit, 1);
  c.length('exclusiveStartShardId', input.ExclusiveStartShardId, SHARD_ID_MIN, SHARD_ID_MAX);
  c.oneOf('shardFilter.type', filter?.Type, SHARD_FILTER_TYPE);
  c.length('shardFilter.shardId', filter?.ShardId, SHARD_ID_MIN, SHARD_ID_MAX);
  c.finish();
  const stream = store.stream(input.StreamArn);
  if (stream === undefined) throw streamNotFound(input.StreamArn);

  let shards: readonly Shard[] = stream.shards;
  if (filter?.Type === 'CHILD_SHARDS' && filter.ShardId !== undefined) {
    const parent = filter.ShardId;
    shards = shards.filter((s) => s.parentId === parent);
  }
  const after = input.ExclusiveStartShardId;
  if (after !== undefined) {
    const index = shards.findIndex((s) => s.id === after);
    shards = index >= 0 ? shards.slice(index + 1) : shards.filter((s) => s.id > after);
  }
  const limit = Math.min(input.Limit ?? MAX_LIMIT, MAX_LIMIT);
  const page = shards.slice(0, limit);
  const description: DescribeStreamOutput['StreamDescription'] = {
    StreamArn: stream.arn,
    StreamLabel: stream.label,
    StreamStatus: stream.status,
    StreamViewType: stream.viewType,
    CreationRequestDateTime: new Date(stream.createdAt),
    TableName: stream.tableName,
    KeySchema: stream.keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    Shards: page.map(describeShard),
  };
  if (shards.length > limit) description.LastEvaluatedShardId = page[page.length - 1]!.id;
  return { StreamDescription: description };
}

function describeShard(shard: Shard): ShardDescription {
  const range: ShardDescription['SequenceNumberRange'] = { StartingSequenceNumber: formatSequenceNumber(shard.startingSequence) };
  if (shard.endingSequence !== undefined) range.EndingSequenceNumber = formatSequenceNumber(shard.endingSequence);
  const description: ShardDescription = { ShardId: shard.id, SequenceNumberRange: range };
  if (shard.parentId !== undefined) description.ParentShardId = shard.parentId;
  return description;
}
