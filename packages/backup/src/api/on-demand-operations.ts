import { INTEGER, NAME_PATTERN, OPAQUE, STRING, beginConstraints, checkShape, defineEnum, struct, type Constraints } from '@magneto/core';
import { backupDescription, backupDetails, backupSummary } from '../backup-record.js';
import type { BackupHost } from '../backup-host.js';
import { timestampOf } from '../timestamps.js';
import type { RestoreOverrides } from '../table-definition.js';
import { validateOverrides } from './restore-overrides.js';
import { CREATE_BACKUP_SHAPE, DELETE_BACKUP_SHAPE, DESCRIBE_BACKUP_SHAPE, RESTORE_TABLE_FROM_BACKUP_SHAPE } from './request-shapes.js';

const BACKUP_TYPE_FILTER = defineEnum(['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL']);
/** DynamoDB's BackupArn length bounds. */
const BACKUP_ARN_MIN = 37;
const BACKUP_ARN_MAX = 1024;

function backupArn(c: Constraints, value: unknown): void {
  if (c.notNull('backupArn', value)) c.length('backupArn', value, BACKUP_ARN_MIN, BACKUP_ARN_MAX);
}

export interface CreateBackupInput {
  TableName: string;
  BackupName: string;
}

/** CreateBackup: an O(1) snapshot of the table; answers at once, CREATING (AVAILABLE once settled). */
export function createBackup(host: BackupHost, input: CreateBackupInput): { BackupDetails: Record<string, unknown> } {
  checkShape(input as unknown as Record<string, unknown>, CREATE_BACKUP_SHAPE);
  const c = beginConstraints();
  if (c.notNull('tableName', input.TableName)) c.tableName('tableName', input.TableName, true);
  if (c.notNull('backupName', input.BackupName)) {
    c.pattern('backupName', input.BackupName, NAME_PATTERN);
    c.length('backupName', input.BackupName, 3, 255);
  }
  c.finish();
  const table = host.backups.tableToBackUp(input.TableName);
  const record = host.takeBackup({ table, name: input.BackupName, type: 'USER' });
  return { BackupDetails: backupDetails(record) };
}

/** DescribeBackup. */
export function describeBackup(host: BackupHost, input: { BackupArn: string }): { BackupDescription: Record<string, unknown> } {
  checkShape(input, DESCRIBE_BACKUP_SHAPE);
  const c = beginConstraints();
  backupArn(c, input.BackupArn);
  c.finish();
  return { BackupDescription: backupDescription(host.backups.get(input.BackupArn)) };
}

/** DeleteBackup: removes an AVAILABLE backup; the answer describes it DELETED. */
export function deleteBackup(host: BackupHost, input: { BackupArn: string }): { BackupDescription: Record<string, unknown> } {
  checkShape(input, DELETE_BACKUP_SHAPE);
  const c = beginConstraints();
  backupArn(c, input.BackupArn);
  c.finish();
  const record = host.backups.delete(input.BackupArn);
  host.logged({ kind: 'deleteBackup', arn: record.arn });
  return { BackupDescription: backupDescription(record) };
}

export interface ListBackupsInput {
  TableName?: string;
  Limit?: number;
  TimeRangeLowerBound?: Date | number;
  TimeRangeUpperBound?: Date | number;
  ExclusiveStartBackupArn?: string;
  BackupType?: 'USER' | 'SYSTEM' | 'AWS_BACKUP' | 'ALL';
}

/** ListBackups' wire shape (the time bounds are timestamps, checked by timestampOf): a wrong JSON type is a SerializationException. */
const LIST_BACKUPS_SHAPE = struct('ListBackupsInput', { TableName: STRING, Limit: INTEGER, ExclusiveStartBackupArn: STRING, BackupType: STRING, TimeRangeLowerBound: OPAQUE, TimeRangeUpperBound: OPAQUE });

/** ListBackups: in creation order, filtered by table, creation time [lower, upper) and type (USER by default), paged by ARN. */
export function listBackups(host: BackupHost, input: ListBackupsInput): { BackupSummaries: Array<Record<string, unknown>>; LastEvaluatedBackupArn?: string } {
  checkShape(input as unknown as Record<string, unknown>, LIST_BACKUPS_SHAPE);
  const c = beginConstraints();
  c.tableName('tableName', input.TableName, true);
  c.min('limit', input.Limit, 1);
  c.max('limit', input.Limit, 100);
  c.length('exclusiveStartBackupArn', input.ExclusiveStartBackupArn, BACKUP_ARN_MIN, BACKUP_ARN_MAX);
  c.oneOf('backupType', input.BackupType, BACKUP_TYPE_FILTER);
  c.finish();
  const lower = timestampOf('timeRangeLowerBound', input.TimeRangeLowerBound);
  const upper = timestampOf('timeRangeUpperBound', input.TimeRangeUpperBound);
  const tableName = input.TableName === undefined ? undefined : host.context.tableNameOf(input.TableName);
  const type = input.BackupType ?? 'USER';
  const all = host.backups.list();
  let start = 0;
  if (input.ExclusiveStartBackupArn !== undefined) {
    const at = all.findIndex((b) => b.arn === input.ExclusiveStartBackupArn);
    // A start backup deleted since: resume after the backups created before it (its ARN holds its creation time).
    start = at >= 0 ? at + 1 : all.findIndex((b) => b.createdAt > createdAtOf(input.ExclusiveStartBackupArn!));
    if (start < 0) start = all.length;
  }
  const limit = input.Limit ?? 100;
  const page: Array<Record<string, unknown>> = [];
  let last: string | undefined;
  for (let i = start; i < all.length; i++) {
    const backup = all[i]!;
    if (tableName !== undefined && backup.source.TableName !== tableName) continue;
    if (type !== 'ALL' && backup.type !== type) continue;
    if (lower !== undefined && backup.createdAt < lower) continue;
    if (upper !== undefined && backup.createdAt >= upper) continue;
    if (page.length === limit) {
      last = page.length > 0 ? (page[page.length - 1]!.BackupArn as string) : undefined;
      break;
    }
    page.push(backupSummary(backup));
  }
  return last === undefined ? { BackupSummaries: page } : { BackupSummaries: page, LastEvaluatedBackupArn: last };
}

function createdAtOf(arn: string): number {
  const match = /\/backup\/(\d+)-/.exec(arn);
  return match === null ? Number.POSITIVE_INFINITY : Number(match[1]);
}

export interface RestoreTableFromBackupInput extends RestoreOverrides {
  TargetTableName: string;
  BackupArn: string;
}

/** RestoreTableFromBackup: a new table holding the backup's items, created with the backup's definition and the overrides. */
export function restoreTableFromBackup(host: BackupHost, input: RestoreTableFromBackupInput): { TableDescription: unknown } {
  checkShape(input as unknown as Record<string, unknown>, RESTORE_TABLE_FROM_BACKUP_SHAPE);
  const c = beginConstraints();
  if (c.notNull('targetTableName', input.TargetTableName)) c.tableName('targetTableName', input.TargetTableName);
  backupArn(c, input.BackupArn);
  validateOverrides(c, input);
  c.finish();
  const backup = host.backups.available(input.BackupArn);
  const description = host.restore({
    source: backup.source,
    targetTableName: input.TargetTableName,
    overrides: input,
    items: backup.items.loadable(),
    itemsTotal: backup.items.itemCount,
    summary: { sourceBackupArn: backup.arn, sourceTableArn: backup.source.TableArn, restoreDateTime: backup.createdAt },
  });
  return { TableDescription: description };
}
