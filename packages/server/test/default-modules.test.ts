import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { startServer, type RunningServer } from '@magneto/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A server started without a database serves every module Magneto has: streams and TTL included.
describe('the default server database', () => {
  let server: RunningServer;
  const config = () => ({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  let dynamodb: DynamoDBClient;
  let streamsClient: DynamoDBStreamsClient;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
    dynamodb = new DynamoDBClient({ endpoint: server.url, ...config() });
    streamsClient = new DynamoDBStreamsClient({ endpoint: server.url, ...config() });
  });
  afterAll(async () => {
    dynamodb.destroy();
    streamsClient.destroy();
    await server.close();
  });

  it('serves DynamoDB Streams records of writes made over HTTP', async () => {
    const created = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'events',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const streamArn = created.TableDescription?.LatestStreamArn;
    expect(streamArn).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/events\/stream\//);
    await dynamodb.send(new PutItemCommand({ TableName: 'events', Item: { id: { S: 'e1' }, kind: { S: 'signup' } } }));

    const listed = await streamsClient.send(new ListStreamsCommand({ TableName: 'events' }));
    expect(listed.Streams?.map((s) => s.StreamArn)).toEqual([streamArn]);
    const described = await streamsClient.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = described.StreamDescription?.Shards?.[0]?.ShardId;
    const { ShardIterator } = await streamsClient.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records } = await streamsClient.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records?.map((r) => [r.eventName, r.dynamodb?.NewImage])).toEqual([['INSERT', { id: { S: 'e1' }, kind: { S: 'signup' } }]]);
  });

  it('serves Time to Live', async () => {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'sessions',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const updated = await dynamodb.send(
      new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }),
    );
    expect(updated.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
    const described = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'sessions' }));
    expect(described.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
  });
});
