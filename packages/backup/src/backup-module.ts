import type { DatabaseModule, ModuleContext, OperationEntry, PersistentModule, TableDescription } from '@magneto/core';
import {
  describeContinuousBackups,
  restoreTableToPointInTime,
  updateContinuousBackups,
} from './api/continuous-backups-operations.js';
import { createBackup, deleteBackup, describeBackup, listBackups, restoreTableFromBackup } from './api/on-demand-operations.js';
import type { BackupHost, BackupLogEntry } from './backup-host.js';
import { ContinuousBackups } from './continuous-backups.js';
import { OnDemandBackups } from './on-demand-backups.js';
import { restoreSummaryOf, restoreTable, type RestoreProgress, type RestoreRequest } from './restore-table.js';
import { describeSource } from './table-definition.js';

/** Options of {@link backup}. */
export interface BackupOptions {
  /**
   * How often a table with point-in-time recovery gets a checkpoint (an O(1) snapshot), in ms of the
   * clock: a restore replays at most this much of the change history. Default: 10 minutes.
   */
  checkpointIntervalMs?: number;
  /**
   * The most bytes of change history kept per table for point-in-time recovery (each retained change
   * costs its item's size plus 64 bytes). Past it the oldest interval is dropped and
   * EarliestRestorableDateTime moves forward (DescribeContinuousBackups says so). Default: 256 MiB.
   */
  maxHistoryBytes?: number;
}

/** The backup module, as `backup()` returns it: a DatabaseModule plus what it adds once installed. */
export interface BackupModule extends DatabaseModule, PersistentModule {
  readonly name: 'backup';
  /**
   * Calls `listener` as restores write their items (at the start, every 10,000 items, at the end).
   * Returns an unsubscribe function.
   *
   * @example
   * backups.onRestoreProgress(({ targetTableName, itemsDone, itemsTotal }) => console.log(targetTableName, itemsDone, '/', itemsTotal));
   */
  onRestoreProgress(listener: (progress: RestoreProgress) => void): () => void;
  /** Resolves once the restored table is ACTIVE (at once if it is); rejects if it is deleted first or does not exist. */
  whenRestored(tableName: string): Promise<void>;
}

const DEFAULT_CHECKPOINT_INTERVAL_MS = 10 * 60 * 1000;
const DEFAULT_MAX_HISTORY_BYTES = 256 * 1024 * 1024;

/**
 * DynamoDB's backups for a Magneto database: on-demand backups (CreateBackup, DescribeBackup,
 * ListBackups, DeleteBackup, RestoreTableFromBackup) and point-in-time recovery
 * (UpdateContinuousBackups, DescribeContinuousBackups, RestoreTableToPointInTime), served to the AWS
 * SDK through `createRequestHandler(db)` and the server. A backup is an O(1) snapshot; PITR keeps
 * periodic snapshots plus the change feed, so a table can be restored to any instant of its window,
 * also after it was deleted.
 *
 * @example
 * import { Database } from '@magneto/core';
 * import { backup } from '@magneto/backup';
 *
 * const db = new Database({ modules: [backup()] });
 * await db.execute('DynamoDB_20120810', 'UpdateContinuousBackups', {
 *   TableName: 'users',
 *   PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
 * });
 */
