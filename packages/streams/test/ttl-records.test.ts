import { CreateTableCommand, DescribeTableCommand, PutItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createRequestHandler, ttl } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { readStream, setup, streamTable } from './support/clients.js';

describe('records of TTL deletions', () => {
  it('carry userIdentity { type: "Service", principalId: "dynamodb.amazonaws.com" }, camelCase on the wire too', async () => {
    const { db, dynamodb, streamsClient, clock } = setup({ modules: [ttl({ sweepIntervalMs: 1000, transitionMs: 0 })] });
    await dynamodb.send(new CreateTableCommand(streamTable('sessions', 'OLD_IMAGE')));
    await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    const expiresAt = String(Math.floor(clock.now() / 1000) + 60);
    await dynamodb.send(new PutItemCommand({ TableName: 'sessions', Item: { id: { S: 's1' }, exp: { N: expiresAt } } }));
    await clock.advance(2 * 60 * 1000);
    const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'sessions' }))).Table!.LatestStreamArn!;
    const records = await readStream(streamsClient, arn);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(records[0]!.userIdentity).toBeUndefined();
    // The SDK's model names Identity's members PrincipalId and Type, so its deserializer drops the camelCase
    // keys AWS writes: SDK consumers see the member present (a TTL deletion) but empty, as against DynamoDB.
    expect(records[1]!.userIdentity).toBeDefined();
    expect(records[1]!.dynamodb!.OldImage).toEqual({ id: { S: 's1' }, exp: { N: expiresAt } });

    // On the wire, as AWS writes it.
    const handler = createRequestHandler(db);
    const call = async (operation: string, input: object): Promise<Record<string, unknown>> => {
      const { response } = await handler.handle({
        headers: { 'x-amz-target': `DynamoDBStreams_20120810.${operation}`, 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify(input),
      });
      return JSON.parse(new TextDecoder().decode(response.body)) as Record<string, unknown>;
    };
    const described = (await call('DescribeStream', { StreamArn: arn })) as { StreamDescription: { Shards: Array<{ ShardId: string }> } };
    const { ShardIterator } = (await call('GetShardIterator', {
      StreamArn: arn,
      ShardId: described.StreamDescription.Shards[0]!.ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    })) as { ShardIterator: string };
    const page = (await call('GetRecords', { ShardIterator })) as { Records: Array<Record<string, unknown>> };
    const remove = page.Records[1]!;
    expect(remove.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(Object.keys(remove)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'userIdentity']);
    const data = remove.dynamodb as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['ApproximateCreationDateTime', 'Keys', 'OldImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
    // Epoch seconds, whole: rounded down to the second.
    expect(Number.isInteger(data.ApproximateCreationDateTime)).toBe(true);
    // In process (context.execute, db.execute), the record is as AWS writes it too.
    const direct = (await db.execute('DynamoDBStreams_20120810', 'GetRecords', { ShardIterator })) as { Records: Array<{ userIdentity?: unknown }> };
    expect(direct.Records[1]!.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });
});
