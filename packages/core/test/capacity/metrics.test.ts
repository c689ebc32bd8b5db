/**
 * capacity(): per-minute metrics of each table and GSI on the clock, as CloudWatch would show them,
 * kept for a bounded window.
 */
import { describe, expect, it } from 'vitest';
import { capacity, Database, ManualClock } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const START = Date.UTC(2024, 0, 1);

async function setup(metricsWindowMinutes?: number) {
  const clock = new ManualClock(START);
  const cap = capacity({ burstSeconds: 0, ...(metricsWindowMinutes === undefined ? {} : { metricsWindowMinutes }) });
  const db = new Database({ clock, modules: [cap] });
  await db.createTable({
    TableName: 'things',
    KeySchema: keys('pk'),
    AttributeDefinitions: attributes({ pk: 'S', email: 'S' }),
    ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 2 },
    GlobalSecondaryIndexes: [{ IndexName: 'byEmail', KeySchema: keys('email'), Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }],
  });
  return { clock, cap, db };
}

describe('capacity() › metrics', () => {
  it('sums consumed units, throttle events and throttled requests per minute, per table and GSI', async () => {
    const { clock, cap, db } = await setup();
    await db.putItem({ TableName: 'things', Item: { pk: { S: 'a' }, email: { S: 'a@x' } } });
    await db.putItem({ TableName: 'things', Item: { pk: { S: 'b' } } });
    await expect(db.putItem({ TableName: 'things', Item: { pk: { S: 'c' } } })).rejects.toThrow('provisioned throughput');
    await db.getItem({ TableName: 'things', Key: { pk: { S: 'a' } } });
    await clock.advance(60_000);
    await db.getItem({ TableName: 'things', Key: { pk: { S: 'a' } }, ConsistentRead: true });
    const minutes = cap.metrics('things', { from: START, to: START + 120_000 });
    expect(minutes).toEqual([
      { timestamp: START, ConsumedReadCapacityUnits: 0.5, ConsumedWriteCapacityUnits: 2, ReadThrottleEvents: 0, WriteThrottleEvents: 1, ThrottledRequests: { PutItem: 1 } },
      { timestamp: START + 60_000, ConsumedReadCapacityUnits: 1, ConsumedWriteCapacityUnits: 0, ReadThrottleEvents: 0, WriteThrottleEvents: 0, ThrottledRequests: {} },
    ]);
    expect(cap.metrics('things', { indexName: 'byEmail', from: START, to: START + 60_000 })[0]!.ConsumedWriteCapacityUnits).toBe(1);
  });

  it('keeps only the window: older minutes are dropped as new ones start, so memory stays bounded', async () => {
    const { clock, cap, db } = await setup(5);
    for (let minute = 0; minute < 30; minute++) {
      await db.getItem({ TableName: 'things', Key: { pk: { S: 'a' } } });
      await clock.advance(60_000);
    }
    await db.getItem({ TableName: 'things', Key: { pk: { S: 'a' } } });
    const minutes = cap.metrics('things');
    expect(minutes).toHaveLength(5);
    expect(minutes.every((m) => m.ConsumedReadCapacityUnits === 0.5)).toBe(true);
    expect(minutes.at(-1)!.timestamp).toBe(START + 30 * 60_000);
  });

  it('metrics() before the module is installed says so', () => {
    expect(() => capacity().metrics('things')).toThrow('install the module into a Database first');
  });
});
