/**
 * A request member of the wrong JSON type is a SerializationException naming the JSON token, as DynamoDB's
 * (and core's) operations answer it — never a TypeError from inside the module — and changes nothing.
 */
import { Database } from '@magneto/core';
import { expect, it } from 'vitest';
import { backup } from '../src/index.js';

it.each([
  ['ListBackups', { TableName: 5 }, 'NUMBER_VALUE cannot be converted to String'],
  ['ListBackups', { Limit: 'ten' }, 'STRING_VALUE cannot be converted to Integer'],
  ['DescribeContinuousBackups', { TableName: 5 }, 'NUMBER_VALUE cannot be converted to String'],
  ['UpdateContinuousBackups', { TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: 1 } }, 'NUMBER_VALUE cannot be converted to Boolean'],
  ['CreateBackup', { TableName: 'orders', BackupName: ['a'] }, 'Unrecognized collection type class java.lang.String'],
  ['DescribeBackup', { BackupArn: 7 }, 'NUMBER_VALUE cannot be converted to String'],
  ['DeleteBackup', { BackupArn: { arn: 'x' } }, 'Start of structure or map found where not expected'],
  ['RestoreTableFromBackup', { TargetTableName: 'copy', BackupArn: 'x'.repeat(40), ProvisionedThroughputOverride: { ReadCapacityUnits: 'five', WriteCapacityUnits: 1 } }, 'STRING_VALUE cannot be converted to Long'],
  ['RestoreTableFromBackup', { TargetTableName: 'copy', BackupArn: 'x'.repeat(40), GlobalSecondaryIndexOverride: [{ IndexName: 'g', KeySchema: 'id' }] }, 'Unexpected field type'],
  ['RestoreTableToPointInTime', { SourceTableName: 'orders', TargetTableName: 'copy', UseLatestRestorableTime: 'yes' }, 'Unexpected token received from parser'],
  ['RestoreTableToPointInTime', { SourceTableName: 'orders', TargetTableName: 'copy', UseLatestRestorableTime: true, SSESpecificationOverride: { Enabled: 'true' } }, 'Unexpected token received from parser'],
])('%s with %j answers SerializationException', async (operation, input, message) => {
  const db = new Database({ modules: [backup()] });
  await db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  await expect(db.execute('DynamoDB_20120810', operation, input)).rejects.toMatchObject({ name: 'SerializationException', message });
  expect(await db.execute('DynamoDB_20120810', 'DescribeContinuousBackups', { TableName: 'orders' })).toMatchObject({
    ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } },
  });
  expect(await db.execute('DynamoDB_20120810', 'ListBackups', {})).toEqual({ BackupSummaries: [] });
  expect(await db.execute('DynamoDB_20120810', 'ListTables', {})).toEqual({ TableNames: ['orders'] });
});
