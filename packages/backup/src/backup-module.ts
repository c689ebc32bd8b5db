import type { DatabaseModule, ModuleContext, OperationEntry, PersistentModule, TableDescription, TableView } from '@magneto/core';
import {
  describeContinuousBackups,
  restoreTableToPointInTime,
  updateContinuousBackups,
} from './api/continuous-backups-operations.js';
import { createBackup, deleteBackup, describeBackup, listBackups, restoreTableFromBackup } from './api/on-demand-operations.js';
import type { BackupHost, BackupLogEntry } from './backup-host.js';
import { persistItems, persistState, recoverItems, recoverState, type PersistedBackupState } from './backup-persistence.js';
import { backupArnOf } from './backup-record.js';
import { awsBackupApi, type AwsBackupApi } from './plans/aws-backup-api.js';
import { BackupPlans } from './plans/backup-plans.js';
import type { PersistedPlans } from './plans/plan-records.js';
import { snapshotItems } from './item-source.js';
import { ContinuousBackups } from './continuous-backups.js';
import { OnDemandBackups } from './on-demand-backups.js';
import {
  RESTORE_PARAMETER,
  RESTORE_STATE,
  applyRestoreParameter,
  restoreSummaryOf,
  restoreTable,
  sseDescriptionOf,
  type RestoreProgress,
  type RestoreRequest,
  type RestoreState,
} from './restore-table.js';
import { describeSource } from './table-definition.js';
import type { ExportImportHost, ExportImportOptions } from './export-import/export-import-host.js';
import { failInterruptedJobs, isJobEntry, persistJobs, replayJob, restoreJobs, type PersistedJobs } from './export-import/job-log.js';
import { registerExportImport } from './export-import/register-export-import.js';

/** Options of {@link backup} (with ExportImportOptions: the object stores of exports and imports). */
export interface BackupOptions extends ExportImportOptions {
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
  /**
   * How far LatestRestorableDateTime trails the clock, in ms: DynamoDB's "is typically 5 minutes before
   * the current time", so a restore with UseLatestRestorableTime (or a RestoreDateTime later than it:
   * InvalidRestoreTimeException) misses the last 5 minutes of writes, as on DynamoDB. Default: 300,000;
   * 0 makes it the clock's now.
   */
  latestRestorableDelayMs?: number;
}

/** The backup module, as `backup()` returns it: a DatabaseModule plus what it adds once installed. */
export interface BackupModule extends DatabaseModule, PersistentModule, AwsBackupApi {
  readonly name: 'backup';
  /**
   * Lets this module's backup plans copy recovery points to `other`'s vaults and `other`'s plans copy to
   * this one's (CopyActions' DestinationBackupVaultArn names a vault by region and account: `other`'s
   * database stands for another region or account). Both modules must be installed.
   *
   * @example
   * const primary = backup(), dr = backup();
   * new Database({ region: 'us-east-1', modules: [primary] }); new Database({ region: 'eu-west-1', modules: [dr] });
   * primary.connectBackupStore(dr); // CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:eu-west-1:123456789012:backup-vault:dr' }]
   */
  connectBackupStore(other: BackupModule): void;
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
const DEFAULT_LATEST_RESTORABLE_DELAY_MS = 5 * 60 * 1000;

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
  /** AWS Backup's plans, vaults, jobs and recovery points. */
  let plans: BackupPlans | undefined;
  /** Export and import jobs (persisted with the module's state). */
  let jobs: ExportImportHost | undefined;
  const progressListeners: Array<(progress: RestoreProgress) => void> = [];
  const waiters = new Map<string, Array<{ resolve: () => void; reject: (error: Error) => void }>>();
  const restoring = new Set<string>();
  /** Restored tables recovered from durable storage: those still `populating` once recovery ends are dropped. */
  const recoveredRestores = new Set<TableView>();

  const settle = (tableName: string, error?: Error): void => {
    restoring.delete(tableName);
    for (const waiter of waiters.get(tableName)?.splice(0) ?? []) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  };
  const installed = (): BackupHost => {
    if (host === undefined) throw new Error('backup() needs the module installed first: new Database({ modules: [theBackupModule] })');
    return host;
  };

