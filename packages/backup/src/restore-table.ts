import { LimitExceededException, ValidationException, type Item, type Key, type ModuleContext, type TableDescription, type TableSnapshot, type TableView } from '@magneto/core';
import { TableAlreadyExistsException, TableInUseException } from './errors.js';
import { restoreTableInput, type RestoreOverrides } from './table-definition.js';

/** The module state key a restored table keeps its RestoreSummary under (persisted with the table). */
export const RESTORE_STATE = 'backup.restore';

/**
 * The CreateTable parameter a restore passes its RestoreState in, so that the state is part of the
 * table's first catalog record: a crash can never leave the new table without it. Only values this
 * module issued are accepted (a request sending the parameter itself is refused).
 */
export const RESTORE_PARAMETER = 'MagnetoRestoreState';
const issued = new WeakSet<object>();

/** The table parameter handler of RESTORE_PARAMETER. */
export function applyRestoreParameter(table: TableView, value: unknown): void {
  if (typeof value !== 'object' || value === null || !issued.has(value)) {
    throw new ValidationException(`${RESTORE_PARAMETER} is set by RestoreTableFromBackup and RestoreTableToPointInTime only`);
  }
  table.setModuleState(RESTORE_STATE, value);
}

/** What a restored table remembers of its restore: DescribeTable's RestoreSummary, and whether its items are all in. */
export interface RestoreState {
  readonly sourceBackupArn?: string;
  readonly sourceTableArn?: string;
  /** ms of the clock: the backup's creation time, or the point in time restored to. */
  readonly restoreDateTime: number;
  /** True while the restore writes the items: a table recovered in this state is dropped (see BackupModule). */
  populating: boolean;
  /** Encryption at rest with a KMS key (SSESpecificationOverride, or the source's): DescribeTable's SSEDescription. */
  readonly kmsMasterKeyArn?: string;
}

/** A restore's progress, as `BackupModule.onRestoreProgress` reports it. */
export interface RestoreProgress {
  readonly targetTableName: string;
  readonly itemsDone: number;
  readonly itemsTotal: number;
}

/** A change a point-in-time restore applies after its checkpoint's items: the new item, or none (a delete of `keys`). */
export interface ReplayedChange {
  readonly keys: Key;
  readonly newImage?: Item | undefined;
}

/** DynamoDB's limit on restores in progress at once per account. */
export const MAX_CONCURRENT_RESTORES = 50;

/** How many items a restore writes between two progress events. */
const PROGRESS_EVERY = 10_000;

export interface RestoreRequest {
  readonly source: TableDescription;
  readonly targetTableName: string;
  readonly overrides: RestoreOverrides;
  /** The items to load: a snapshot (its items shared with the new table) or items. */
  readonly items: TableSnapshot | Iterable<Item>;
  readonly itemsTotal: number;
  readonly changes?: Iterable<ReplayedChange>;
  readonly summary: Omit<RestoreState, 'populating'>;
}

/**
 * Restores a table as DynamoDB does: always into a new table (TargetTableName), created with the source's
 * definition and the overrides, holding exactly the given items (secondary indexes built by core's write
 * path), status CREATING → ACTIVE on the clock. Atomic for every other request (no await inside); if a
 * step fails, the new table is deleted again before the error propagates, so no half-built table stays.
 */
export function restoreTable(
  context: ModuleContext,
  restoresInProgress: () => number,
  report: (progress: RestoreProgress) => void,
  request: RestoreRequest,
): TableDescription {
  const target = request.targetTableName;
  checkTarget(context, target);
  if (restoresInProgress() >= MAX_CONCURRENT_RESTORES) {
    throw new LimitExceededException(`Subscriber limit exceeded: Only ${MAX_CONCURRENT_RESTORES} simultaneous table restore operations are allowed`);
  }
  // Logged with the table's first catalog record: a crash before `populating` is cleared drops the table on recovery.
  const kmsMasterKeyArn = restoredKmsKey(context, request.source, request.overrides.SSESpecificationOverride);
  const state: RestoreState = { ...request.summary, populating: true, ...(kmsMasterKeyArn === undefined ? {} : { kmsMasterKeyArn }) };
  issued.add(state);
  // CreateTable validates the definition (overrides included): a refusal creates nothing.
  context.execute('DynamoDB_20120810', 'CreateTable', { ...restoreTableInput(request.source, target, request.overrides), [RESTORE_PARAMETER]: state });
  const table = context.getTable(target)!;
  try {
    populate(context, table, request, report);
  } catch (error) {
    context.execute('DynamoDB_20120810', 'DeleteTable', { TableName: target });
    throw error;
  }
  state.populating = false;
  context.catalogChanged(target);
  return (context.execute('DynamoDB_20120810', 'DescribeTable', { TableName: target }) as { Table: TableDescription }).Table;
}

