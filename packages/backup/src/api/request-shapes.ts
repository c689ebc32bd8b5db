import { BOOLEAN, LONG, OPAQUE, STRING, listOf, struct } from '@magneto/core';

/*
 * The wire shapes of the backup and restore requests, for core's checkShape: a member of the wrong JSON
 * type is DynamoDB's SerializationException, before any constraint is checked. Timestamps are OPAQUE here
 * (timestampOf checks them: the SDK sends epoch seconds, a Date arrives through `execute`).
 */

const KEY_SCHEMA = listOf(struct('KeySchemaElement', { AttributeName: STRING, KeyType: STRING }));
const PROJECTION = struct('Projection', { ProjectionType: STRING, NonKeyAttributes: listOf(STRING) });
const PROVISIONED_THROUGHPUT = struct('ProvisionedThroughput', { ReadCapacityUnits: LONG, WriteCapacityUnits: LONG });
const ON_DEMAND_THROUGHPUT = struct('OnDemandThroughput', { MaxReadRequestUnits: LONG, MaxWriteRequestUnits: LONG });

/** The overrides both restores take. */
const RESTORE_OVERRIDES = {
  BillingModeOverride: STRING,
  GlobalSecondaryIndexOverride: listOf(
    struct('GlobalSecondaryIndex', { IndexName: STRING, KeySchema: KEY_SCHEMA, Projection: PROJECTION, ProvisionedThroughput: PROVISIONED_THROUGHPUT, OnDemandThroughput: ON_DEMAND_THROUGHPUT }),
  ),
  LocalSecondaryIndexOverride: listOf(struct('LocalSecondaryIndex', { IndexName: STRING, KeySchema: KEY_SCHEMA, Projection: PROJECTION })),
  ProvisionedThroughputOverride: PROVISIONED_THROUGHPUT,
  OnDemandThroughputOverride: ON_DEMAND_THROUGHPUT,
  SSESpecificationOverride: struct('SSESpecification', { Enabled: BOOLEAN, SSEType: STRING, KMSMasterKeyId: STRING }),
};

export const CREATE_BACKUP_SHAPE = struct('CreateBackupInput', { TableName: STRING, BackupName: STRING });
export const DESCRIBE_BACKUP_SHAPE = struct('DescribeBackupInput', { BackupArn: STRING });
export const DELETE_BACKUP_SHAPE = struct('DeleteBackupInput', { BackupArn: STRING });
export const RESTORE_TABLE_FROM_BACKUP_SHAPE = struct('RestoreTableFromBackupInput', { TargetTableName: STRING, BackupArn: STRING, ...RESTORE_OVERRIDES });
export const RESTORE_TABLE_TO_POINT_IN_TIME_SHAPE = struct('RestoreTableToPointInTimeInput', {
  SourceTableArn: STRING,
  SourceTableName: STRING,
  TargetTableName: STRING,
  UseLatestRestorableTime: BOOLEAN,
  RestoreDateTime: OPAQUE,
  ...RESTORE_OVERRIDES,
});
