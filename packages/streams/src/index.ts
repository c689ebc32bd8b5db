/**
 * @magneto/streams — DynamoDB Streams for Magneto.
 *
 * @example
 * import { Database } from '@magneto/core';
 * import { streams } from '@magneto/streams';
 * const db = new Database({ modules: [streams()] });
 */
export { streams, type StreamsModule, type StreamsOptions } from './streams-module.js';
export type { StreamRecord, StreamRecordData, StreamRecordIdentity } from './stream-record.js';
export type { StreamViewType, StreamStatus } from './stream.js';
export type { ListStreamsInput, ListStreamsOutput } from './api/list-streams.js';
export type { DescribeStreamInput, DescribeStreamOutput, ShardDescription } from './api/describe-stream.js';
export type { GetShardIteratorInput, GetShardIteratorOutput, ShardIteratorType } from './api/get-shard-iterator.js';
export type { GetRecordsInput, GetRecordsOutput } from './api/get-records.js';
export {
  TriggerManager,
  InvalidParameterValueException,
  parseFilterCriteria,
  type Trigger,
  type TriggerHandler,
  type TriggerOptions,
  type TriggerResponse,
  type TriggerStats,
  type StartingPosition,
  type FilterCriteria,
  type DynamoDBStreamEvent,
  type LambdaStreamRecord,
  type LambdaAttributeValue,
  type TriggerFailureRecord,
  type TriggerFailureCondition,
} from './triggers/index.js';
export * from './kinesis/index.js';
