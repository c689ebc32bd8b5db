import type { TableDescription } from '@magneto/core';
import type { ItemSource } from './item-source.js';
import { sourceTableDetails, sourceTableFeatureDetails } from './table-definition.js';

/** BackupType: USER (CreateBackup), SYSTEM (taken by DynamoDB when a table with PITR is deleted), AWS_BACKUP (a backup plan's). */
export type BackupType = 'USER' | 'SYSTEM' | 'AWS_BACKUP';

/** BackupStatus: CREATING until the backup is complete, then AVAILABLE; DELETED once DeleteBackup removed it. */
export type BackupStatus = 'CREATING' | 'AVAILABLE' | 'DELETED';

/** One backup: its identity and status, the source table's definition, and its items (an O(1) snapshot). */
export interface BackupRecord {
  readonly arn: string;
  readonly name: string;
  readonly type: BackupType;
  status: BackupStatus;
  /** ms of the clock. */
  readonly createdAt: number;
  /** ms of the clock, for backups that expire (AWS_BACKUP retention, SYSTEM backups). */
  expiresAt?: number;
  readonly source: TableDescription;
  /** The source's DescribeTimeToLive description at backup time, when the TTL module is installed. */
  readonly timeToLive?: unknown;
  readonly items: ItemSource;
  /** Cancels the CREATING → AVAILABLE timer. */
  settle?: () => void;
}

/** A backup's ARN, shaped as DynamoDB's: the table's ARN, `/backup/`, the creation time in ms (14 digits) and 8 hex digits. */
export function backupArnOf(tableArn: string, createdAt: number): string {
  const random = new Uint8Array(4);
  globalThis.crypto.getRandomValues(random);
  const hex = Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${tableArn}/backup/${String(createdAt).padStart(14, '0')}-${hex}`;
}

/** BackupDetails, as CreateBackup and DescribeBackup answer them. */
export function backupDetails(backup: BackupRecord): Record<string, unknown> {
  const details: Record<string, unknown> = {
    BackupArn: backup.arn,
    BackupName: backup.name,
    BackupSizeBytes: backup.items.sizeBytes,
    BackupStatus: backup.status,
    BackupType: backup.type,
    BackupCreationDateTime: new Date(backup.createdAt),
  };
  if (backup.expiresAt !== undefined) details.BackupExpiryDateTime = new Date(backup.expiresAt);
  return details;
}

/** BackupDescription, as DescribeBackup and DeleteBackup answer it. */
export function backupDescription(backup: BackupRecord): Record<string, unknown> {
  return {
    BackupDetails: backupDetails(backup),
    SourceTableDetails: sourceTableDetails(backup.source),
    SourceTableFeatureDetails: sourceTableFeatureDetails(backup.source, backup.timeToLive),
  };
}

/** BackupSummary, as ListBackups answers it. */
export function backupSummary(backup: BackupRecord): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    TableName: backup.source.TableName,
    TableId: backup.source.TableId,
    TableArn: backup.source.TableArn,
    BackupArn: backup.arn,
    BackupName: backup.name,
    BackupCreationDateTime: new Date(backup.createdAt),
    BackupStatus: backup.status,
    BackupType: backup.type,
    BackupSizeBytes: backup.items.sizeBytes,
  };
  if (backup.expiresAt !== undefined) summary.BackupExpiryDateTime = new Date(backup.expiresAt);
  return summary;
}
