import { BOOLEAN, INTEGER, STRING, ValidationException, beginConstraints, checkShape, struct, type TableView } from '@magneto/core';
import type { BackupHost } from '../backup-host.js';
import type { TableHistory } from '../continuous-backups.js';
import { InvalidRestoreTimeException, PointInTimeRecoveryUnavailableException, tableNotFound } from '../errors.js';
import { describeSource } from '../table-definition.js';
import { timestampOf } from '../timestamps.js';
import type { RestoreOverrides } from '../table-definition.js';
import { validateOverrides } from './restore-overrides.js';
import { RESTORE_TABLE_TO_POINT_IN_TIME_SHAPE } from './request-shapes.js';

/** The requests' wire shapes: a member of the wrong JSON type is a SerializationException, as on DynamoDB. */
const DESCRIBE_SHAPE = struct('DescribeContinuousBackupsInput', { TableName: STRING });
const UPDATE_SHAPE = struct('UpdateContinuousBackupsInput', {
  TableName: STRING,
  PointInTimeRecoverySpecification: struct('PointInTimeRecoverySpecification', { PointInTimeRecoveryEnabled: BOOLEAN, RecoveryPeriodInDays: INTEGER }),
});

/** DynamoDB's default and bounds of RecoveryPeriodInDays. */
const DEFAULT_RECOVERY_PERIOD_DAYS = 35;

/** The live table a continuous-backups request names (a name or an ARN); TableNotFoundException when there is none. */
function liveTable(host: BackupHost, tableName: string): TableView {
  const table = host.context.getTable(host.context.tableNameOf(tableName));
  if (table === undefined) throw tableNotFound(tableName);
  return table;
}

/** ContinuousBackupsDescription of a table: PITR's status, period and window. */
function describe(host: BackupHost, history: TableHistory | undefined): Record<string, unknown> {
  if (history === undefined) {
    return { ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } };
  }
  const { earliest, latest } = host.pitr.restorableWindow(history);
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: history.recoveryPeriodInDays,
      EarliestRestorableDateTime: new Date(earliest),
      LatestRestorableDateTime: new Date(latest),
    },
  };
}

/** DescribeContinuousBackups. */
export function describeContinuousBackups(host: BackupHost, input: { TableName: string }): { ContinuousBackupsDescription: Record<string, unknown> } {
  checkShape(input as unknown as Record<string, unknown>, DESCRIBE_SHAPE);
  const c = beginConstraints();
  if (c.notNull('tableName', input.TableName)) c.tableName('tableName', input.TableName, true);
  c.finish();
  const table = liveTable(host, input.TableName);
  return { ContinuousBackupsDescription: describe(host, host.pitr.historyOf(table)) };
}

export interface UpdateContinuousBackupsInput {
  TableName: string;
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: boolean; RecoveryPeriodInDays?: number };
}

/** UpdateContinuousBackups: enables PITR (the window starts now) or disables it (its history is dropped). */
export function updateContinuousBackups(host: BackupHost, input: UpdateContinuousBackupsInput): { ContinuousBackupsDescription: Record<string, unknown> } {
  checkShape(input as unknown as Record<string, unknown>, UPDATE_SHAPE);
  const c = beginConstraints();
  if (c.notNull('tableName', input.TableName)) c.tableName('tableName', input.TableName, true);
  const spec = input.PointInTimeRecoverySpecification;
  if (c.notNull('pointInTimeRecoverySpecification', spec)) {
    c.notNull('pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled', spec.PointInTimeRecoveryEnabled);
    c.min('pointInTimeRecoverySpecification.recoveryPeriodInDays', spec.RecoveryPeriodInDays, 1);
    c.max('pointInTimeRecoverySpecification.recoveryPeriodInDays', spec.RecoveryPeriodInDays, 35);
  }
  c.finish();
  const table = liveTable(host, input.TableName);
  if (!spec.PointInTimeRecoveryEnabled && spec.RecoveryPeriodInDays !== undefined) {
    throw new ValidationException('RecoveryPeriodInDays can only be specified when PointInTimeRecoveryEnabled is set to true');
  }
  const entry = {
    kind: 'continuousBackups',
    tableName: table.name,
    enabled: spec.PointInTimeRecoveryEnabled,
    recoveryPeriodInDays: spec.RecoveryPeriodInDays ?? DEFAULT_RECOVERY_PERIOD_DAYS,
    at: host.context.clock.now(),
  } as const;
  const history = host.applyLogged(entry);
  host.logged(entry);
  return { ContinuousBackupsDescription: describe(host, history) };
}

