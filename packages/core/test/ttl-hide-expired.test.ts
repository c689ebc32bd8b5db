/**
 * ttl({ hideExpired: true }): expired items not yet swept are left out of GetItem, BatchGetItem,
 * TransactGetItems, Query and Scan answers (projections, COUNT and index reads included); without the
 * option they stay readable, as on DynamoDB.
 */
import { describe, expect, it } from 'vitest';
import { Database, ManualClock, ttl, type CreateTableInput, type Item } from '../src/index.js';
import { attributes, keys } from './support/tables.js';

const START = Date.UTC(2024, 0, 1);
const HOUR = 60 * 60 * 1000;
const DYNAMODB = 'DynamoDB_20120810' as const;

const TABLE: CreateTableInput = {
  TableName: 'events',
  KeySchema: keys('pk', 'sk'),
  AttributeDefinitions: attributes({ pk: 'S', sk: 'N', kind: 'S' }),
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [{ IndexName: 'byKind', KeySchema: keys('kind'), Projection: { ProjectionType: 'KEYS_ONLY' } }],
  LocalSecondaryIndexes: [{ IndexName: 'byKindLocal', KeySchema: keys('pk', 'kind'), Projection: { ProjectionType: 'KEYS_ONLY' } }],
};

/** A database where events p/1..p/4 exist, 1 and 3 expired an hour ago (the sweeper runs daily, so they stay). */
async function setup(hideExpired: boolean): Promise<{ db: Database; clock: ManualClock }> {
  const clock = new ManualClock(START);
  const db = new Database({ clock, modules: [ttl({ hideExpired, sweepIntervalMs: 24 * HOUR, transitionMs: 0 })] });
  await db.createTable(TABLE);
  await db.execute(DYNAMODB, 'UpdateTimeToLive', { TableName: 'events', TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } });
  const seconds = (ms: number) => ({ N: String(Math.floor((START + ms) / 1000)) });
  for (let i = 1; i <= 4; i++) {
    const item: Item = { pk: { S: 'p' }, sk: { N: String(i) }, kind: { S: 'k' }, body: { S: `b${i}` } };
    await db.putItem({ TableName: 'events', Item: { ...item, ttl: i % 2 === 1 ? seconds(HOUR) : seconds(3 * HOUR) } });
  }
  await clock.advance(2 * HOUR);
  return { db, clock };
}

const sks = (items: readonly Item[] | undefined) => (items ?? []).map((item) => Number((item.sk as { N: string }).N)).sort();

