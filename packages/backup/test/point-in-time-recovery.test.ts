import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  ListBackupsCommand,
  PutItemCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { backupDatabase, indexedTable } from './support/sdk.js';

const T0 = Date.UTC(2026, 0, 1);
const put = (pk: string, sk: number, v: string) => new PutItemCommand({ TableName: 'live', Item: { pk: { S: pk }, sk: { N: String(sk) }, gpk: { S: 'g' }, v: { S: v } } });

async function enabled(options: Parameters<typeof backupDatabase>[0] = {}) {
  const setup = backupDatabase(options);
  await setup.client.send(new CreateTableCommand(indexedTable('live')));
  await setup.client.send(new UpdateContinuousBackupsCommand({ TableName: 'live', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  return setup;
}

describe('UpdateContinuousBackups › DescribeContinuousBackups', () => {
  it('reports DISABLED, then ENABLED with the default 35-day period and the window from enabling to 5 minutes before now', async () => {
    const { client, clock } = backupDatabase();
    await client.send(new CreateTableCommand(indexedTable('live')));
    expect((await client.send(new DescribeContinuousBackupsCommand({ TableName: 'live' }))).ContinuousBackupsDescription).toEqual({
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    });
    const updated = await client.send(new UpdateContinuousBackupsCommand({ TableName: 'live', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    expect(updated.ContinuousBackupsDescription!.PointInTimeRecoveryDescription).toMatchObject({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 35 });
    await clock.advance(60_000);
    const window = async () => (await client.send(new DescribeContinuousBackupsCommand({ TableName: 'live' }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    // LatestRestorableDateTime trails the clock by 5 minutes, as DynamoDB's does; never before the window's start.
    expect(await window()).toMatchObject({ EarliestRestorableDateTime: new Date(T0), LatestRestorableDateTime: new Date(T0) });
    await clock.advance(6 * 60_000);
    expect(await window()).toMatchObject({ EarliestRestorableDateTime: new Date(T0), LatestRestorableDateTime: new Date(T0 + 2 * 60_000) });
    await expect(client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'live', TargetTableName: 'too-late', RestoreDateTime: new Date(T0 + 2 * 60_000 + 1000) }))).rejects.toMatchObject({ name: 'InvalidRestoreTimeException' });
  });

  it('moves EarliestRestorableDateTime with the recovery period', async () => {
    const { client, clock } = backupDatabase({ checkpointIntervalMs: 60 * 60 * 1000 });
    await client.send(new CreateTableCommand(indexedTable('live')));
    await client.send(new UpdateContinuousBackupsCommand({ TableName: 'live', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 1 } }));
    for (let hour = 0; hour < 30; hour++) {
      await client.send(put('a', hour, `h${hour}`));
      await clock.advance(60 * 60 * 1000);
    }
    const described = (await client.send(new DescribeContinuousBackupsCommand({ TableName: 'live' }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(described.RecoveryPeriodInDays).toBe(1);
    expect(described.EarliestRestorableDateTime).toEqual(new Date(T0 + 30 * 3600_000 - 24 * 3600_000));
    // A restore to the window's first second sees the writes up to then.
    await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'live', TargetTableName: 'early', RestoreDateTime: described.EarliestRestorableDateTime }));
    expect((await client.send(new ScanCommand({ TableName: 'early' }))).Count).toBe(7);
  });

  it('past maxHistoryBytes, drops the oldest history and says so in EarliestRestorableDateTime', async () => {
    const { client, clock } = await enabled({ checkpointIntervalMs: 10_000, maxHistoryBytes: 4_000 });
    for (let i = 0; i < 200; i++) {
      await client.send(put('a', i % 10, `${i}`.padEnd(100, 'x')));
      await clock.advance(1000);
    }
    const described = (await client.send(new DescribeContinuousBackupsCommand({ TableName: 'live' }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(described.EarliestRestorableDateTime!.getTime()).toBeGreaterThan(T0 + 100_000);
    await expect(
      client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'live', TargetTableName: 'old', RestoreDateTime: new Date(T0 + 1000) })),
    ).rejects.toMatchObject({ name: 'InvalidRestoreTimeException' });
    await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'live', TargetTableName: 'new', RestoreDateTime: described.EarliestRestorableDateTime }));
  });
});

describe('RestoreTableToPointInTime', () => {
  it('restores the table as it was at a chosen second, and at the latest restorable time', async () => {
    const { client, clock } = await enabled({ checkpointIntervalMs: 5000 });
    await client.send(put('a', 1, 'first'));
    await clock.advance(3000); // T0+3s
    await client.send(put('b', 2, 'second'));
    await clock.advance(4000); // T0+7s
    await client.send(new UpdateItemCommand({ TableName: 'live', Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'changed' } } }));
    await clock.advance(4000); // T0+11s
    await client.send(new DeleteItemCommand({ TableName: 'live', Key: { pk: { S: 'b' }, sk: { N: '2' } } }));
    await clock.advance(1000);
    await clock.advance(5 * 60_000); // LatestRestorableDateTime trails the clock by 5 minutes

    const at = async (seconds: number, target: string) => {
      const { TableDescription } = await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'live', TargetTableName: target, RestoreDateTime: new Date(T0 + seconds * 1000) }));
      expect(TableDescription!.RestoreSummary).toMatchObject({ SourceTableArn: TableDescription!.TableArn!.replace(target, 'live'), RestoreDateTime: new Date(T0 + seconds * 1000) });
      const items = (await client.send(new ScanCommand({ TableName: target }))).Items!;
      return Object.fromEntries(items.map((i) => [i.pk!.S, i.v!.S]));
    };
    expect(await at(0, 'at-0')).toEqual({ a: 'first' });
    expect(await at(5, 'at-5')).toEqual({ a: 'first', b: 'second' });
    expect(await at(8, 'at-8')).toEqual({ a: 'changed', b: 'second' });
    expect(await at(12, 'at-12')).toEqual({ a: 'changed' });
    await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'live', TargetTableName: 'latest', UseLatestRestorableTime: true }));
    expect((await client.send(new ScanCommand({ TableName: 'latest' }))).Count).toBe(1);
  });

  it('undoes a deleted table by SourceTableArn within its window, and keeps a SYSTEM backup of it', async () => {
    const { client, clock } = await enabled();
    await client.send(put('a', 1, 'kept'));
    const arn = (await client.send(new DescribeTableCommand({ TableName: 'live' }))).Table!.TableArn!;
    await clock.advance(2000);
    await client.send(new DeleteTableCommand({ TableName: 'live' }));
    await clock.advance(60_000);
    await expect(client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'live', TargetTableName: 'back', UseLatestRestorableTime: true }))).rejects.toMatchObject({
      name: 'TableNotFoundException',
    });
    await client.send(new RestoreTableToPointInTimeCommand({ SourceTableArn: arn, TargetTableName: 'back', UseLatestRestorableTime: true }));
    expect((await client.send(new ScanCommand({ TableName: 'back' }))).Items!.map((i) => i.v!.S)).toEqual(['kept']);
    const system = await client.send(new ListBackupsCommand({ BackupType: 'SYSTEM' }));
    expect(system.BackupSummaries).toMatchObject([{ TableName: 'live', BackupName: 'live$DeletedTableBackup', BackupType: 'SYSTEM' }]);
    expect(system.BackupSummaries![0]!.BackupExpiryDateTime).toEqual(new Date(T0 + 2000 + 35 * 24 * 3600_000));
  });

  it('does not carry over streams, TTL or PITR', async () => {
    const { client } = await enabled();
    await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'live', TargetTableName: 'copy', UseLatestRestorableTime: true }));
    expect((await client.send(new DescribeContinuousBackupsCommand({ TableName: 'copy' }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!.PointInTimeRecoveryStatus).toBe('DISABLED');
    expect((await client.send(new DescribeTableCommand({ TableName: 'copy' }))).Table!.StreamSpecification).toBeUndefined();
  });

  it('answers DynamoDB exceptions for bad input and creates no table', async () => {
    const { client, clock } = await enabled();
    await client.send(new CreateTableCommand(indexedTable('plain')));
    await clock.advance(10_000);
    const restore = (input: Partial<ConstructorParameters<typeof RestoreTableToPointInTimeCommand>[0]>) =>
      client.send(new RestoreTableToPointInTimeCommand({ TargetTableName: 'target', ...input }));
    await expect(restore({ SourceTableName: 'plain', UseLatestRestorableTime: true })).rejects.toMatchObject({
      name: 'PointInTimeRecoveryUnavailableException',
      message: "Point in time recovery is not enabled for table 'plain'",
    });
    await expect(restore({ SourceTableName: 'nothing', UseLatestRestorableTime: true })).rejects.toMatchObject({ name: 'TableNotFoundException', message: 'Table not found: nothing' });
    await expect(restore({ SourceTableName: 'live', RestoreDateTime: new Date(T0 - 1000) })).rejects.toMatchObject({ name: 'InvalidRestoreTimeException' });
    await expect(restore({ SourceTableName: 'live', RestoreDateTime: new Date(T0 + 11_000) })).rejects.toMatchObject({ name: 'InvalidRestoreTimeException' });
    await expect(restore({ SourceTableName: 'live', TargetTableName: 'plain', UseLatestRestorableTime: true })).rejects.toMatchObject({ name: 'TableAlreadyExistsException' });
    await expect(restore({ SourceTableName: 'live' })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new DescribeTableCommand({ TableName: 'target' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      client.send(new UpdateContinuousBackupsCommand({ TableName: 'nothing', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })),
    ).rejects.toMatchObject({ name: 'TableNotFoundException' });
    await expect(
      client.send(new UpdateContinuousBackupsCommand({ TableName: 'live', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36 } })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
