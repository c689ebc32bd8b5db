/**
 * backup() on durable storage: backups (their items included), deleted backups, PITR settings and
 * history survive close + open, whether they were logged after the last snapshot or saved in it, and a
 * restore cut off before all its items were written leaves no table after reopening.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, ManualClock, type Item } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { backup } from '@magneto/backup';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const T0 = Date.UTC(2026, 0, 1);
const DDB = 'DynamoDB_20120810' as const;
const newestSegment = (dir: string): string => join(dir, readdirSync(dir).filter((name) => name.endsWith('.wal')).sort().pop()!);

function open(dir: string, clock: ManualClock): Database {
  return new Database({ clock, storage: fileStorage(dir), modules: [backup({ checkpointIntervalMs: 5000, latestRestorableDelayMs: 0 })] });
}
const scan = async (db: Database, TableName: string): Promise<Item[]> => ((await db.scan({ TableName })).Items ?? []).sort((a, b) => ((a.id as { S: string }).S < (b.id as { S: string }).S ? -1 : 1));
const put = (db: Database, id: string, v: number) => db.putItem({ TableName: 'live', Item: { id: { S: id }, v: { N: String(v) } } });

describe('backup() on fileStorage', () => {
  it.each([false, true])('keeps backups and PITR history across a restart (snapshot in between: %s)', async (withSnapshot) => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-backup-'));
    dirs.push(dir);
    const clock = new ManualClock(T0);
    let db = open(dir, clock);
    await db.open();
    await db.createTable({ TableName: 'live', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'live', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 3 } });
    const states: Array<{ at: number; items: Item[] }> = [];
    const arns: string[] = [];
    for (let i = 0; i < 12; i++) {
      await clock.advance(2000);
      await put(db, `k${i % 4}`, i);
      if (i % 3 === 0) await db.deleteItem({ TableName: 'live', Key: { id: { S: `k${(i + 1) % 4}` } } });
      if (i % 4 === 1) arns.push(((await db.execute(DDB, 'CreateBackup', { TableName: 'live', BackupName: `backup-${i}` })) as { BackupDetails: { BackupArn: string } }).BackupDetails.BackupArn);
      if (i === 6 && withSnapshot) await db.checkpoint();
      states.push({ at: clock.now(), items: await scan(db, 'live') });
    }
    await db.execute(DDB, 'DeleteBackup', { BackupArn: arns[1] });
    const listed = await db.execute(DDB, 'ListBackups', {});
    const window = await db.execute(DDB, 'DescribeContinuousBackups', { TableName: 'live' });
    await db.close();

    db = open(dir, clock);
    await db.open();
    expect(await db.execute(DDB, 'ListBackups', {})).toEqual(listed);
    expect(await db.execute(DDB, 'DescribeContinuousBackups', { TableName: 'live' })).toEqual(window);
    // Each backup holds the items of its instant: b1 after step 1, b9 after step 9.
    await db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: 'from-b1', BackupArn: arns[0] });
    expect(await scan(db, 'from-b1')).toEqual(states[1]!.items);
    await db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: 'from-b9', BackupArn: arns[2] });
    expect(await scan(db, 'from-b9')).toEqual(states[9]!.items);
    for (const step of [0, 4, 7, 11]) {
      await db.execute(DDB, 'RestoreTableToPointInTime', { SourceTableName: 'live', TargetTableName: `pitr-${step}`, RestoreDateTime: new Date(states[step]!.at) });
      expect(await scan(db, `pitr-${step}`)).toEqual(states[step]!.items);
    }
    // History written after reopening joins the recovered one.
    await clock.advance(2000);
    await put(db, 'after', 1);
    await db.execute(DDB, 'RestoreTableToPointInTime', { SourceTableName: 'live', TargetTableName: 'pitr-after', UseLatestRestorableTime: true });
    expect(await scan(db, 'pitr-after')).toEqual(await scan(db, 'live'));
    await db.close();
  });

  it('drops a restored table whose items were not all written when the store stopped (a torn log)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-backup-'));
    dirs.push(dir);
    const clock = new ManualClock(T0);
    let db = open(dir, clock);
    await db.open();
    await db.createTable({ TableName: 'live', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    for (let i = 0; i < 200; i++) await put(db, `k${i}`, i);
    const arn = ((await db.execute(DDB, 'CreateBackup', { TableName: 'live', BackupName: 'full' })) as { BackupDetails: { BackupArn: string } }).BackupDetails.BackupArn;
    const before = statSync(newestSegment(dir)).size;
    await db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: 'half', BackupArn: arn });
    await db.close();
    // Power lost while the restore's records were written: the log ends half-way through its items.
    const segment = newestSegment(dir);
    truncateSync(segment, before + Math.floor((statSync(segment).size - before) / 2));
    db = open(dir, clock);
    await db.open();
    expect(db.recoveryReport!.damage.map((d) => d.reason)).toEqual(['torn']);
    expect((await db.listTables({})).TableNames).toEqual(['live']);
    expect((await scan(db, 'live')).length).toBe(200);
    // The name is free again, and the backup restores whole.
    await db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: 'half', BackupArn: arn });
    expect((await scan(db, 'half')).length).toBe(200);
    await db.close();
  });
});
