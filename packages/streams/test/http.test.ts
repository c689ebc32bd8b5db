import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { Database } from '@magneto/core';
import { startServer } from '@magneto/server';
import { streams } from '@magneto/streams';
import { describe, expect, it } from 'vitest';
import { readStream, streamTable } from './support/clients.js';

const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };

describe('the DynamoDB Streams API over HTTP', () => {
  it('@aws-sdk/client-dynamodb-streams reads records through @magneto/server (SigV4 verified)', async () => {
    const database = new Database({ modules: [streams()] });
    const server = await startServer({ port: 0, database, credentials: [CREDENTIALS] });
    const config = { endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS };
    const dynamodb = new DynamoDBClient(config);
    const streamsClient = new DynamoDBStreamsClient(config);
    try {
      await dynamodb.send(new CreateTableCommand(streamTable('web', 'NEW_AND_OLD_IMAGES')));
      await dynamodb.send(new PutItemCommand({ TableName: 'web', Item: { id: { S: 'h' }, bin: { B: new Uint8Array([1, 2, 3]) } } }));
      await dynamodb.send(new PutItemCommand({ TableName: 'web', Item: { id: { S: 'h' }, n: { N: '1' } } }));
      const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'web' }))).Table!.LatestStreamArn!;
      expect((await streamsClient.send(new ListStreamsCommand({}))).Streams!.map((s) => s.StreamArn)).toEqual([arn]);
      const records = await readStream(streamsClient, arn);
      expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
      expect(records[1]!.dynamodb!.OldImage).toEqual({ id: { S: 'h' }, bin: { B: new Uint8Array([1, 2, 3]) } });
      expect(records[1]!.dynamodb!.NewImage).toEqual({ id: { S: 'h' }, n: { N: '1' } });
      expect(records[0]!.dynamodb!.ApproximateCreationDateTime).toBeInstanceOf(Date);
    } finally {
      dynamodb.destroy();
      streamsClient.destroy();
      await server.close();
    }
  });
});
