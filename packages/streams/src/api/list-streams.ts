import type { StreamStore } from '../stream-store.js';
import { NAME_PATTERN, beginConstraints, checkShape } from '@magneto/core';
import { LIST_STREAMS_SHAPE, STREAM_ARN_MAX, STREAM_ARN_MIN } from './constraints.js';

export interface ListStreamsInput {
  TableName?: string;
  Limit?: number;
  ExclusiveStartStreamArn?: string;
}
export interface ListStreamsOutput {
  Streams: Array<{ StreamArn: string; TableName: string; StreamLabel: string }>;
  LastEvaluatedStreamArn?: string;
}

const MAX_LIMIT = 100;

/** ListStreams: the readable streams (enabled, or disabled less than 24 h ago), by ARN, optionally of one table. */
export function listStreams(store: StreamStore, input: ListStreamsInput): ListStreamsOutput {
  checkShape(input as unknown as Record<string, unknown>, LIST_STREAMS_SHAPE);
  const c = beginConstraints();
  // Length before pattern: the order ListStreams has reported here so far (not confirmed against AWS).
  c.length('tableName', input.TableName, 3, 255);
  c.pattern('tableName', input.TableName, NAME_PATTERN);
  c.min('limit', input.Limit, 1);
  c.length('exclusiveStartStreamArn', input.ExclusiveStartStreamArn, STREAM_ARN_MIN, STREAM_ARN_MAX);
  c.finish();
  const limit = Math.min(input.Limit ?? MAX_LIMIT, MAX_LIMIT);
  const after = input.ExclusiveStartStreamArn;
  const matching = store
    .list()
    .filter((s) => (input.TableName === undefined || s.tableName === input.TableName) && (after === undefined || s.arn > after));
  const page = matching.slice(0, limit);
  const output: ListStreamsOutput = {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
  };
  if (matching.length > limit) output.LastEvaluatedStreamArn = page[page.length - 1]!.arn;
  return output;
}
