/**
 * AWS Backup plans through backup()'s typed API on a ManualClock: BackupPlan documents as AWS Backup takes
 * them, schedules that run on the clock, start and completion windows, lifecycle (cold storage, deletion),
 * selections, vaults, recovery points, backup and copy jobs, and what DynamoDB shows of them.
 */
import { Database, ManualClock, type Item } from '@magneto/core';
import {
  backup,
  InvalidParameterValueException,
  InvalidRequestException,
  ResourceNotFoundException,
  type BackupModule,
  type BackupPlanInput,
} from '@magneto/backup';
import { describe, expect, it } from 'vitest';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const DDB = 'DynamoDB_20120810' as const;
const ROLE = 'arn:aws:iam::000000000000:role/backup';

function setup(options: { tableTransitionMs?: number; region?: string; clock?: ManualClock } = {}): { db: Database; clock: ManualClock; backups: BackupModule } {
  const clock = options.clock ?? new ManualClock(T0);
  const backups = backup();
  const db = new Database({ clock, modules: [backups], tableTransitionMs: options.tableTransitionMs ?? 0, ...(options.region === undefined ? {} : { region: options.region }) });
  return { db, clock, backups };
}
const createTable = (db: Database, TableName: string, Tags?: Array<{ Key: string; Value: string }>) =>
  db.createTable({ TableName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST', ...(Tags === undefined ? {} : { Tags }) });
const put = (db: Database, TableName: string, id: string) => db.putItem({ TableName, Item: { id: { S: id } } });
const ids = async (db: Database, TableName: string): Promise<string[]> => ((await db.scan({ TableName })).Items ?? []).map((i: Item) => (i.id as { S: string }).S).sort();
const tableArn = (name: string, region = 'us-east-1') => `arn:aws:dynamodb:${region}:000000000000:table/${name}`;
const plan = (rule: Partial<BackupPlanInput['Rules'][number]> = {}): BackupPlanInput => ({
  BackupPlanName: 'daily',
  Rules: [{ RuleName: 'at-5', TargetBackupVaultName: 'vault', ScheduleExpression: 'cron(0 5 ? * * *)', ...rule }],
});

async function planFor(backups: BackupModule, document: BackupPlanInput | string, resources = ['arn:aws:dynamodb:*:*:table/*']): Promise<string> {
  const { BackupPlanId } = await backups.createBackupPlan({ BackupPlan: document });
  await backups.createBackupSelection({ BackupPlanId, BackupSelection: { SelectionName: 'tables', IamRoleArn: ROLE, Resources: resources } });
  return BackupPlanId;
}

describe('backup plans', () => {
  it('takes the BackupPlan document as written and runs its rule on the clock: a COMPLETED job, a recovery point, an AWS_BACKUP backup that restores', async () => {
    const { db, clock, backups } = setup();
    await createTable(db, 'orders');
    await put(db, 'orders', 'a');
    await backups.createBackupVault({ BackupVaultName: 'vault' });
    const document = JSON.stringify({ BackupPlanName: 'daily', Rules: [{ RuleName: 'at-5', TargetBackupVaultName: 'vault', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: { DeleteAfterDays: 35 }, RecoveryPointTags: { kind: 'daily' } }] });
    const planId = await planFor(backups, document);
    const got = await backups.getBackupPlan({ BackupPlanId: planId });
    expect(got.BackupPlan).toMatchObject({ BackupPlanName: 'daily', Rules: [{ RuleName: 'at-5', RuleId: expect.any(String), Lifecycle: { DeleteAfterDays: 35 } }] });
    expect(got.BackupPlanArn).toBe(`arn:aws:backup:us-east-1:000000000000:backup-plan:${planId}`);
    expect(got.LastExecutionDate).toBeUndefined();

    await clock.advance(5 * HOUR - 1);
    expect((await backups.listBackupJobs()).BackupJobs).toEqual([]);
    await put(db, 'orders', 'b');
    await clock.advance(1); // 05:00
    await put(db, 'orders', 'c'); // after the backup

    const [job] = (await backups.listBackupJobs()).BackupJobs;
    expect(job).toMatchObject({ State: 'COMPLETED', ResourceArn: tableArn('orders'), ResourceName: 'orders', ResourceType: 'DynamoDB', BackupVaultName: 'vault', PercentDone: '100.0', IamRoleArn: ROLE });
    expect(job!.CreatedBy).toEqual({ BackupPlanId: planId, BackupPlanArn: got.BackupPlanArn, BackupPlanVersion: got.VersionId, BackupRuleId: got.BackupPlan.Rules[0]!.RuleId });
    expect(job!.CreationDate).toEqual(new Date(T0 + 5 * HOUR));
    expect((await backups.getBackupPlan({ BackupPlanId: planId })).LastExecutionDate).toEqual(new Date(T0 + 5 * HOUR));

    const { RecoveryPoints } = await backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'vault' });
    expect(RecoveryPoints).toHaveLength(1);
    expect(RecoveryPoints[0]).toMatchObject({ RecoveryPointArn: job!.RecoveryPointArn, Status: 'COMPLETED', StorageClass: 'WARM', CalculatedLifecycle: { DeleteAt: new Date(T0 + 5 * HOUR + 35 * DAY) } });
    expect((await backups.listRecoveryPointsByResource({ ResourceArn: tableArn('orders') })).RecoveryPoints).toEqual(RecoveryPoints);
    expect((await backups.describeBackupVault({ BackupVaultName: 'vault' })).NumberOfRecoveryPoints).toBe(1);

    // DynamoDB's side: ListBackups shows it as AWS_BACKUP (not among USER backups), and it restores the 05:00 items.
    const listed = (await db.execute(DDB, 'ListBackups', { BackupType: 'AWS_BACKUP' })) as { BackupSummaries: Array<Record<string, unknown>> };
    expect(listed.BackupSummaries).toMatchObject([{ BackupArn: job!.RecoveryPointArn, BackupType: 'AWS_BACKUP', TableName: 'orders', BackupExpiryDateTime: new Date(T0 + 5 * HOUR + 35 * DAY) }]);
    expect(((await db.execute(DDB, 'ListBackups', {})) as { BackupSummaries: unknown[] }).BackupSummaries).toEqual([]);
    await db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: 'orders-at-5', BackupArn: job!.RecoveryPointArn });
    expect(await ids(db, 'orders-at-5')).toEqual(['a', 'b']);

    // The next day's run backs up both tables the selection's wildcard picks now, the restored one too.
    await clock.advance(DAY);
    expect((await backups.listBackupJobs({ ByState: 'COMPLETED' })).BackupJobs.map((j) => j.ResourceName)).toEqual(['orders', 'orders', 'orders-at-5']);
  });

  it('moves recovery points to cold storage and deletes them as their lifecycle says', async () => {
    const { db, clock, backups } = setup();
    await createTable(db, 'tbl');
    await backups.createBackupVault({ BackupVaultName: 'vault' });
    await planFor(backups, plan({ ScheduleExpression: 'rate(1 day)', Lifecycle: { MoveToColdStorageAfterDays: 2, DeleteAfterDays: 92 } }));
    await clock.advance(DAY);
    const [point] = (await backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'vault' })).RecoveryPoints;
    expect(point).toMatchObject({ StorageClass: 'WARM', CalculatedLifecycle: { MoveToColdStorageAt: new Date(T0 + 3 * DAY), DeleteAt: new Date(T0 + 93 * DAY) } });
    await clock.advance(2 * DAY);
    expect((await backups.describeRecoveryPoint({ BackupVaultName: 'vault', RecoveryPointArn: point!.RecoveryPointArn })).StorageClass).toBe('COLD');
    await clock.advance(90 * DAY);
    // The first one is gone (DeleteAt passed): from the vault and from ListBackups; the later runs' stay.
    const left = (await backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'vault' })).RecoveryPoints;
    expect(left.map((rp) => rp.RecoveryPointArn)).not.toContain(point!.RecoveryPointArn);
    expect(left).toHaveLength(92);
    await expect(db.execute(DDB, 'DescribeBackup', { BackupArn: point!.RecoveryPointArn })).rejects.toThrow('Backup not found');
  });

  it.each([
    [{ Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 100 } }, 'Error in rule at-5 : Invalid lifecycle. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays'],
    [{ Lifecycle: { DeleteAfterDays: 0 } }, 'Error in rule at-5 : Invalid lifecycle. DeleteAfterDays cannot be less than 1 or more than 36500 days'],
    [{ CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:000000000000:backup-vault:dr', Lifecycle: { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 90 } }] }, 'Error in rule at-5 : Invalid lifecycle. DeleteAfterDays cannot be less than 90 days apart from MoveToColdStorageAfterDays'],
    [{ StartWindowMinutes: 30 }, 'Error in rule at-5 : Start window must be at least 60 minutes'],
    [{ ScheduleExpression: 'cron(0 5 * * * *)' }, 'Error in rule at-5 : Invalid schedule expression cron(0 5 * * * *)'],
    [{ ScheduleExpressionTimezone: 'Mars/Olympus' }, 'Error in rule at-5 : Invalid schedule expression timezone Mars/Olympus'],
  ])('refuses an invalid rule (%j) with InvalidParameterValueException', async (rule, message) => {
    const { backups } = setup();
    const attempt = backups.createBackupPlan({ BackupPlan: plan(rule) });
    await expect(attempt).rejects.toThrow(InvalidParameterValueException);
    await expect(backups.createBackupPlan({ BackupPlan: plan(rule) })).rejects.toThrow(message);
    expect((await backups.listBackupPlans()).BackupPlansList).toEqual([]);
  });

  it('expires a job whose table is not ACTIVE within the start window, and starts one whose table becomes ACTIVE in time', async () => {
    const { db, clock, backups } = setup({ tableTransitionMs: 2 * HOUR });
    await backups.createBackupVault({ BackupVaultName: 'vault' });
    await planFor(backups, plan({ StartWindowMinutes: 60 }), [tableArn('late')]);
    await planFor(backups, { ...plan({ StartWindowMinutes: 180, CompletionWindowMinutes: 600 }), BackupPlanName: 'patient' }, [tableArn('late')]);
    await clock.advance(5 * HOUR - 30 * 60 * 1000); // 04:30
    await createTable(db, 'late'); // CREATING until 06:30
    await clock.advance(30 * 60 * 1000); // 05:00: both jobs CREATED, waiting
    expect((await backups.listBackupJobs()).BackupJobs.map((j) => j.State)).toEqual(['CREATED', 'CREATED']);
    await clock.advance(90 * 60 * 1000); // 06:30: the 60-minute window closed at 06:00
    const jobs = (await backups.listBackupJobs()).BackupJobs;
    expect(jobs[0]).toMatchObject({ State: 'EXPIRED', StatusMessage: 'Backup job failed to start within the start window.', StartBy: new Date(T0 + 6 * HOUR) });
    expect(jobs[1]).toMatchObject({ State: 'RUNNING' });
    await clock.advance(2 * HOUR); // its backup is AVAILABLE after tableTransitionMs
    expect((await backups.describeBackupJob({ BackupJobId: jobs[1]!.BackupJobId })).State).toBe('COMPLETED');
  });

  it('expires a job that does not complete within its completion window, and keeps no recovery point of it', async () => {
    const { db, clock, backups } = setup({ tableTransitionMs: 5 * HOUR });
    await createTable(db, 'tbl');
    await clock.advance(5 * HOUR); // ACTIVE at 05:00
    await backups.createBackupVault({ BackupVaultName: 'vault' });
    await planFor(backups, plan({ ScheduleExpression: 'cron(0 6 ? * * *)', StartWindowMinutes: 60, CompletionWindowMinutes: 120 }));
    await clock.advance(HOUR); // 06:00: RUNNING, its backup CREATING for 5 hours
    expect((await backups.listBackupJobs()).BackupJobs[0]!.State).toBe('RUNNING');
    expect((await backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'vault' })).RecoveryPoints[0]!.Status).toBe('CREATING');
    await clock.advance(5 * HOUR);
    expect((await backups.listBackupJobs()).BackupJobs[0]).toMatchObject({ State: 'EXPIRED', StatusMessage: 'Backup job expired before completion.' });
    expect((await backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'vault' })).RecoveryPoints).toEqual([]);
  });

  it('runs a yearly rule on time on a clock whose timers cannot wait longer than 2^31 - 1 ms (as setTimeout)', async () => {
    const manual = new ManualClock(T0);
    const clock = {
      now: () => manual.now(),
      setTimer: (delayMs: number, callback: () => void) => {
        if (delayMs > 2 ** 31 - 1) throw new RangeError(`a timer of ${delayMs} ms would fire at once`);
        return manual.setTimer(delayMs, callback);
      },
    };
    const backups = backup();
    const db = new Database({ clock, modules: [backups], tableTransitionMs: 0 });
    await createTable(db, 'tbl');
    await backups.createBackupVault({ BackupVaultName: 'vault' });
    await planFor(backups, plan({ ScheduleExpression: 'cron(0 0 1 1 ? *)' }));
    await manual.advance(364 * DAY);
    expect((await backups.listBackupJobs()).BackupJobs).toEqual([]);
    await manual.advance(DAY); // 2027-01-01T00:00Z
    expect((await backups.listBackupJobs()).BackupJobs.map((j) => j.CreationDate)).toEqual([new Date(Date.UTC(2027, 0, 1))]);
  });

  it('fails a job whose vault does not exist', async () => {
    const { db, clock, backups } = setup();
    await createTable(db, 'tbl');
    await planFor(backups, plan({ TargetBackupVaultName: 'missing' }));
    await clock.advance(DAY);
    expect((await backups.listBackupJobs()).BackupJobs[0]).toMatchObject({ State: 'FAILED', StatusMessage: 'Backup vault missing does not exist' });
  });

  it('picks resources by ARN wildcard, ListOfTags, Conditions and NotResources', async () => {
    const { db, clock, backups } = setup();
    await createTable(db, 'prod-a', [{ Key: 'env', Value: 'prod' }]);
    await createTable(db, 'prod-b', [{ Key: 'env', Value: 'prod' }, { Key: 'skip', Value: 'yes' }]);
    await createTable(db, 'dev-a', [{ Key: 'env', Value: 'dev' }]);
    await createTable(db, 'other');
    await backups.createBackupVault({ BackupVaultName: 'vault' });
    const { BackupPlanId } = await backups.createBackupPlan({ BackupPlan: plan() });
    await backups.createBackupSelection({
      BackupPlanId,
      BackupSelection: { SelectionName: 'prod', IamRoleArn: ROLE, Resources: ['*'], Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/env', ConditionValue: 'prod' }], StringNotLike: [{ ConditionKey: 'aws:ResourceTag/skip', ConditionValue: 'y*' }] } },
    });
    await backups.createBackupSelection({ BackupPlanId, BackupSelection: { SelectionName: 'tagged', IamRoleArn: ROLE, ListOfTags: [{ ConditionType: 'STRINGEQUALS', ConditionKey: 'env', ConditionValue: 'dev' }] } });
    await backups.createBackupSelection({ BackupPlanId, BackupSelection: { SelectionName: 'named', IamRoleArn: ROLE, Resources: [tableArn('o*')], NotResources: [tableArn('other')] } });
    expect((await backups.listBackupSelections({ BackupPlanId })).BackupSelectionsList.map((s) => s.SelectionName)).toEqual(['prod', 'tagged', 'named']);
    await clock.advance(DAY);
    expect((await backups.listBackupJobs()).BackupJobs.map((j) => j.ResourceName).sort()).toEqual(['dev-a', 'prod-a']);
  });

  it('deletes a vault only once it is empty, and a plan only once its selections are gone', async () => {
    const { db, clock, backups } = setup();
    await createTable(db, 'tbl');
    await backups.createBackupVault({ BackupVaultName: 'vault' });
    await expect(backups.createBackupVault({ BackupVaultName: 'vault' })).rejects.toThrow('Backup vault with the same name already exists');
    const planId = await planFor(backups, plan());
    await clock.advance(DAY);
    await expect(backups.deleteBackupVault({ BackupVaultName: 'vault' })).rejects.toThrow(InvalidRequestException);
    await expect(backups.deleteBackupVault({ BackupVaultName: 'vault' })).rejects.toThrow('Backup vault cannot be deleted because it contains recovery points.');
    const [point] = (await backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'vault' })).RecoveryPoints;
    await backups.deleteRecoveryPoint({ BackupVaultName: 'vault', RecoveryPointArn: point!.RecoveryPointArn });
    await expect(db.execute(DDB, 'DescribeBackup', { BackupArn: point!.RecoveryPointArn })).rejects.toThrow('Backup not found');
    await backups.deleteBackupVault({ BackupVaultName: 'vault' });
    await expect(backups.describeBackupVault({ BackupVaultName: 'vault' })).rejects.toThrow(ResourceNotFoundException);

    await expect(backups.deleteBackupPlan({ BackupPlanId: planId })).rejects.toThrow('Related backup plan selections must be deleted prior to backup plan deletion');
    const [selection] = (await backups.listBackupSelections({ BackupPlanId: planId })).BackupSelectionsList;
    await backups.deleteBackupSelection({ BackupPlanId: planId, SelectionId: selection!.SelectionId });
    await backups.deleteBackupPlan({ BackupPlanId: planId });
    await clock.advance(DAY); // no more runs
    expect((await backups.listBackupJobs()).BackupJobs).toHaveLength(1);
  });

  it('an updated plan gets a new VersionId, keeps its rule ids and runs on its new schedule', async () => {
    const { db, clock, backups } = setup();
    await createTable(db, 'tbl');
    await backups.createBackupVault({ BackupVaultName: 'vault' });
    const planId = await planFor(backups, plan());
    const before = await backups.getBackupPlan({ BackupPlanId: planId });
    const after = await backups.updateBackupPlan({ BackupPlanId: planId, BackupPlan: plan({ ScheduleExpression: 'cron(0 1 ? * * *)' }) });
    expect(after.VersionId).not.toBe(before.VersionId);
    expect((await backups.getBackupPlan({ BackupPlanId: planId })).BackupPlan.Rules[0]!.RuleId).toBe(before.BackupPlan.Rules[0]!.RuleId);
    await clock.advance(2 * HOUR);
    expect((await backups.listBackupJobs()).BackupJobs.map((j) => j.CreationDate)).toEqual([new Date(T0 + HOUR)]);
  });

  it('copies each new recovery point to another store\'s vault (another region): a copy job, a recovery point there, a backup that restores there', async () => {
    const clock = new ManualClock(T0);
    const primary = setup({ clock });
    const dr = setup({ clock, region: 'eu-west-1' });
    primary.backups.connectBackupStore(dr.backups);
    await createTable(primary.db, 'orders');
    await put(primary.db, 'orders', 'x');
    await primary.backups.createBackupVault({ BackupVaultName: 'vault' });
    await dr.backups.createBackupVault({ BackupVaultName: 'dr' });
    const drVault = 'arn:aws:backup:eu-west-1:000000000000:backup-vault:dr';
    await planFor(primary.backups, plan({ Lifecycle: { DeleteAfterDays: 10 }, CopyActions: [{ DestinationBackupVaultArn: drVault, Lifecycle: { DeleteAfterDays: 30 } }, { DestinationBackupVaultArn: 'arn:aws:backup:ap-south-1:000000000000:backup-vault:none' }] }));
    await clock.advance(DAY);

    const copies = (await primary.backups.listCopyJobs()).CopyJobs;
    expect(copies.map((c) => c.State)).toEqual(['COMPLETED', 'FAILED']);
    expect(copies[1]!.StatusMessage).toBe('Backup vault arn:aws:backup:ap-south-1:000000000000:backup-vault:none does not exist');
    const [copied] = (await dr.backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'dr' })).RecoveryPoints;
    expect(copied).toMatchObject({ RecoveryPointArn: copies[0]!.DestinationRecoveryPointArn, SourceBackupVaultArn: 'arn:aws:backup:us-east-1:000000000000:backup-vault:vault', ResourceArn: tableArn('orders'), CalculatedLifecycle: { DeleteAt: new Date(T0 + 5 * HOUR + 30 * DAY) } });
    expect(copied!.RecoveryPointArn).toMatch(/^arn:aws:dynamodb:eu-west-1:000000000000:table\/orders\/backup\//);
    await dr.db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: 'orders', BackupArn: copied!.RecoveryPointArn });
    expect(await ids(dr.db, 'orders')).toEqual(['x']);
    // Each copy ages on its own lifecycle: the source is gone after 10 days, the copy stays.
    await clock.advance(10 * DAY);
    expect((await primary.backups.listRecoveryPointsByResource({ ResourceArn: tableArn('orders') })).RecoveryPoints.length).toBe(10);
    expect((await dr.backups.listRecoveryPointsByBackupVault({ BackupVaultName: 'dr' })).RecoveryPoints).toHaveLength(11);
  });
});
