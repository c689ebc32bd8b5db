/**
 * ttl() through the real AWS SDK v3 (in-process and over HTTP): UpdateTimeToLiveCommand and
 * DescribeTimeToLiveCommand shapes and errors as unchanged SDK code sees them, and expiry on the clock.
 */
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ManualClock, ttl } from '@magneto/core';
import { describeTransports, expectSdkError, hashTable, tableNotFound } from './support/sdk.js';

const START = Date.UTC(2024, 0, 1);
const HOUR = 60 * 60 * 1000;

describeTransports((sdkClient) => {
  describe('Time to Live', () => {
    it('enables, describes and expires an item on the database clock', async () => {
      const clock = new ManualClock(START);
      const { client } = await sdkClient({ clock, modules: [ttl()] });
      await client.send(new CreateTableCommand(hashTable('sessions')));
      const update = await client.send(
        new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }),
      );
      expect(update.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
      const enabling = await client.send(new DescribeTimeToLiveCommand({ TableName: 'sessions' }));
      expect(enabling.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLING', AttributeName: 'expiresAt' });
      await clock.advance(60_000);
      const enabled = await client.send(new DescribeTimeToLiveCommand({ TableName: 'sessions' }));
      expect(enabled.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });

      const expiresAt = String(Math.floor(clock.now() / 1000) + 2 * 3600);
      await client.send(new PutItemCommand({ TableName: 'sessions', Item: { id: { S: 's1' }, expiresAt: { N: expiresAt } } }));
      await clock.advance(2 * HOUR - 60_000);
      expect((await client.send(new GetItemCommand({ TableName: 'sessions', Key: { id: { S: 's1' } } }))).Item).toBeDefined();
      await clock.advance(2 * 60_000);
      expect((await client.send(new GetItemCommand({ TableName: 'sessions', Key: { id: { S: 's1' } } }))).Item).toBeUndefined();
    });

    it("answers DynamoDB's errors: already enabled, one change per hour, unknown table", async () => {
      const clock = new ManualClock(START);
      const { client } = await sdkClient({ clock, modules: [ttl()] });
      await client.send(new CreateTableCommand(hashTable('sessions')));
      const enable = new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } });
      await client.send(enable);
      await expectSdkError(client.send(enable), { name: 'ValidationException', message: 'TimeToLive is already enabled' });
      await expectSdkError(
        client.send(new UpdateTimeToLiveCommand({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: false, AttributeName: 'exp' } })),
        { name: 'ValidationException', message: 'Time to live has been modified multiple times within a fixed interval' },
      );
      await expectSdkError(client.send(new DescribeTimeToLiveCommand({ TableName: 'missing' })), tableNotFound('missing'));
    });

    it('without the module, names ttl()', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('sessions')));
      await expectSdkError(client.send(new DescribeTimeToLiveCommand({ TableName: 'sessions' })), {
        name: 'ValidationException',
        message:
          "DescribeTimeToLive needs the ttl module, which this database does not have: create it with new Database({ modules: [ttl()] }) (import { ttl } from '@magneto/core')",
      });
    });
  });
});
