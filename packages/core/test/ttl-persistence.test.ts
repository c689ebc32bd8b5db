/**
 * ttl() with durable storage: a table's TTL setting (status, attribute, the last change for the
 * one-change-per-hour rule) survives a restart, a transition caught by it finishes, and the items
 * recovered from the store expire on the sweeps after reopening.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Database, ManualClock, ttl, type DescribeTimeToLiveOutput } from '../src/index.js';
import { fileStorage } from '@magneto/core/node';
import { removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';
import { attributes, keys } from './support/tables.js';

afterAll(removeTemporaryDirectories);

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DYNAMODB = 'DynamoDB_20120810' as const;

const describeTtl = (db: Database) => db.execute(DYNAMODB, 'DescribeTimeToLive', { TableName: 'sessions' }) as Promise<DescribeTimeToLiveOutput>;
const updateTtl = (db: Database, Enabled: boolean) =>
  db.execute(DYNAMODB, 'UpdateTimeToLive', { TableName: 'sessions', TimeToLiveSpecification: { Enabled, AttributeName: 'expiresAt' } });

async function count(db: Database): Promise<number> {
  return (await db.scan({ TableName: 'sessions', Select: 'COUNT' })).Count;
}

describe('ttl with durable storage', () => {
  it('keeps the setting and expires recovered items after reopening', async () => {
    const dir = temporaryDirectory();
    const clock = new ManualClock(START);
    const db = new Database({ clock, storage: fileStorage(dir), modules: [ttl()] });
    await db.open();
    await db.createTable({ TableName: 'sessions', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    await updateTtl(db, true);
    await clock.advance(MINUTE);
    const at = (ms: number) => ({ N: String(Math.floor((clock.now() + ms) / 1000)) });
    await db.putItem({ TableName: 'sessions', Item: { id: { S: 'soon' }, expiresAt: at(HOUR) } });
    await db.putItem({ TableName: 'sessions', Item: { id: { S: 'later' }, expiresAt: at(3 * HOUR) } });
    await db.putItem({ TableName: 'sessions', Item: { id: { S: 'never' } } });
    await db.checkpoint();
    await db.putItem({ TableName: 'sessions', Item: { id: { S: 'logged' }, expiresAt: at(HOUR) } });
    await db.close();

    const reopened = new Database({ clock, storage: fileStorage(dir), modules: [ttl()] });
    await reopened.open();
    expect(await describeTtl(reopened)).toEqual({ TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' } });
    // The last change was a minute ago: the hour has not passed.
    await expect(updateTtl(reopened, false)).rejects.toThrow('Time to live has been modified multiple times within a fixed interval');
    expect(await count(reopened)).toBe(4);
    await clock.advance(HOUR + MINUTE);
    expect(await count(reopened)).toBe(2);
    await clock.advance(2 * HOUR);
    expect(await count(reopened)).toBe(1);
    await reopened.close();
  });

  it('finishes an ENABLING caught by a restart', async () => {
    const dir = temporaryDirectory();
    const clock = new ManualClock(START);
    const db = new Database({ clock, storage: fileStorage(dir), modules: [ttl()] });
    await db.open();
    await db.createTable({ TableName: 'sessions', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    await db.putItem({ TableName: 'sessions', Item: { id: { S: 'old' }, expiresAt: { N: String(START / 1000 - 60) } } });
    await updateTtl(db, true);
    await db.close();

    const reopened = new Database({ clock, storage: fileStorage(dir), modules: [ttl()] });
    await reopened.open();
    expect((await describeTtl(reopened)).TimeToLiveDescription.TimeToLiveStatus).toBe('ENABLING');
    await clock.advance(MINUTE);
    expect((await describeTtl(reopened)).TimeToLiveDescription.TimeToLiveStatus).toBe('ENABLED');
    await clock.advance(MINUTE);
    expect(await count(reopened)).toBe(0);
    await reopened.close();
  });
});
