import type { StreamStore } from '../stream-store.js';
import { Constraints, expectType, STREAM_ARN_MAX, STREAM_ARN_MIN } from './constraints.js';

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
  expectType(input.TableName, 'string');
  expectType(input.Limit, 'integer');
  expectType(input.ExclusiveStartStreamArn, 'string');
  new Constraints()
    .length('tableName', input.TableName, 3, 255)
    .pattern('tableName', input.TableName, '[a-zA-Z0-9_.-]+', /^[a-zA-Z0-9_.-]+$/)
    .range('limit', input.Limit, 1)
    .length('exclusiveStartStreamArn', input.ExclusiveStartStreamArn, STREAM_ARN_MIN, STREAM_ARN_MAX)
    .finish();
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
