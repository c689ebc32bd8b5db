/**
 * capacity(): Contributor Insights — Update/Describe/ListContributorInsights through the SDK, and the
 * most accessed and most throttled partition keys over a window from a bounded heavy-hitters sketch.
 */
import { DescribeContributorInsightsCommand, DynamoDBClient, ListContributorInsightsCommand, ResourceNotFoundException, UpdateContributorInsightsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock } from '@magneto/core';
import { HeavyHitters } from '../../src/capacity/heavy-hitters.js';
import { attributes, keys } from '../support/tables.js';

const START = Date.UTC(2024, 0, 1);

async function setup() {
  const clock = new ManualClock(START);
  const cap = capacity({ burstSeconds: 0 });
  const db = new Database({ clock, modules: [cap] });
  await db.createTable({ TableName: 'orders', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 5 } });
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
  return { clock, cap, db, client };
}

describe('capacity() › Contributor Insights', () => {
  it('is enabled, described and listed through the SDK, and refuses a missing table', async () => {
    const { client } = await setup();
    expect((await client.send(new DescribeContributorInsightsCommand({ TableName: 'orders' }))).ContributorInsightsStatus).toBe('DISABLED');
    const updated = await client.send(new UpdateContributorInsightsCommand({ TableName: 'orders', ContributorInsightsAction: 'ENABLE' }));
    expect(updated).toMatchObject({ TableName: 'orders', ContributorInsightsStatus: 'ENABLING', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' });
    const described = await client.send(new DescribeContributorInsightsCommand({ TableName: 'orders' }));
    expect(described).toMatchObject({ TableName: 'orders', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' });
    expect(described.ContributorInsightsRuleList).toHaveLength(2);
    expect((await client.send(new ListContributorInsightsCommand({}))).ContributorInsightsSummaries).toEqual([
      { TableName: 'orders', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' },
    ]);
    await expect(client.send(new UpdateContributorInsightsCommand({ TableName: 'missing', ContributorInsightsAction: 'ENABLE' }))).rejects.toThrow(ResourceNotFoundException);
    await client.send(new UpdateContributorInsightsCommand({ TableName: 'orders', ContributorInsightsAction: 'DISABLE' }));
    expect((await client.send(new ListContributorInsightsCommand({}))).ContributorInsightsSummaries).toEqual([]);
  });

  it('names the most accessed and the most throttled partition keys over a window', async () => {
    const { cap, clock, db, client } = await setup();
    await db.getItem({ TableName: 'orders', Key: { pk: { S: 'before' } } }); // not counted: insights are off
    await client.send(new UpdateContributorInsightsCommand({ TableName: 'orders', ContributorInsightsAction: 'ENABLE' }));
    for (let i = 0; i < 30; i++) await db.getItem({ TableName: 'orders', Key: { pk: { S: 'hot' } } });
    for (let i = 0; i < 5; i++) await db.getItem({ TableName: 'orders', Key: { pk: { S: `cold${i}` } } });
    for (let i = 0; i < 8; i++) await db.putItem({ TableName: 'orders', Item: { pk: { S: 'writer' } } }).catch(() => undefined); // 5 WCU: 3 throttled
    await clock.advance(60_000);
    for (let i = 0; i < 10; i++) await db.getItem({ TableName: 'orders', Key: { pk: { S: 'cold1' } } });
    expect(cap.topKeys('orders', { limit: 2 })).toEqual([
      { key: 'hot', count: 30, overcount: 0 },
      { key: 'cold1', count: 11, overcount: 0 },
    ]);
    expect(cap.topKeys('orders', { from: START + 60_000, limit: 1 })).toEqual([{ key: 'cold1', count: 10, overcount: 0 }]);
    expect(cap.topKeys('orders', { kind: 'throttled' })).toEqual([{ key: 'writer', count: 3, overcount: 0 }]);
  });

  it('on a table with a sort key, adds the SKC / SKT rules and names the most accessed and throttled items by partition and sort key', async () => {
    const clock = new ManualClock(START);
    const cap = capacity({ burstSeconds: 0 });
    const db = new Database({ clock, modules: [cap] });
    await db.createTable({ TableName: 'events', KeySchema: keys('pk', 'sk'), AttributeDefinitions: attributes({ pk: 'S', sk: 'N' }), ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 5 } });
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
    await client.send(new UpdateContributorInsightsCommand({ TableName: 'events', ContributorInsightsAction: 'ENABLE' }));
    const described = await client.send(new DescribeContributorInsightsCommand({ TableName: 'events' }));
    const suffix = `events-${described.LastUpdateDateTime!.getTime()}`;
    expect(described.ContributorInsightsRuleList).toEqual(['PKC', 'PKT', 'SKC', 'SKT'].map((rule) => `DynamoDBContributorInsights-${rule}-${suffix}`));
    const get = (pk: string, sk: number) => db.getItem({ TableName: 'events', Key: { pk: { S: pk }, sk: { N: String(sk) } } });
    for (let i = 0; i < 6; i++) await get('user', 1);
    for (let i = 0; i < 4; i++) await get('user', 2);
    for (let i = 0; i < 5; i++) await get('other', 1);
    for (let i = 0; i < 8; i++) await db.putItem({ TableName: 'events', Item: { pk: { S: 'log' }, sk: { N: '7' } } }).catch(() => undefined); // 5 WCU: 3 throttled
    expect(cap.topKeys('events', { limit: 2 })).toEqual([
      { key: 'user', count: 10, overcount: 0 },
      { key: 'log', count: 5, overcount: 0 },
    ]);
    expect(cap.topKeys('events', { sortKeys: true, limit: 3 })).toEqual([
      { key: 'user', sortKey: '1', count: 6, overcount: 0 },
      { key: 'log', sortKey: '7', count: 5, overcount: 0 },
      { key: 'other', sortKey: '1', count: 5, overcount: 0 },
    ]);
    expect(cap.topKeys('events', { kind: 'throttled', sortKeys: true })).toEqual([{ key: 'log', sortKey: '7', count: 3, overcount: 0 }]);
    await client.send(new UpdateContributorInsightsCommand({ TableName: 'events', ContributorInsightsAction: 'ENABLE', ContributorInsightsMode: 'THROTTLED_KEYS' }));
    const throttledOnly = await client.send(new DescribeContributorInsightsCommand({ TableName: 'events' }));
    expect(throttledOnly.ContributorInsightsRuleList!.map((rule) => rule.split('-')[1])).toEqual(['PKT', 'SKT']);
  });

  it('keeps at most its counters whatever the number of keys, and every key above total ÷ counters', () => {
    const sketch = new HeavyHitters(20);
    for (let i = 0; i < 10_000; i++) sketch.add(i % 7 === 0 ? 'heavy' : `k${i}`);
    expect(sketch.size).toBe(20);
    const heavy = [...sketch.entries()].find(([key]) => key === 'heavy')!;
    expect(heavy[1].count - heavy[1].error).toBeLessThanOrEqual(1429);
    expect(heavy[1].count).toBeGreaterThanOrEqual(1429);
  });
});
