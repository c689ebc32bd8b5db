/**
 * capacity(): the control plane's capacity rules — throughput decreases per UTC day, the day's
 * NumberOfDecreasesToday — and DescribeLimits / DescribeEndpoints through the AWS SDK.
 */
import { DescribeEndpointsCommand, DescribeLimitsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, LimitExceededException, ManualClock } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const DAY = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

async function setup(start = DAY + 10 * HOUR) {
  const clock = new ManualClock(start);
  const db = new Database({ clock, modules: [capacity({ tableQuota: { readCapacityUnits: 50_000, writeCapacityUnits: 40_000 } })] });
  await db.createTable({ TableName: 'things', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 100 } });
  let units = 100;
  const decrease = () => db.updateTable({ TableName: 'things', ProvisionedThroughput: { ReadCapacityUnits: --units, WriteCapacityUnits: 100 } });
  const decreasesToday = async () => (await db.describeTable({ TableName: 'things' })).Table.ProvisionedThroughput.NumberOfDecreasesToday;
  return { clock, db, decrease, decreasesToday };
}

describe('capacity() › control plane', () => {
  it('allows four decreases at any time of a UTC day, then one an hour, with LimitExceededException between', async () => {
    const { clock, decrease, decreasesToday } = await setup();
    for (let i = 0; i < 4; i++) await decrease();
    expect(await decreasesToday()).toBe(4);
    await clock.advance(59 * 60_000);
    const error = await decrease().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededException);
    expect((error as Error).message).toBe(
      'Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. ' +
        'Number of decreases today: 4. Last decrease at Monday, January 1, 2024 at 10:00:00 AM Coordinated Universal Time. Next decrease can be made at Monday, January 1, 2024 at 11:00:00 AM Coordinated Universal Time',
    );
    expect(await decreasesToday()).toBe(4); // the refused decrease changed nothing
    await clock.advance(60_000);
    await decrease();
    expect(await decreasesToday()).toBe(5);
  });

  it('counts NumberOfDecreasesToday from the UTC day start: a new day has none and four again', async () => {
    const { clock, decrease, decreasesToday } = await setup(DAY + 23 * HOUR);
    for (let i = 0; i < 4; i++) await decrease();
    await expect(decrease()).rejects.toThrow(LimitExceededException);
    await clock.advance(HOUR);
    expect(await decreasesToday()).toBe(0);
    for (let i = 0; i < 4; i++) await decrease();
    expect(await decreasesToday()).toBe(4);
  });

  it('answers DescribeLimits with the quotas and DescribeEndpoints with the regional endpoint, through the SDK', async () => {
    const { db } = await setup();
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db) });
    const limits = await client.send(new DescribeLimitsCommand({}));
    expect(limits).toMatchObject({ AccountMaxReadCapacityUnits: 80_000, AccountMaxWriteCapacityUnits: 80_000, TableMaxReadCapacityUnits: 50_000, TableMaxWriteCapacityUnits: 40_000 });
    const endpoints = await client.send(new DescribeEndpointsCommand({}));
    expect(endpoints.Endpoints).toEqual([{ Address: 'dynamodb.us-east-1.amazonaws.com', CachePeriodInMinutes: 1440 }]);
  });
});