function checkTarget(context: ModuleContext, target: string): void {
  const existing = context.getTable(target);
  if (existing === undefined) return;
  if (existing.status === 'ACTIVE') throw new TableAlreadyExistsException(`Table already exists: ${target}`);
  throw new TableInUseException(`Table is in use: ${target}`);
}

function populate(context: ModuleContext, table: TableView, request: RestoreRequest, report: (progress: RestoreProgress) => void): void {
  const target = table.name;
  const total = request.itemsTotal;
  let reported = 0;
  const progress = (itemsDone: number): void => {
    if (itemsDone < reported + PROGRESS_EVERY && itemsDone < total) return;
    reported = itemsDone;
    report({ targetTableName: target, itemsDone, itemsTotal: total });
  };
  report({ targetTableName: target, itemsDone: 0, itemsTotal: total });
  const done = context.systemLoad(target, request.items, 'restore', progress);
  for (const change of request.changes ?? []) {
    if (change.newImage !== undefined) context.systemPut(target, change.newImage, 'restore');
    else context.systemDelete(target, change.keys, 'restore');
  }
  if (done !== reported || done === 0) report({ targetTableName: target, itemsDone: done, itemsTotal: total });
}

/**
 * The KMS key a restored table is encrypted with, as DynamoDB decides it: SSESpecificationOverride when
 * given (Enabled true: KMS, with KMSMasterKeyId or DynamoDB's AWS managed key `alias/aws/dynamodb`;
 * Enabled false: an AWS owned key, which DescribeTable does not describe), else the source's.
 */
function restoredKmsKey(context: ModuleContext, source: TableDescription, override: RestoreOverrides['SSESpecificationOverride']): string | undefined {
  if (override === undefined) {
    const described = (source as { SSEDescription?: { Status?: string; SSEType?: string; KMSMasterKeyArn?: string } }).SSEDescription;
    return described?.Status === 'ENABLED' && described.SSEType === 'KMS' ? described.KMSMasterKeyArn : undefined;
  }
  if (override.Enabled !== true) return undefined;
  const prefix = `arn:aws:kms:${context.region}:${context.accountId}:`;
  const id = override.KMSMasterKeyId;
  if (id === undefined) return `${prefix}key/${awsManagedKeyId(context)}`;
  if (id.startsWith('arn:')) return id;
  return id.startsWith('alias/') ? `${prefix}${id}` : `${prefix}key/${id}`;
}

/** A stable, UUID-shaped id for the account's and region's AWS managed key of DynamoDB (alias/aws/dynamodb). */
function awsManagedKeyId(context: ModuleContext): string {
  let hex = '';
  for (let seed = 0; hex.length < 32; seed++) {
    let h = 2166136261 ^ seed;
    for (const c of `${context.accountId}:${context.region}:alias/aws/dynamodb`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    hex += (h >>> 0).toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** DescribeTable's SSEDescription of a restored table encrypted with a KMS key. */
export function sseDescriptionOf(table: TableView): Record<string, unknown> | undefined {
  const state = table.getModuleState(RESTORE_STATE) as RestoreState | undefined;
  return state?.kmsMasterKeyArn === undefined ? undefined : { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: state.kmsMasterKeyArn };
}

/** DescribeTable's RestoreSummary for a restored table (RestoreInProgress while it is CREATING). */
export function restoreSummaryOf(table: TableView): Record<string, unknown> | undefined {
  const state = table.getModuleState(RESTORE_STATE) as RestoreState | undefined;
  if (state === undefined) return undefined;
  const summary: Record<string, unknown> = {};
  if (state.sourceBackupArn !== undefined) summary.SourceBackupArn = state.sourceBackupArn;
  if (state.sourceTableArn !== undefined) summary.SourceTableArn = state.sourceTableArn;
  summary.RestoreDateTime = new Date(state.restoreDateTime);
  summary.RestoreInProgress = table.status === 'CREATING' || state.populating;
  return summary;
}
