import { Database, ManualClock, type Item } from '@magneto/core';
import { backup } from '@magneto/backup';
import { describe, expect, it } from 'vitest';

const T0 = Date.UTC(2026, 0, 1);
const users = {
  TableName: 'users',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};
const user = (id: string): Item => ({ id: { S: id } });
const DDB = 'DynamoDB_20120810';

function setup() {
  const clock = new ManualClock(T0);
  // Checkpoints every minute: the writes below cross several of them, and over a thousand changes cross a chunk.
  // Restores below go to the latest second: no 5-minute LatestRestorableDateTime lag.
  const db = new Database({ clock, modules: [backup({ checkpointIntervalMs: 60_000, latestRestorableDelayMs: 0 })] });
  const pitr = async (TableName: string) =>
    ((await db.execute(DDB, 'DescribeContinuousBackups', { TableName })) as { ContinuousBackupsDescription: { PointInTimeRecoveryDescription: Record<string, unknown> } })
      .ContinuousBackupsDescription.PointInTimeRecoveryDescription;
  /** The ids of the table's items at `time`, through a restore to a new table. */
  const idsAt = async (time: number): Promise<string[]> => {
    const target = `restored${time}${Math.random().toString(36).slice(2, 6)}`;
    await db.execute(DDB, 'RestoreTableToPointInTime', { SourceTableName: 'users', TargetTableName: target, RestoreDateTime: time / 1000 });
    const { Items = [] } = await db.scan({ TableName: target });
    await db.deleteTable({ TableName: target });
    return Items.map((item) => (item.id as { S: string }).S).sort();
  };
  return { clock, db, pitr, idsAt };
}

describe('Database.rollback with backup(): point-in-time recovery', () => {
  it('puts the PITR history back as at the savepoint: the window, the settings, and restores without the undone writes', async () => {
    const { clock, db, pitr, idsAt } = setup();
    await db.createTable(users);
    await db.putItem({ TableName: 'users', Item: user('ada') });
    await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } });
    await clock.advance(90_000);
    await db.putItem({ TableName: 'users', Item: user('bob') });
    await clock.advance(1000);
    const described = await pitr('users');
    const fixture = db.savepoint();
    const savedAt = clock.now();

    for (let i = 0; i < 1500; i++) {
      await db.putItem({ TableName: 'users', Item: user(`n${i}`) });
      if (i % 500 === 0) await clock.advance(61_000);
    }
    await db.deleteItem({ TableName: 'users', Key: { id: { S: 'ada' } } });
    await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 1 } });
    await clock.advance(1000);
    expect((await idsAt(clock.now())).length).toBe(1501);

    db.rollback(fixture);
    // The clock is not rolled back: the window reaches now, from the savepoint's start, with its period.
    expect(await pitr('users')).toEqual({ ...described, LatestRestorableDateTime: new Date(clock.now()) });
    expect(await idsAt(clock.now())).toEqual(['ada', 'bob']);
    expect(await idsAt(savedAt + 2 * 61_000)).toEqual(['ada', 'bob']);
    expect(await idsAt(T0 + 1000)).toEqual(['ada']);

    // It records on from there; the same savepoint serves again.
    await db.putItem({ TableName: 'users', Item: user('cyd') });
    await clock.advance(1000);
    expect(await idsAt(clock.now())).toEqual(['ada', 'bob', 'cyd']);
    db.rollback(fixture);
    await db.putItem({ TableName: 'users', Item: user('dan') });
    await clock.advance(1000);
    expect(await idsAt(clock.now())).toEqual(['ada', 'bob', 'dan']);
  });

  it('serves savepoints in any order: one taken after the first keeps the changes between them', async () => {
    const { clock, db, idsAt } = setup();
    await db.createTable(users);
    await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    const first = db.savepoint();
    for (let i = 0; i < 1100; i++) await db.putItem({ TableName: 'users', Item: user(`a${i}`) });
    await clock.advance(1000);
    const second = db.savepoint();
    await db.putItem({ TableName: 'users', Item: user('later') });
    await clock.advance(1000);
    db.rollback(first);
    await db.putItem({ TableName: 'users', Item: user('other') });
    await clock.advance(1000);
    expect(await idsAt(clock.now())).toEqual(['other']);
    db.rollback(second);
    await clock.advance(1000);
    expect((await idsAt(clock.now())).length).toBe(1100);
    expect(await idsAt(clock.now())).not.toContain('other');
  });

  it('puts PITR back DISABLED when it was enabled since the savepoint, and ENABLED with its history when it was disabled since', async () => {
    const { clock, db, pitr, idsAt } = setup();
    await db.createTable(users);
    await db.putItem({ TableName: 'users', Item: user('ada') });
    const off = db.savepoint();
    await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    await clock.advance(1000);
    const on = db.savepoint();
    const described = await pitr('users');
    db.rollback(off);
    expect(await pitr('users')).toEqual({ PointInTimeRecoveryStatus: 'DISABLED' });

    db.rollback(on);
    await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } });
    expect(await pitr('users')).toEqual({ PointInTimeRecoveryStatus: 'DISABLED' });
    db.rollback(on);
    expect(await pitr('users')).toEqual({ ...described, LatestRestorableDateTime: new Date(clock.now()) });
    expect(await idsAt(clock.now())).toEqual(['ada']);
  });
});
