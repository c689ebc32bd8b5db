import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { readStream, REGION, setup, streamTable } from './support/clients.js';

const VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;
type ViewType = (typeof VIEW_TYPES)[number];

/** The `dynamodb` member DynamoDB writes for a change, per view type. */
function expectedImages(viewType: ViewType, oldImage: object | undefined, newImage: object | undefined): Record<string, unknown> {
  const images: Record<string, unknown> = {};
  if ((viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && newImage) images.NewImage = newImage;
  if ((viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES') && oldImage) images.OldImage = oldImage;
  return images;
}

async function tableWithStream(viewType: ViewType) {
  const s = setup();
  await s.dynamodb.send(new CreateTableCommand(streamTable('users', viewType)));
  const { Table } = await s.dynamodb.send(new DescribeTableCommand({ TableName: 'users' }));
  return { ...s, arn: Table!.LatestStreamArn! };
}

describe.each(VIEW_TYPES)('records of a %s stream', (viewType) => {
  it('PutItem: INSERT, MODIFY; an identical put writes nothing', async () => {
    const { dynamodb, streamsClient, arn, clock } = await tableWithStream(viewType);
    const v1 = { id: { S: 'a' }, n: { N: '1' } };
    const v2 = { id: { S: 'a' }, n: { N: '2' } };
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: v1 }));
    await clock.advance(1500);
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: v2 }));
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: v2 }));
    const records = await readStream(streamsClient, arn);
    expect(records).toHaveLength(2);
    const [insert, modify] = records;
    expect(insert).toEqual({
      eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: new Date(Date.UTC(2026, 0, 15, 12, 0, 0)),
        Keys: { id: { S: 'a' } },
        ...expectedImages(viewType, undefined, v1),
        SequenceNumber: expect.stringMatching(/^\d{21}$/),
        SizeBytes: expect.any(Number),
        StreamViewType: viewType,
      },
    });
    expect(modify).toMatchObject({
      eventName: 'MODIFY',
      dynamodb: { ApproximateCreationDateTime: new Date(Date.UTC(2026, 0, 15, 12, 0, 1)), ...expectedImages(viewType, v1, v2) },
    });
    expect(modify!.dynamodb!.NewImage === undefined).toBe(viewType === 'KEYS_ONLY' || viewType === 'OLD_IMAGE');
    expect(BigInt(modify!.dynamodb!.SequenceNumber!)).toBeGreaterThan(BigInt(insert!.dynamodb!.SequenceNumber!));
    expect(insert!.eventID).not.toBe(modify!.eventID);
  });

  it('UpdateItem: INSERT on a missing item, MODIFY on an existing one', async () => {
    const { dynamodb, streamsClient, arn } = await tableWithStream(viewType);
    const update = (value: string) =>
      dynamodb.send(
        new UpdateItemCommand({
          TableName: 'users',
          Key: { id: { S: 'u' } },
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeValues: { ':v': { S: value } },
        }),
      );
    await update('one');
    await update('two');
    await update('two');
    const records = await readStream(streamsClient, arn);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(records[1]!.dynamodb).toMatchObject(
      expectedImages(viewType, { id: { S: 'u' }, v: { S: 'one' } }, { id: { S: 'u' }, v: { S: 'two' } }),
    );
  });

  it('DeleteItem: REMOVE for an existing item, nothing for a missing one', async () => {
    const { dynamodb, streamsClient, arn } = await tableWithStream(viewType);
    const item = { id: { S: 'd' }, x: { BOOL: true } };
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: item }));
    await dynamodb.send(new DeleteItemCommand({ TableName: 'users', Key: { id: { S: 'd' } } }));
    await dynamodb.send(new DeleteItemCommand({ TableName: 'users', Key: { id: { S: 'missing' } } }));
    const records = await readStream(streamsClient, arn);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    const remove = records[1]!;
    expect(remove.dynamodb!.Keys).toEqual({ id: { S: 'd' } });
    expect(remove.dynamodb!.NewImage).toBeUndefined();
    expect(remove.dynamodb).toMatchObject(expectedImages(viewType, item, undefined));
    expect(remove.userIdentity).toBeUndefined();
  });

  it('BatchWriteItem: one record per put or delete', async () => {
    const { dynamodb, streamsClient, arn } = await tableWithStream(viewType);
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'old' } } }));
    await dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          users: [
            { PutRequest: { Item: { id: { S: 'b1' } } } },
            { PutRequest: { Item: { id: { S: 'b2' } } } },
            { DeleteRequest: { Key: { id: { S: 'old' } } } },
            { DeleteRequest: { Key: { id: { S: 'never' } } } },
          ],
        },
      }),
    );
    const records = await readStream(streamsClient, arn);
    expect(records.map((r) => `${r.eventName} ${r.dynamodb!.Keys!.id!.S}`)).toEqual(['INSERT old', 'INSERT b1', 'INSERT b2', 'REMOVE old']);
  });

  it('TransactWriteItems: one record per item; a failed condition writes none', async () => {
    const { dynamodb, streamsClient, arn } = await tableWithStream(viewType);
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 't0' }, n: { N: '0' } } }));
    await dynamodb.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'c' } } }));
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'users', Item: { id: { S: 't1' } } } },
          { Update: { TableName: 'users', Key: { id: { S: 't0' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } } },
          { ConditionCheck: { TableName: 'users', Key: { id: { S: 'c' } }, ConditionExpression: 'attribute_exists(id)' } },
        ],
      }),
    );
    await expect(
      dynamodb.send(
        new PutItemCommand({ TableName: 'users', Item: { id: { S: 't0' } }, ConditionExpression: 'attribute_not_exists(id)' }),
      ),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(
      dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'users', Item: { id: { S: 't2' } } } },
            { ConditionCheck: { TableName: 'users', Key: { id: { S: 'nope' } }, ConditionExpression: 'attribute_exists(id)' } },
          ],
        }),
      ),
    ).rejects.toThrow(/Transaction cancelled/);
    const records = await readStream(streamsClient, arn);
    expect(records.map((r) => `${r.eventName} ${r.dynamodb!.Keys!.id!.S}`)).toEqual(['INSERT t0', 'INSERT c', 'INSERT t1', 'MODIFY t0']);
  });
});

describe('batches', () => {
  it("a transaction's records are appended as one batch: one notification, one record per item", async () => {
    const { dynamodb, streamsClient, module } = setup();
    await dynamodb.send(new CreateTableCommand(streamTable('users', 'KEYS_ONLY')));
    const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.LatestStreamArn!;
    const notified: string[] = [];
    module.store!.onRecordsAppended((table) => notified.push(table));
    await dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: ['x', 'y', 'z'].map((id) => ({ Put: { TableName: 'users', Item: { id: { S: id } } } })),
      }),
    );
    expect(notified).toEqual(['users']);
    const records = await readStream(streamsClient, arn);
    expect(records.map((r) => r.dynamodb!.Keys!.id!.S).sort()).toEqual(['x', 'y', 'z']);
    // Committed together: one ApproximateCreationDateTime, consecutive sequence numbers.
    expect(new Set(records.map((r) => r.dynamodb!.ApproximateCreationDateTime!.getTime())).size).toBe(1);
  });
});
