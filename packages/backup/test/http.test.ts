import {
  CreateBackupCommand,
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  ListBackupsCommand,
  PutItemCommand,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  DescribeBackupCommand,
  DeleteBackupCommand,
} from '@aws-sdk/client-dynamodb';
import { startServer } from '@magneto/server';
import { describe, expect, it } from 'vitest';
import { indexedTable } from './support/sdk.js';

describe('backups over HTTP', () => {
  it('the unchanged SDK takes a backup, enables PITR and restores through @magneto/server (defaultModules)', async () => {
    const server = await startServer({ port: 0 });
    const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    try {
      await client.send(new CreateTableCommand(indexedTable('web')));
      await client.send(new UpdateContinuousBackupsCommand({ TableName: 'web', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } }));
      const item = { pk: { S: 'a' }, sk: { N: '1' }, gpk: { S: 'g' }, b: { B: new Uint8Array([1, 2]) } };
      await client.send(new PutItemCommand({ TableName: 'web', Item: item }));
      const arn = (await client.send(new CreateBackupCommand({ TableName: 'web', BackupName: 'http-backup' }))).BackupDetails!.BackupArn!;
      expect((await client.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription!.BackupDetails!.BackupCreationDateTime).toBeInstanceOf(Date);
      expect((await client.send(new ListBackupsCommand({ TableName: 'web' }))).BackupSummaries!.map((s) => s.BackupArn)).toEqual([arn]);
      await client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'web-copy', BackupArn: arn }));
      expect((await client.send(new ScanCommand({ TableName: 'web-copy' }))).Items).toEqual([item]);
      const window = (await client.send(new DescribeContinuousBackupsCommand({ TableName: 'web' }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
      expect(window).toMatchObject({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 7 });
      // Within 5 minutes of enabling, LatestRestorableDateTime is still the window's start (it trails the clock
      // by 5 minutes, as DynamoDB's does): the latest restorable table is the one from before the put.
      expect(window.LatestRestorableDateTime).toEqual(window.EarliestRestorableDateTime);
      await client.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'web', TargetTableName: 'web-pitr', UseLatestRestorableTime: true }));
      expect((await client.send(new ScanCommand({ TableName: 'web-pitr' }))).Items).toEqual([]);
      await client.send(new DeleteBackupCommand({ BackupArn: arn }));
      await expect(client.send(new DescribeBackupCommand({ BackupArn: arn }))).rejects.toMatchObject({ name: 'BackupNotFoundException', $metadata: { httpStatusCode: 400 } });
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
