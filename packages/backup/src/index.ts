/**
 * @magneto/backup — DynamoDB's on-demand backups and point-in-time recovery for a Magneto database.
 *
 * @example
 * import { backup } from '@magneto/backup';
 */
export { backup, type BackupModule, type BackupOptions } from './backup-module.js';
export type { RestoreProgress } from './restore-table.js';
export type { BackupStatus, BackupType } from './backup-record.js';
export { CHANGE_OVERHEAD_BYTES } from './change-history.js';
export {
  BackupInUseException,
  BackupNotFoundException,
  ContinuousBackupsUnavailableException,
  InvalidRestoreTimeException,
  PointInTimeRecoveryUnavailableException,
  TableAlreadyExistsException,
  TableInUseException,
  TableNotFoundException,
} from './errors.js';
export { memoryObjectStore, type MemoryObjectStore } from './export-import/memory-object-store.js';
export type { ObjectStore, ObjectStores, ObjectSummary } from './export-import/object-store.js';
export { s3ObjectStore, type S3ObjectStoreClient, type S3ObjectStoreOptions } from './export-import/s3-object-store.js';
export type { ExportImportOptions, ExportProgress, ImportErrorLogEntry, ImportProgress } from './export-import/export-import-host.js';
export {
  ExportConflictException,
  ExportNotFoundException,
  ImportConflictException,
  ImportNotFoundException,
  InvalidExportTimeException,
} from './export-import/errors.js';
export type {
  AwsBackupApi,
  BackupJob,
  BackupVaultListMember,
  CopyJob,
  PlanVersion,
  RecoveryPoint,
  RecoveryPointCreator,
} from './plans/aws-backup-api.js';
export type { BackupPlan, BackupPlanInput, BackupRule, BackupRuleInput, BackupSelection, Condition, ConditionParameter, CopyAction, Lifecycle } from './plans/plan-document.js';
export type { BackupJobState, CopyJobState } from './plans/plan-records.js';
export {
  AlreadyExistsException,
  AwsBackupError,
  InvalidParameterValueException,
  InvalidRequestException,
  MissingParameterValueException,
  ResourceNotFoundException,
} from './plans/plan-errors.js';