export function backup(options: BackupOptions = {}): BackupModule {
  let host: BackupHost | undefined;
  const progressListeners: Array<(progress: RestoreProgress) => void> = [];
  const waiters = new Map<string, Array<{ resolve: () => void; reject: (error: Error) => void }>>();
  const restoring = new Set<string>();

  const settle = (tableName: string, error?: Error): void => {
    restoring.delete(tableName);
    for (const waiter of waiters.get(tableName)?.splice(0) ?? []) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  };

  return {
    name: 'backup',
    onRestoreProgress(listener) {
      progressListeners.push(listener);
      return () => {
        const at = progressListeners.indexOf(listener);
        if (at >= 0) progressListeners.splice(at, 1);
      };
    },
    whenRestored(tableName) {
      const table = host?.context.getTable(tableName);
      if (table === undefined) return Promise.reject(new Error(`No table ${tableName} is being restored`));
      if (table.status === 'ACTIVE') return Promise.resolve();
      return new Promise((resolve, reject) => {
        const list = waiters.get(tableName) ?? [];
        list.push({ resolve, reject });
        waiters.set(tableName, list);
      });
    },
    install(context: ModuleContext) {
      if (host !== undefined) throw new Error('This backup() module is already installed in a database: create one per database');
      const pitr = new ContinuousBackups(context, {
        checkpointIntervalMs: options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
        maxHistoryBytes: options.maxHistoryBytes ?? DEFAULT_MAX_HISTORY_BYTES,
      });
      const backups = new OnDemandBackups(context);
      const installed: BackupHost = {
        context,
        backups,
        pitr,
        restore: (request: RestoreRequest): TableDescription => {
          const report = (progress: RestoreProgress): void => {
            for (const listener of progressListeners) listener(progress);
          };
          const description = restoreTable(context, () => restoring.size, report, request);
          if (description.TableStatus === 'CREATING') restoring.add(request.targetTableName);
          return description;
        },
        logged: (_entry: BackupLogEntry) => undefined,
      };
      host = installed;
      context.onChange((batch) => pitr.onChange(batch));
      context.onTableEvent((event) => {
        const table = event.table;
        if (event.type === 'active') settle(table.name);
        else if (event.type === 'deleted') settle(table.name, new Error(`Table ${table.name} was deleted before its restore completed`));
        else if (event.type === 'deleting') {
          const history = pitr.historyOf(table);
          if (history === undefined) return;
          // DynamoDB keeps a deleted PITR table's last state as a SYSTEM backup, and its window for the recovery period.
          history.source = describeSource(context, table.name);
          backups.create({ table, name: `${table.name}$DeletedTableBackup`, type: 'SYSTEM', expiresAt: context.clock.now() + history.recoveryPeriodInDays * 24 * 60 * 60 * 1000 });
          pitr.tableDeleted(table.name, table.id);
        }
      });
      context.contributeTableDescription((table, description) => {
        const summary = restoreSummaryOf(table);
        if (summary !== undefined) description.RestoreSummary = summary;
      });
      const DDB = 'DynamoDB_20120810';
      const register = <I extends object>(entry: OperationEntry<I>): void => context.registerOperation(entry);
      register({ service: DDB, name: 'CreateBackup', effect: 'catalog', handler: (input) => createBackup(installed, input as never) });
      register({ service: DDB, name: 'DescribeBackup', effect: 'read', tablesOf: () => [], handler: (input) => describeBackup(installed, input as never) });
      register({ service: DDB, name: 'ListBackups', effect: 'read', tablesOf: () => [], handler: (input) => listBackups(installed, input as never) });
      register({ service: DDB, name: 'DeleteBackup', effect: 'catalog', tablesOf: () => [], handler: (input) => deleteBackup(installed, input as never) });
      register({ service: DDB, name: 'RestoreTableFromBackup', effect: 'catalog', tablesOf: targetOf, handler: (input) => restoreTableFromBackup(installed, input as never) });
      register({ service: DDB, name: 'UpdateContinuousBackups', effect: 'catalog', handler: (input) => updateContinuousBackups(installed, input as never) });
      register({ service: DDB, name: 'DescribeContinuousBackups', effect: 'read', handler: (input) => describeContinuousBackups(installed, input as never) });
      register({ service: DDB, name: 'RestoreTableToPointInTime', effect: 'catalog', tablesOf: targetOf, handler: (input) => restoreTableToPointInTime(installed, input as never) });
    },
  };
}

/** A restore's request names its new table. */
function targetOf(input: Readonly<Record<string, unknown>>): readonly string[] {
  return typeof input.TargetTableName === 'string' ? [input.TargetTableName] : [];
}
