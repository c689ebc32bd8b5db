/** Secondary indexes through the real AWS SDK v3 client: shapes and errors as the SDK decodes them. */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@magneto/core';
import { expectSdkError, describeTransports } from './support/sdk.js';
import { attributes, keys } from './support/tables.js';

const INVALID = 'One or more parameter values were invalid: ';

describeTransports((sdkClient) => {
  describe('secondary indexes over the SDK', () => {
    it('creates, describes and maintains GSIs and LSIs; reports ItemCollectionMetrics', async () => {
      const { client, db } = await sdkClient();
      const created = await client.send(
        new CreateTableCommand({
          TableName: 'sdk-idx',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keys('pk', 'sk'),
          AttributeDefinitions: attributes({ pk: 'S', sk: 'S', g: 'S', l: 'N' }),
          GlobalSecondaryIndexes: [
            { IndexName: 'byG', KeySchema: keys('g'), Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a'] } },
          ],
          LocalSecondaryIndexes: [
            {
              IndexName: 'byL',
              KeySchema: keys('pk', 'l'),
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
      expect(created.TableDescription?.GlobalSecondaryIndexes?.[0]).toEqual({
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a'] },
        IndexStatus: 'CREATING',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        IndexSizeBytes: 0,
        ItemCount: 0,
        IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/sdk-idx/index/byG',
      });

      const put = await client.send(
        new PutItemCommand({
          TableName: 'sdk-idx',
          Item: { pk: { S: 'p' }, sk: { S: 's' }, g: { S: 'x' }, l: { N: '1' }, a: { S: 'kept' }, b: { S: 'not projected' } },
          ReturnItemCollectionMetrics: 'SIZE',
        }),
      );
      expect(put.ItemCollectionMetrics).toEqual({ ItemCollectionKey: { pk: { S: 'p' } }, SizeEstimateRangeGB: [0, 1] });
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'sdk-idx' }));
      expect(Table?.GlobalSecondaryIndexes?.[0]?.ItemCount).toBe(1);
      expect(Table?.LocalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'byL', ItemCount: 1, Projection: { ProjectionType: 'KEYS_ONLY' } });
      const entry = [...db.engine.tables.get('sdk-idx')!.index('byG')!.storage.entries()][0]![1];
      expect(entry).toEqual({ pk: { S: 'p' }, sk: { S: 's' }, g: { S: 'x' }, a: { S: 'kept' } });

      await expectSdkError(client.send(new PutItemCommand({ TableName: 'sdk-idx', Item: { pk: { S: 'p' }, sk: { S: 's' }, g: { N: '1' } } })), {
        name: 'ValidationException',
        message: `${INVALID}Type mismatch for Index Key g Expected: S Actual: N IndexName: byG`,
      });
      await client.send(new DeleteItemCommand({ TableName: 'sdk-idx', Key: { pk: { S: 'p' }, sk: { S: 's' } } }));
      expect(db.engine.tables.get('sdk-idx')!.index('byG')!.storage.itemCount).toBe(0);
    });

    it('creates a GSI online and refuses a second one in the same call', async () => {
      const clock = new ManualClock(0);
      // LimitExceededException is a throttling error to the SDK: no retries, or the test waits for them.
      const { client } = await sdkClient({ clock, tableTransitionMs: 50 }, { maxAttempts: 1 });
      await client.send(
        new CreateTableCommand({
          TableName: 'sdk-online',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keys('id'),
          AttributeDefinitions: attributes({ id: 'S' }),
        }),
      );
      await clock.advance(50);
      await client.send(new PutItemCommand({ TableName: 'sdk-online', Item: { id: { S: '1' }, g: { S: 'x' } } }));
      const create = (IndexName: string) => ({
        Create: { IndexName, KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } },
      });
      await expectSdkError(
        client.send(
          new UpdateTableCommand({
            TableName: 'sdk-online',
            AttributeDefinitions: attributes({ g: 'S' }),
            GlobalSecondaryIndexUpdates: [create('one'), create('two')],
          }),
        ),
        { name: 'LimitExceededException', message: 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table' },
      );
      const out = await client.send(
        new UpdateTableCommand({
          TableName: 'sdk-online',
          AttributeDefinitions: attributes({ g: 'S' }),
          GlobalSecondaryIndexUpdates: [create('one')],
        }),
      );
      expect(out.TableDescription?.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexStatus: 'CREATING', Backfilling: true, ItemCount: 1 });
      await clock.advance(50);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'sdk-online' }));
      expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus).toBe('ACTIVE');
      expect(Table?.GlobalSecondaryIndexes?.[0]?.Backfilling).toBeUndefined();
    });
  });
});
