/**
 * AWS Backup plans on fileStorage: vaults, plans, selections, recovery points, backup and copy jobs survive
 * close + open (logged after the last snapshot, or saved in it), schedules go on from the reopened clock,
 * and a copy received from another database keeps its items.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, ManualClock, type Item } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { backup, type BackupModule } from '@magneto/backup';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const T0 = Date.UTC(2026, 0, 1);
const DAY = 24 * 60 * 60 * 1000;
const DDB = 'DynamoDB_20120810' as const;

function open(dir: string, clock: ManualClock, region = 'us-east-1'): { db: Database; backups: BackupModule } {
  const backups = backup();
  return { db: new Database({ clock, region, storage: fileStorage(dir), modules: [backups] }), backups };
}
const ids = async (db: Database, TableName: string): Promise<string[]> => ((await db.scan({ TableName })).Items ?? []).map((i: Item) => (i.id as { S: string }).S).sort();

async function everything(backups: BackupModule, planId: string): Promise<unknown> {
  return {
    vaults: await backups.listBackupVaults(),
    plans: await backups.listBackupPlans(),
    plan: await backups.getBackupPlan({ BackupPlanId: planId }),
    selections: await backups.listBackupSelections({ BackupPlanId: planId }),
    points: await backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'vault' }),
    jobs: await backups.listBackupJobs(),
    copies: await backups.listCopyJobs(),
  };
}

describe('backup plans on fileStorage', () => {
  it.each([false, true])('survive a restart with their recovery points, jobs and copies (snapshot in between: %s)', async (withSnapshot) => {
    const [dir, drDir] = [mkdtempSync(join(tmpdir(), 'magneto-plans-')), mkdtempSync(join(tmpdir(), 'magneto-plans-dr-'))];
    dirs.push(dir, drDir);
    const clock = new ManualClock(T0);
    let primary = open(dir, clock);
    let dr = open(drDir, clock, 'eu-west-1');
    await primary.db.open();
    await dr.db.open();
    primary.backups.connectBackupStore(dr.backups);
    await primary.db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    await primary.backups.createBackupVault({ BackupVaultName: 'vault' });
    await dr.backups.createBackupVault({ BackupVaultName: 'dr' });
    const { BackupPlanId } = await primary.backups.createBackupPlan({
      BackupPlan: {
        BackupPlanName: 'daily',
        Rules: [{ RuleName: 'r', TargetBackupVaultName: 'vault', ScheduleExpression: 'rate(1 day)', Lifecycle: { DeleteAfterDays: 5 }, CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:000000000000:backup-vault:dr' }] }],
      },
    });
    await primary.backups.createBackupSelection({ BackupPlanId, BackupSelection: { SelectionName: 's', IamRoleArn: 'arn:aws:iam::000000000000:role/b', Resources: ['*'] } });
    for (let day = 0; day < 3; day++) {
      await primary.db.putItem({ TableName: 'orders', Item: { id: { S: `d${day}` } } });
      await clock.advance(DAY);
      if (day === 1 && withSnapshot) {
        await primary.db.checkpoint();
        await dr.db.checkpoint();
      }
    }
    const before = await everything(primary.backups, BackupPlanId);
    const drPoints = await dr.backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'dr' });
    const awsBackups = await primary.db.execute(DDB, 'ListBackups', { BackupType: 'AWS_BACKUP' });
    expect(drPoints.RecoveryPoints).toHaveLength(3);
    await primary.db.close();
    await dr.db.close();

    primary = open(dir, clock);
    dr = open(drDir, clock, 'eu-west-1');
    await primary.db.open();
    await dr.db.open();
    primary.backups.connectBackupStore(dr.backups);
    expect(await everything(primary.backups, BackupPlanId)).toEqual(before);
    expect(await dr.backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'dr' })).toEqual(drPoints);
    expect(await primary.db.execute(DDB, 'ListBackups', { BackupType: 'AWS_BACKUP' })).toEqual(awsBackups);
    // The copy of day 2 (items d0, d1) restores in the destination after its restart.
    await dr.db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: 'orders', BackupArn: drPoints.RecoveryPoints[1]!.RecoveryPointArn });
    expect(await ids(dr.db, 'orders')).toEqual(['d0', 'd1']);
    // The schedule goes on after reopening.
    await clock.advance(DAY);
    expect((await primary.backups.listBackupJobs()).BackupJobs).toHaveLength(4);
    expect((await dr.backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'dr' })).RecoveryPoints).toHaveLength(4);
    await primary.db.close();
    await dr.db.close();
  });
});