export interface RestoreTableToPointInTimeInput extends RestoreOverrides {
  SourceTableArn?: string;
  SourceTableName?: string;
  TargetTableName: string;
  UseLatestRestorableTime?: boolean;
  RestoreDateTime?: Date | number;
}

/**
 * RestoreTableToPointInTime: a new table holding the source's items as of RestoreDateTime (or the latest
 * restorable time), by SourceTableName or SourceTableArn — the latter also for a table deleted within its
 * recovery period.
 */
export function restoreTableToPointInTime(host: BackupHost, input: RestoreTableToPointInTimeInput): { TableDescription: unknown } {
  checkShape(input as unknown as Record<string, unknown>, RESTORE_TABLE_TO_POINT_IN_TIME_SHAPE);
  const c = beginConstraints();
  c.tableName('sourceTableName', input.SourceTableName);
  c.length('sourceTableArn', input.SourceTableArn, 1, 1024);
  if (c.notNull('targetTableName', input.TargetTableName)) c.tableName('targetTableName', input.TargetTableName);
  validateOverrides(c, input);
  c.finish();
  const requested = timestampOf('restoreDateTime', input.RestoreDateTime);
  if ((input.SourceTableArn === undefined) === (input.SourceTableName === undefined)) {
    throw new ValidationException('Exactly one of SourceTableArn or SourceTableName must be specified');
  }
  if (input.UseLatestRestorableTime === true && requested !== undefined) {
    throw new ValidationException('Only one of RestoreDateTime or UseLatestRestorableTime must be specified');
  }
  if (input.UseLatestRestorableTime !== true && requested === undefined) {
    throw new ValidationException('Either RestoreDateTime or UseLatestRestorableTime must be specified');
  }
  const history = sourceHistory(host, input);
  const { earliest, latest } = host.pitr.restorableWindow(history);
  const time = requested ?? latest;
  if (time < earliest || time > latest) {
    throw new InvalidRestoreTimeException(`Invalid restore time ${new Date(time).toISOString()}: it must be between ${new Date(earliest).toISOString()} and ${new Date(latest).toISOString()}`);
  }
  const { checkpoint, changes } = host.pitr.stateAt(history, time);
  const description = host.restore({
    source: history.source,
    targetTableName: input.TargetTableName,
    overrides: input,
    items: checkpoint.items.loadable(),
    itemsTotal: checkpoint.items.itemCount,
    changes,
    summary: { sourceTableArn: history.tableArn, restoreDateTime: time },
  });
  return { TableDescription: description };
}

/** The history a restore reads: the live table's (PITR must be enabled), else a deleted table's by ARN. */
function sourceHistory(host: BackupHost, input: RestoreTableToPointInTimeInput): TableHistory {
  const named = input.SourceTableName ?? input.SourceTableArn!;
  const table = host.context.getTable(host.context.tableNameOf(named));
  if (table !== undefined) {
    const history = host.pitr.historyOf(table);
    if (history === undefined) throw new PointInTimeRecoveryUnavailableException(`Point in time recovery is not enabled for table '${table.name}'`);
    // A live source's restore takes its current settings, as DynamoDB's does.
    history.source = describeSource(host.context, table.name);
    return history;
  }
  const deleted = input.SourceTableArn === undefined ? undefined : host.pitr.deletedHistory(input.SourceTableArn);
  if (deleted === undefined) throw tableNotFound(named);
  return deleted;
}