describe('hideExpired', () => {
  it('GetItem answers an expired item as absent, with or without a projection', async () => {
    const { db } = await setup(true);
    expect((await db.getItem({ TableName: 'events', Key: { pk: { S: 'p' }, sk: { N: '1' } } })).Item).toBeUndefined();
    expect((await db.getItem({ TableName: 'events', Key: { pk: { S: 'p' }, sk: { N: '1' } }, ProjectionExpression: 'body' })).Item).toBeUndefined();
    expect((await db.getItem({ TableName: 'events', Key: { pk: { S: 'p' }, sk: { N: '2' } }, ProjectionExpression: 'body' })).Item).toEqual({ body: { S: 'b2' } });
  });

  it('Query and Scan drop expired items like a filter: Count drops, ScannedCount stays', async () => {
    const { db } = await setup(true);
    const query = await db.query({ TableName: 'events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } });
    expect(sks(query.Items)).toEqual([2, 4]);
    expect([query.Count, query.ScannedCount]).toEqual([2, 4]);
    const scan = await db.scan({ TableName: 'events' });
    expect(sks(scan.Items)).toEqual([2, 4]);
    expect([scan.Count, scan.ScannedCount]).toEqual([2, 4]);
  });

  it('with projections that leave out the TTL attribute or the key, Select COUNT, Limit and names', async () => {
    const { db } = await setup(true);
    const projected = await db.query({
      TableName: 'events',
      KeyConditionExpression: '#p = :p',
      ProjectionExpression: '#b',
      ExpressionAttributeNames: { '#p': 'pk', '#b': 'body' },
      ExpressionAttributeValues: { ':p': { S: 'p' } },
    });
    expect(projected.Items).toEqual([{ body: { S: 'b2' } }, { body: { S: 'b4' } }]);
    const legacy = await db.scan({ TableName: 'events', AttributesToGet: ['body'] });
    expect(legacy.Items).toEqual([{ body: { S: 'b2' } }, { body: { S: 'b4' } }]);
    const count = await db.scan({ TableName: 'events', Select: 'COUNT' });
    expect([count.Items, count.Count, count.ScannedCount]).toEqual([undefined, 2, 4]);
    const limited = await db.query({ TableName: 'events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 3 });
    expect([sks(limited.Items), limited.ScannedCount, limited.LastEvaluatedKey]).toEqual([[2], 3, { pk: { S: 'p' }, sk: { N: '3' } }]);
  });

  it('index reads (KEYS_ONLY GSI and LSI) decide on the table item', async () => {
    const { db } = await setup(true);
    const gsi = await db.query({ TableName: 'events', IndexName: 'byKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'k' } } });
    expect(sks(gsi.Items)).toEqual([2, 4]);
    const lsi = await db.query({ TableName: 'events', IndexName: 'byKindLocal', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'COUNT' });
    expect(lsi.Count).toBe(2);
  });

  it('BatchGetItem and TransactGetItems leave expired items out', async () => {
    const { db } = await setup(true);
    const keysOf = (...ids: number[]) => ids.map((i) => ({ pk: { S: 'p' }, sk: { N: String(i) } }));
    const batch = await db.batchGetItem({ RequestItems: { events: { Keys: keysOf(1, 2, 3) } } });
    expect(sks(batch.Responses.events)).toEqual([2]);
    const projected = await db.batchGetItem({ RequestItems: { events: { Keys: keysOf(1, 2, 3, 4), ProjectionExpression: 'body' } } });
    expect(projected.Responses.events!.map((item) => (item.body as { S: string }).S).sort()).toEqual(['b2', 'b4']);
    const allExpired = await db.batchGetItem({ RequestItems: { events: { Keys: keysOf(1, 3), ProjectionExpression: 'body' } } });
    expect(allExpired.Responses.events).toEqual([]);
    const transact = await db.transactGetItems({ TransactItems: keysOf(1, 2).map((Key) => ({ Get: { TableName: 'events', Key } })) });
    expect(transact.Responses).toEqual([{}, { Item: expect.objectContaining({ sk: { N: '2' } }) }]);
  });

  it('without the option, expired items stay readable until the sweeper deletes them', async () => {
    const { db, clock } = await setup(false);
    expect((await db.scan({ TableName: 'events' })).Count).toBe(4);
    expect((await db.getItem({ TableName: 'events', Key: { pk: { S: 'p' }, sk: { N: '1' } } })).Item).toBeDefined();
    await clock.advance(24 * HOUR);
    expect(sks((await db.scan({ TableName: 'events' })).Items)).toEqual([]);
  });

  it('hides nothing on tables without TTL', async () => {
    const { db } = await setup(true);
    await db.createTable({ TableName: 'plain', KeySchema: keys('pk', 'sk'), AttributeDefinitions: attributes({ pk: 'S', sk: 'N' }), BillingMode: 'PAY_PER_REQUEST' });
    await db.putItem({ TableName: 'plain', Item: { pk: { S: 'p' }, sk: { N: '1' }, ttl: { N: '1' } } });
    await db.putItem({ TableName: 'plain', Item: { pk: { S: 'p' }, sk: { N: '2' }, ttl: { N: String(START / 1000) } } });
    expect((await db.scan({ TableName: 'plain' })).Count).toBe(2);
  });
});
