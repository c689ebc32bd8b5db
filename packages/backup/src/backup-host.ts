import type { ModuleContext, TableDescription } from '@magneto/core';
import type { ContinuousBackups } from './continuous-backups.js';
import type { OnDemandBackups } from './on-demand-backups.js';
import type { RestoreRequest } from './restore-table.js';

/** A change to the module's durable state, logged as it happens (see BackupModule's persistence). */
export type BackupLogEntry =
  | { readonly kind: 'backup'; readonly arn: string }
  | { readonly kind: 'deleteBackup'; readonly arn: string }
  | { readonly kind: 'continuousBackups'; readonly tableName: string };

/** What the operations of this package work with: the module's state and its context. */
export interface BackupHost {
  readonly context: ModuleContext;
  readonly backups: OnDemandBackups;
  readonly pitr: ContinuousBackups;
  /** Restores into a new table (see restoreTable), counting it among the restores in progress. */
  restore(request: RestoreRequest): TableDescription;
  /** Records a change of the module's state for durable storage. */
  logged(entry: BackupLogEntry): void;
}
