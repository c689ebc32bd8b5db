import { Database, ManualClock, ValidationException, ttl } from '@magneto/core';
import { describe, expect, it } from 'vitest';

const TABLE = {
  TableName: 'sessions',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

describe('Database.updateTimeToLive / describeTimeToLive', () => {
  it('run the ttl module operations', async () => {
    const clock = new ManualClock(Date.UTC(2025, 0, 1));
    const db = new Database({ clock, modules: [ttl({ transitionMs: 0 })] });
    await db.createTable(TABLE);
    const updated = await db.updateTimeToLive({ TableName: 'sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } });
    expect(updated.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'expiresAt' });
    const described = await db.describeTimeToLive({ TableName: 'sessions' });
    expect(described.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });

    await db.putItem({ TableName: 'sessions', Item: { id: { S: 's1' }, expiresAt: { N: String(clock.now() / 1000 + 60) } } });
    await clock.advance(3 * 60_000);
    expect((await db.getItem({ TableName: 'sessions', Key: { id: { S: 's1' } } })).Item).toBeUndefined();
  });

  it('name the module to install when it is missing', async () => {
    const db = new Database();
    await db.createTable(TABLE);
    const failure = db.describeTimeToLive({ TableName: 'sessions' });
    await expect(failure).rejects.toBeInstanceOf(ValidationException);
    await expect(failure).rejects.toThrow(/ttl\(\)/);
  });
});
