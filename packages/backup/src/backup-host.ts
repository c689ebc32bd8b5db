import type { ModuleContext, TableDescription } from '@magneto/core';
import type { BackupRecord, BackupType } from './backup-record.js';
import type { ContinuousBackups, TableHistory } from './continuous-backups.js';
import type { ExportImportLogEntry } from './export-import/job-log.js';
import type { NewBackup, OnDemandBackups } from './on-demand-backups.js';
import type { RestoreRequest } from './restore-table.js';
import type { PersistedItems } from './backup-persistence.js';
import type { PlanLogEntry } from './plans/plan-records.js';

/**
 * A change to the module's state, as durable storage logs it (ModuleContext.logModuleRecord) and replays
 * it: at its place in the log the tables hold what they held when it happened, so a backup's items are
 * a snapshot taken again on replay, never copied into the log.
 */
export type BackupLogEntry =
  | {
      readonly kind: 'backup';
      readonly arn: string;
      readonly name: string;
      readonly type: BackupType;
      readonly tableName: string;
      readonly createdAt: number;
      readonly expiresAt?: number;
      readonly source: TableDescription;
      readonly timeToLive?: unknown;
    }
  | { readonly kind: 'deleteBackup'; readonly arn: string }
  | { readonly kind: 'continuousBackups'; readonly tableName: string; readonly enabled: boolean; readonly recoveryPeriodInDays: number; readonly at: number }
  | { readonly kind: 'tableDeleted'; readonly tableName: string; readonly tableId: string; readonly at: number; readonly source: TableDescription }
  | {
      readonly kind: 'copiedBackup';
      readonly arn: string;
      readonly name: string;
      readonly createdAt: number;
      readonly expiresAt?: number;
      readonly source: TableDescription;
      readonly timeToLive?: unknown;
      /** The copy's items (read when the entry is written: a copy comes from another database, so replay cannot take it again). */
      readonly items: PersistedItems;
    }
  | PlanLogEntry
  | ExportImportLogEntry;

/** What the operations of this package work with: the module's state and its context. */
export interface BackupHost {
  readonly context: ModuleContext;
  readonly backups: OnDemandBackups;
  readonly pitr: ContinuousBackups;
  /** Takes a backup now and logs it. */
  takeBackup(backup: NewBackup): BackupRecord;
  /** Applies a continuous-backups change (live, or replayed from the log). */
  applyLogged(entry: Extract<BackupLogEntry, { kind: 'continuousBackups' }>): TableHistory | undefined;
  /** Restores into a new table (see restoreTable), counting it among the restores in progress. */
  restore(request: RestoreRequest): TableDescription;
  /** Records a copy of another store's backup (a copy action's destination): an AWS_BACKUP backup sharing its items; logged. */
  adoptCopy(source: BackupRecord, expiresAt: number | undefined): BackupRecord;
  /** Records a change of the module's state for durable storage. */
  logged(entry: BackupLogEntry): void;
}
