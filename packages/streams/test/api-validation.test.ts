import { Database } from '@magneto/core';
import { streams } from '@magneto/streams';
import { describe, expect, it } from 'vitest';

const STREAMS = 'DynamoDBStreams_20120810';

async function failure(db: Database, operation: string, input: Record<string, unknown>): Promise<{ name: string; message: string }> {
  const error = (await db.execute(STREAMS, operation, input).then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  )) as Error;
  return { name: error.name, message: error.message };
}

describe('DynamoDB Streams API validation', () => {
  const db = new Database({ modules: [streams()] });
  const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000';

  it('required members, lengths and enums, all reported together', async () => {
    expect(await failure(db, 'GetShardIterator', {})).toEqual({
      name: 'ValidationException',
      message:
        '3 validation errors detected: ' +
        "Value null at 'streamArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'shardId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null",
    });
    expect(await failure(db, 'GetShardIterator', { StreamArn: 'arn:short', ShardId: 'x'.repeat(28), ShardIteratorType: 'OLDEST' })).toEqual({
      name: 'ValidationException',
      message:
        '2 validation errors detected: ' +
        "Value 'arn:short' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37; " +
        "Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]",
    });
    expect(await failure(db, 'GetRecords', {})).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null",
    });
    expect(await failure(db, 'DescribeStream', { StreamArn: arn, Limit: 0, ShardFilter: { Type: 'PARENT' } })).toEqual({
      name: 'ValidationException',
      message:
        '2 validation errors detected: ' +
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
        "Value 'PARENT' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]",
    });
  });

  it('members of the wrong JSON type are SerializationException', async () => {
    expect(await failure(db, 'GetRecords', { ShardIterator: 'x', Limit: '5' })).toEqual({
      name: 'SerializationException',
      message: 'STRING_VALUE cannot be converted to Integer',
    });
    expect(await failure(db, 'DescribeStream', { StreamArn: 12 })).toEqual({
      name: 'SerializationException',
      message: 'NUMBER_VALUE cannot be converted to String',
    });
  });

  it('an unknown stream is ResourceNotFoundException', async () => {
    expect(await failure(db, 'DescribeStream', { StreamArn: arn })).toEqual({
      name: 'ResourceNotFoundException',
      message: `Requested resource not found: Stream: ${arn} not found`,
    });
    expect(await db.execute(STREAMS, 'ListStreams', {})).toEqual({ Streams: [] });
  });
});
