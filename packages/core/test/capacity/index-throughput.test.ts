/**
 * capacity(): a GSI's own OnDemandThroughput and WarmThroughput — accepted by CreateTable (in
 * GlobalSecondaryIndexes) and UpdateTable (Create and Update actions), described per GSI as DynamoDB
 * does, and enforced on the GSI: a write past its maximum is throttled with the GSI as the resource.
 * Through the AWS SDK.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ThrottlingException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders';

async function setup() {
  const clock = new ManualClock(Date.UTC(2024, 0, 1));
  const db = new Database({ clock, modules: [capacity()] });
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
  await client.send(
    new CreateTableCommand({
      TableName: 'orders',
      KeySchema: keys('pk'),
      AttributeDefinitions: attributes({ pk: 'S', status: 'S', owner: 'S' }),
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: keys('status'),
          Projection: { ProjectionType: 'ALL' },
          OnDemandThroughput: { MaxReadRequestUnits: 2, MaxWriteRequestUnits: 3 },
          WarmThroughput: { ReadUnitsPerSecond: 15_000, WriteUnitsPerSecond: 5_000 },
        },
        { IndexName: 'byOwner', KeySchema: keys('owner'), Projection: { ProjectionType: 'KEYS_ONLY' } },
      ],
    }),
  );
  await clock.advance(1000);
  return { clock, client };
}

const gsis = async (client: DynamoDBClient) => (await client.send(new DescribeTableCommand({ TableName: 'orders' }))).Table!.GlobalSecondaryIndexes!;

describe("capacity() › a GSI's OnDemandThroughput and WarmThroughput", () => {
  it('describes each GSI with its own maximum and warm throughput (at least the on-demand initial units)', async () => {
    const { client } = await setup();
    const [byStatus, byOwner] = await gsis(client);
    expect(byStatus!.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 2, MaxWriteRequestUnits: 3 });
    expect(byStatus!.WarmThroughput).toEqual({ ReadUnitsPerSecond: 15_000, WriteUnitsPerSecond: 5_000, Status: 'ACTIVE' });
    expect(byOwner!.OnDemandThroughput).toBeUndefined();
    expect(byOwner!.WarmThroughput).toEqual({ ReadUnitsPerSecond: 12_000, WriteUnitsPerSecond: 4_000, Status: 'ACTIVE' });
  });

  it("throttles writes past the GSI's maximum with the GSI as the resource, and follows UpdateTable's Update action", async () => {
    const { clock, client } = await setup();
    const put = (pk: string) => client.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: pk }, status: { S: 'open' } } }));
    for (const pk of ['a', 'b', 'c']) await put(pk);
    const error = await put('d').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).throttlingReasons).toEqual([{ reason: 'IndexWriteMaxOnDemandThroughputExceeded', resource: `${ARN}/index/byStatus` }]);
    const query = () => client.send(new QueryCommand({ TableName: 'orders', IndexName: 'byStatus', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } }));
    // Eventually consistent reads of three small items: half a unit a Query, so four reach the maximum of 2.
    for (let i = 0; i < 4; i++) await query();
    await expect(query()).rejects.toThrow(ThrottlingException);

    await client.send(new UpdateTableCommand({ TableName: 'orders', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byStatus', OnDemandThroughput: { MaxWriteRequestUnits: 100 } } }] }));
    await clock.advance(1000);
    const [byStatus] = await gsis(client);
    expect(byStatus!.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 2, MaxWriteRequestUnits: 100 });
    for (const pk of ['d', 'e', 'f', 'g']) await put(pk);
  });

  it("takes a new GSI's settings from UpdateTable's Create action, and refuses a bad one changing nothing", async () => {
    const { clock, client } = await setup();
    const bad = await client
      .send(
        new UpdateTableCommand({
          TableName: 'orders',
          AttributeDefinitions: attributes({ region: 'S' }),
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byRegion', KeySchema: keys('region'), Projection: { ProjectionType: 'ALL' }, OnDemandThroughput: { MaxReadRequestUnits: 0 } } }],
        }),
      )
      .catch((e: unknown) => e);
    expect((bad as Error).name).toBe('ValidationException');
    expect((bad as Error).message).toBe('One or more parameter values were invalid: OnDemandThroughput.MaxReadRequestUnits must be -1 or a whole number of at least 1, got 0');
    expect((await gsis(client)).map((index) => index.IndexName)).toEqual(['byStatus', 'byOwner']);
    await client.send(
      new UpdateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: attributes({ region: 'S' }),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byRegion', KeySchema: keys('region'), Projection: { ProjectionType: 'ALL' }, OnDemandThroughput: { MaxReadRequestUnits: 7, MaxWriteRequestUnits: 8 } } }],
      }),
    );
    await clock.advance(1000);
    const byRegion = (await gsis(client)).find((index) => index.IndexName === 'byRegion')!;
    expect(byRegion.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 7, MaxWriteRequestUnits: 8 });
  });
});