  const module: BackupModule = {
    name: 'backup',
    ...awsBackupApi(
      () => (installed(), plans!),
      async () => installed().context.whenDurable(),
      () => installed().context.accountId,
    ),
    connectBackupStore(other) {
      installed();
      const theirs = plansOf.get(other)?.();
      if (theirs === undefined) throw new Error('connectBackupStore: the other backup() module needs to be installed in its database first');
      plans!.connect(theirs);
    },
    onRestoreProgress(listener) {
      progressListeners.push(listener);
      return () => {
        const at = progressListeners.indexOf(listener);
        if (at >= 0) progressListeners.splice(at, 1);
      };
    },
    whenRestored(tableName) {
      const table = installed().context.getTable(tableName);
      if (table === undefined) return Promise.reject(new Error(`No table ${tableName} is being restored`));
      if (table.status === 'ACTIVE') return Promise.resolve();
      return new Promise((resolve, reject) => {
        const list = waiters.get(tableName) ?? [];
        list.push({ resolve, reject });
        waiters.set(tableName, list);
      });
    },

    // Durable storage (PersistentModule): every change of the module's state is logged as it happens
    // (BackupLogEntry) and the whole state goes into each snapshot; PITR history follows the replayed
    // change batches; a restored table carries its RestoreState (and whether it is complete) with it.
    snapshotState: () => {
      const { backups, pitr } = installed();
      return { ...persistState(backups.list(), pitr.histories(), pitr.lastSeq), jobs: persistJobs(jobs!), plans: plans!.persist() };
    },
    restoreState: (state) => {
      const { backups, pitr } = installed();
      recoverState(state as PersistedBackupState, backups, pitr);
      restoreJobs(jobs!, (state as { jobs?: PersistedJobs }).jobs);
      plans!.recover((state as { plans?: PersistedPlans }).plans);
    },
    replayChanges: (batch) => installed().pitr.onChange(batch),
    replayRecord: (record) => {
      const entry = record as BackupLogEntry;
      if (isJobEntry(entry)) replayJob(jobs!, entry);
      else if (entry.kind === 'plans') plans!.replay(entry);
      else replay(installed(), entry);
    },
    persistTableState: (table) => table.getModuleState(RESTORE_STATE),
    restoreTableState: (table, state) => {
      table.setModuleState(RESTORE_STATE, { ...(state as RestoreState) });
      recoveredRestores.add(table);
    },
    recovered: () => {
      const { context } = installed();
      // A restore cut off by a crash left a table without all its items: it goes, as if never created.
      for (const table of recoveredRestores) {
        const state = table.getModuleState(RESTORE_STATE) as RestoreState | undefined;
        if (context.getTable(table.name) === table && state?.populating === true) context.execute('DynamoDB_20120810', 'DeleteTable', { TableName: table.name });
      }
      recoveredRestores.clear();
      failInterruptedJobs(jobs!);
      plans!.resume();
    },

    install(context: ModuleContext) {
      if (host !== undefined) throw new Error('This backup() module is already installed in a database: create one per database');
      const pitr = new ContinuousBackups(context, {
        checkpointIntervalMs: options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
        maxHistoryBytes: options.maxHistoryBytes ?? DEFAULT_MAX_HISTORY_BYTES,
        latestRestorableDelayMs: options.latestRestorableDelayMs ?? DEFAULT_LATEST_RESTORABLE_DELAY_MS,
      });
      const backups = new OnDemandBackups(context);
      const self: BackupHost = {
        context,
        backups,
        pitr,
        takeBackup: (request) => {
          const record = backups.create(request);
          const entry: Mutable<Extract<BackupLogEntry, { kind: 'backup' }>> = {
            kind: 'backup',
            arn: record.arn,
            name: record.name,
            type: record.type,
            tableName: request.table.name,
            createdAt: record.createdAt,
            source: record.source,
          };
          if (record.expiresAt !== undefined) entry.expiresAt = record.expiresAt;
          if (record.timeToLive !== undefined) entry.timeToLive = record.timeToLive;
          self.logged(entry);
          return record;
        },
        applyLogged: (entry) => {
          const table = context.getTable(entry.tableName)!;
          return pitr.update(table, describeSource(context, table.name), entry.enabled, entry.recoveryPeriodInDays, entry.at);
        },
        restore: (request: RestoreRequest): TableDescription => {
          const report = (progress: RestoreProgress): void => {
            for (const listener of progressListeners) listener(progress);
          };
          const description = restoreTable(context, () => restoring.size, report, request);
          if (description.TableStatus === 'CREATING') restoring.add(request.targetTableName);
          return description;
        },
        adoptCopy: (source, expiresAt) => {
          const createdAt = context.clock.now();
          const fields = {
            arn: backupArnOf(`arn:aws:dynamodb:${context.region}:${context.accountId}:table/${source.source.TableName}`, createdAt),
            name: source.name,
            createdAt,
            ...(expiresAt === undefined ? {} : { expiresAt }),
            source: source.source,
            ...(source.timeToLive === undefined ? {} : { timeToLive: source.timeToLive }),
          };
          const record = backups.add({ ...fields, type: 'AWS_BACKUP', items: source.items });
          // The items are encoded only if the store writes the entry (never on memory storage).
          const entry = { kind: 'copiedBackup', ...fields } as Extract<BackupLogEntry, { kind: 'copiedBackup' }>;
          Object.defineProperty(entry, 'items', { enumerable: true, get: () => persistItems(source.items) });
          self.logged(entry);
          return record;
        },
        logged: (entry) => context.logModuleRecord('backup', entry),
      };
      host = self;
      plans = new BackupPlans(self);
      context.onChange((batch) => pitr.onChange(batch));
      context.onTableEvent((event) => {
        const table = event.table;
        if (event.type === 'active') settle(table.name);
        else if (event.type === 'deleted') settle(table.name, new Error(`Table ${table.name} was deleted before its restore completed`));
        else if (event.type === 'deleting' && pitr.historyOf(table) !== undefined) {
          // DynamoDB keeps a deleted PITR table's last state as a SYSTEM backup, and its window for the recovery period.
          const entry = { kind: 'tableDeleted', tableName: table.name, tableId: table.id, at: context.clock.now(), source: describeSource(context, table.name) } as const;
          const history = pitr.historyOf(table)!;
          self.takeBackup({ table, name: `${table.name}$DeletedTableBackup`, type: 'SYSTEM', expiresAt: entry.at + history.recoveryPeriodInDays * DAY_MS });
          applyTableDeleted(pitr, entry);
          self.logged(entry);
        }
      });
      context.contributeTableDescription((table, description) => {
        const summary = restoreSummaryOf(table);
        if (summary !== undefined) description.RestoreSummary = summary;
        const sse = sseDescriptionOf(table);
        if (sse !== undefined) description.SSEDescription = sse;
      });
      context.handleTableParameter(RESTORE_PARAMETER, { apply: applyRestoreParameter });
      const DDB = 'DynamoDB_20120810';
      const register = <I extends object>(entry: OperationEntry<I>): void => context.registerOperation(entry);
      // Backups are not tables: their reads wait for whatever is pending (the read fence cannot tell what they saw).
      const anyTable = () => undefined;
      register({ service: DDB, name: 'CreateBackup', effect: 'catalog', handler: (input) => createBackup(self, input as never) });
      register({ service: DDB, name: 'DescribeBackup', effect: 'read', tablesOf: anyTable, handler: (input) => describeBackup(self, input as never) });
      register({ service: DDB, name: 'ListBackups', effect: 'read', tablesOf: anyTable, handler: (input) => listBackups(self, input as never) });
      register({ service: DDB, name: 'DeleteBackup', effect: 'catalog', tablesOf: () => [], handler: (input) => deleteBackup(self, input as never) });
      register({ service: DDB, name: 'RestoreTableFromBackup', effect: 'catalog', tablesOf: targetOf, handler: (input) => restoreTableFromBackup(self, input as never) });
      register({ service: DDB, name: 'UpdateContinuousBackups', effect: 'catalog', handler: (input) => updateContinuousBackups(self, input as never) });
      register({ service: DDB, name: 'DescribeContinuousBackups', effect: 'read', handler: (input) => describeContinuousBackups(self, input as never) });
      register({ service: DDB, name: 'RestoreTableToPointInTime', effect: 'catalog', tablesOf: targetOf, handler: (input) => restoreTableToPointInTime(self, input as never) });
      jobs = registerExportImport(self, options);
    },
  };
  plansOf.set(module, () => plans!);
  return module;
}

