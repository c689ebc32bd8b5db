import { INTEGER, STRING, defineEnum, struct } from '@magneto/core';

/**
 * The DynamoDB Streams operations' request shapes and member limits. The checks themselves are core's
 * (`checkShape`, `beginConstraints`), so Streams' errors are worded as every other operation's.
 */

export const STREAM_ARN_MIN = 37;
export const STREAM_ARN_MAX = 1024;
export const SHARD_ID_MIN = 28;
export const SHARD_ID_MAX = 65;

export const LIST_STREAMS_SHAPE = struct('ListStreamsInput', { TableName: STRING, Limit: INTEGER, ExclusiveStartStreamArn: STRING });
export const DESCRIBE_STREAM_SHAPE = struct('DescribeStreamInput', {
  StreamArn: STRING,
  Limit: INTEGER,
  ExclusiveStartShardId: STRING,
  ShardFilter: struct('ShardFilter', { Type: STRING, ShardId: STRING }),
});
export const GET_SHARD_ITERATOR_SHAPE = struct('GetShardIteratorInput', {
  StreamArn: STRING,
  ShardId: STRING,
  ShardIteratorType: STRING,
  SequenceNumber: STRING,
});
export const GET_RECORDS_SHAPE = struct('GetRecordsInput', { ShardIterator: STRING, Limit: INTEGER });

export const SHARD_FILTER_TYPE = defineEnum(['CHILD_SHARDS']);
