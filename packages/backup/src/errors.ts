import { DynamoDBError } from '@magneto/core';

/**
 * The base of this package's exceptions (backup, restore, export and import), one class per exception
 * name, as the wire answers them (`com.amazonaws.dynamodb.v20120810#<Name>`, HTTP 400).
 *
 * @example
 * try { await db.execute('DynamoDB_20120810', 'DescribeBackup', { BackupArn: arn }); }
 * catch (e) { if (e instanceof BackupNotFoundException) console.log(e.message); }
 */
export abstract class BackupError extends DynamoDBError {
  readonly typePrefix = 'com.amazonaws.dynamodb.v20120810';
}

/** A backup or restore names a table that does not exist. */
export class TableNotFoundException extends BackupError {
  override readonly name = 'TableNotFoundException';
}

/** The backup does not exist (or was deleted). */
export class BackupNotFoundException extends BackupError {
  override readonly name = 'BackupNotFoundException';
}

/** A restore's target table exists already. */
export class TableAlreadyExistsException extends BackupError {
  override readonly name = 'TableAlreadyExistsException';
}

/** A table named by a backup or restore is being created, updated or deleted. */
export class TableInUseException extends BackupError {
  override readonly name = 'TableInUseException';
}

/** The backup is being created, deleted or restored from. */
export class BackupInUseException extends BackupError {
  override readonly name = 'BackupInUseException';
}

/** RestoreTableToPointInTime on a table whose point-in-time recovery is not enabled. */
export class PointInTimeRecoveryUnavailableException extends BackupError {
  override readonly name = 'PointInTimeRecoveryUnavailableException';
}

/** RestoreDateTime lies outside EarliestRestorableDateTime … LatestRestorableDateTime. */
export class InvalidRestoreTimeException extends BackupError {
  override readonly name = 'InvalidRestoreTimeException';
}

/** Backups are not yet enabled for the table (it is not ACTIVE yet). */
export class ContinuousBackupsUnavailableException extends BackupError {
  override readonly name = 'ContinuousBackupsUnavailableException';
}

export const tableNotFound = (tableName: string): TableNotFoundException => new TableNotFoundException(`Table not found: ${tableName}`);
export const backupNotFound = (backupArn: string): BackupNotFoundException => new BackupNotFoundException(`Backup not found: ${backupArn}`);