/** Each module's plans (connectBackupStore reaches the other module's through it). */
const plansOf = new WeakMap<BackupModule, () => BackupPlans>();

const DAY_MS = 24 * 60 * 60 * 1000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function applyTableDeleted(pitr: ContinuousBackups, entry: Extract<BackupLogEntry, { kind: 'tableDeleted' }>): void {
  pitr.tableDeleted(entry.tableName, entry.tableId, entry.at, entry.source);
}

/** Applies a logged change of the module's state during recovery, where it happened among the writes. */
function replay(host: BackupHost, entry: BackupLogEntry): void {
  const { context, backups, pitr } = host;
  switch (entry.kind) {
    case 'backup': {
      const { kind: _kind, tableName, ...fields } = entry;
      backups.add({ ...fields, items: snapshotItems(context.snapshotTable(tableName), context.getTable(tableName)!.itemCount) });
      return;
    }
    case 'deleteBackup':
      backups.forget(entry.arn);
      return;
    case 'continuousBackups':
      host.applyLogged(entry);
      return;
    case 'tableDeleted':
      applyTableDeleted(pitr, entry);
      return;
    case 'copiedBackup': {
      const { kind: _kind, items, ...fields } = entry;
      backups.add({ ...fields, type: 'AWS_BACKUP', items: recoverItems(items) });
      return;
    }
  }
}

/** A restore's request names its new table. */
function targetOf(input: Readonly<Record<string, unknown>>): readonly string[] {
  return typeof input.TargetTableName === 'string' ? [input.TargetTableName] : [];
}
