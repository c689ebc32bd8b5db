import { OPAQUE, STRING, ValidationException, beginConstraints, checkShape, defineEnum, struct, type Item } from '@magneto/core';
import type { TableHistory } from '../continuous-backups.js';
import { PointInTimeRecoveryUnavailableException, tableNotFound } from '../errors.js';
import { snapshotItems } from '../item-source.js';
import { timestampOf } from '../timestamps.js';
import { fingerprintOf } from './client-tokens.js';
import { ExportConflictException, InvalidExportTimeException } from './errors.js';
import type { ExportImportHost } from './export-import-host.js';
import { exportDescription, type ExportJob, type ExportTableToPointInTimeInput, type IncrementalWindow } from './export-job.js';
import { fullExportLines, incrementalExportLines } from './export-lines.js';
import { exportDirectoryOf, writeExport } from './export-writer.js';
import { messageOf } from './import-items.js';
import { changesBetween } from './incremental-changes.js';
import { jobIdOf } from './job-id.js';
import { logJob } from './job-log.js';
import { storeOf, type ObjectStore } from './object-store.js';
import { itemsAt } from './table-at-time.js';

const EXPORT_FORMAT = defineEnum(['DYNAMODB_JSON', 'ION']);
const EXPORT_TYPE = defineEnum(['FULL_EXPORT', 'INCREMENTAL_EXPORT']);
const SSE_ALGORITHM = defineEnum(['AES256', 'KMS']);
const EXPORT_VIEW_TYPE = defineEnum(['NEW_AND_OLD_IMAGES', 'NEW_IMAGE']);

/** The request's wire shape: a member of the wrong JSON type is a SerializationException, as on DynamoDB. */
const SHAPE = struct('ExportTableToPointInTimeInput', {
  TableArn: STRING,
  ExportTime: OPAQUE,
  ClientToken: STRING,
  S3Bucket: STRING,
  S3BucketOwner: STRING,
  S3Prefix: STRING,
  S3SseAlgorithm: STRING,
  S3SseKmsKeyId: STRING,
  ExportFormat: STRING,
  ExportType: STRING,
  IncrementalExportSpecification: struct('IncrementalExportSpecification', { ExportFromTime: OPAQUE, ExportToTime: OPAQUE, ExportViewType: STRING }),
});

/** An incremental export's shortest and longest window (DynamoDB: 15 minutes to 24 hours). */
const MIN_INCREMENTAL_MS = 15 * 60 * 1000;
const MAX_INCREMENTAL_MS = 24 * 60 * 60 * 1000;

/**
 * ExportTableToPointInTime: a FULL_EXPORT is the table as of ExportTime (default: now), an
 * INCREMENTAL_EXPORT the items written in [ExportFromTime, ExportToTime) (see changesBetween), in
 * DYNAMODB_JSON or ION, read from its point-in-time recovery history (PointInTimeRecoveryUnavailableException without PITR; InvalidExportTimeException
 * outside the window), written to the S3Bucket's object store in DynamoDB's layout (see writeExport).
 * Answers IN_PROGRESS; the export then runs beside the writers (it reads a snapshot and the retained
 * changes) and ends COMPLETED, or FAILED with the store's error. The same ClientToken within 8 hours
 * answers the same export (other parameters: ExportConflictException).
 */
export function exportTableToPointInTime(host: ExportImportHost, input: ExportTableToPointInTimeInput): { ExportDescription: Record<string, unknown> } {
  validate(input);
  const { context, pitr } = host.backup;
  const now = context.clock.now();
  const requested = timestampOf('exportTime', input.ExportTime);
  const fingerprint = fingerprintOf(input);
  const earlier = host.exportTokens.find(input.ClientToken, fingerprint, now);
  if (earlier === 'conflict') throw new ExportConflictException(`There was a conflict when writing to the specified S3 bucket. This can occur when the current export conflicts with a previous export request that had the same client token.`);
  if (earlier !== undefined) return { ExportDescription: exportDescription(earlier) };

  const table = context.getTable(context.tableNameOf(input.TableArn));
  if (table === undefined) throw tableNotFound(input.TableArn);
  const history = pitr.historyOf(table);
  if (history === undefined) throw new PointInTimeRecoveryUnavailableException(`Point in time recovery is not enabled for table '${table.name}'`);
  const window = pitr.window(history);
  const incremental = input.ExportType === 'INCREMENTAL_EXPORT' ? incrementalWindow(input, window) : undefined;
  const exportTime = incremental?.to ?? requested ?? window.latest;
  if (incremental === undefined && (exportTime < window.earliest || exportTime > window.latest)) throw invalidTime(exportTime, window);
  // What is exported is fixed now (a snapshot and the retained changes): writes after this request are not in it.
  const written = incremental === undefined ? fullExport(host, history, exportTime, input, exportTime >= now ? table.name : undefined) : incrementalExport(host, history, incremental, input);
  const id = jobIdOf(now);
  const job: ExportJob = {
    arn: `${table.arn}/export/${id}`,
    id,
    input,
    tableArn: table.arn,
    tableId: table.id,
    startedAt: now,
    exportTime,
    incremental,
    manifestKey: `${exportDirectoryOf(input.S3Prefix, id)}manifest-summary.json`,
    status: 'IN_PROGRESS',
  };
  host.exports.set(job.arn, job);
  host.exportTokens.remember(input.ClientToken, fingerprint, now, job);
  logJob(host, { kind: 'exportJob', job });
  const store = storeOf(host.options.objectStores, input.S3Bucket, input.S3BucketOwner);
  const clock = (): number => context.clock.now();
  // Runs beside later requests; its outcome is the job's status (this never rejects).
  void (async () => {
    try {
      if (store === undefined) throw Object.assign(new Error(`The specified bucket does not exist: ${input.S3Bucket}`), { code: 'S3NoSuchBucket' });
      const { itemCount, billedSizeBytes } = await written(store, job, clock, (itemsDone) => host.options.onExportProgress?.({ exportArn: job.arn, itemsDone }));
      job.itemCount = itemCount;
      job.billedSizeBytes = billedSizeBytes;
      job.status = 'COMPLETED';
    } catch (error) {
      job.status = 'FAILED';
      job.failureCode = (error as { code?: string }).code ?? 'S3AccessDenied';
      job.failureMessage = messageOf(error);
    } finally {
      job.endedAt = clock();
      logJob(host, { kind: 'exportJob', job });
    }
  })();
  return { ExportDescription: exportDescription(job) };
}

/** Writes the export's files (see writeExport); what it writes was read when the request was accepted. */
type ExportWriting = (store: ObjectStore, job: ExportJob, now: () => number, progress: (itemsDone: number) => void) => Promise<{ itemCount: number; billedSizeBytes: number }>;

/**
 * A full export: the table's items at ExportTime. Exported as of now (the default), they are the live
 * table's O(1) snapshot: rebuilding now from the last checkpoint would decode every retained change into
 * memory (a table loaded since its checkpoint: all of it).
 */
function fullExport(host: ExportImportHost, history: TableHistory, time: number, input: ExportTableToPointInTimeInput, liveTable: string | undefined): ExportWriting {
  const live = liveTable === undefined ? undefined : snapshotItems(host.backup.context.snapshotTable(liveTable), 0);
  const items: Iterable<Item> = live === undefined ? itemsAt(host.backup.pitr, history, time) : { [Symbol.iterator]: () => live.items()[Symbol.iterator]() };
  const lines = fullExportLines(input.ExportFormat ?? 'DYNAMODB_JSON');
  return (store, job, now, progress) => writeExport(store, job, items, lines, now, progress);
}

/** An incremental export: the items written in [ExportFromTime, ExportToTime), one line each. */
function incrementalExport(host: ExportImportHost, history: TableHistory, window: IncrementalWindow, input: ExportTableToPointInTimeInput): ExportWriting {
  const changes = changesBetween(host.backup.pitr, history, window.from, window.to, window.viewType);
  const lines = incrementalExportLines(input.ExportFormat ?? 'DYNAMODB_JSON');
  return (store, job, now, progress) => writeExport(store, job, changes, lines, now, progress);
}

/**
 * An incremental export's window: ExportFromTime (required) within the PITR window, ExportToTime (default:
 * now) not after now, 15 minutes to 24 hours apart (checked first: it needs no history); ExportViewType defaults to NEW_AND_OLD_IMAGES.
 */
function incrementalWindow(input: ExportTableToPointInTimeInput, window: { earliest: number; latest: number }): IncrementalWindow {
  if (input.ExportTime !== undefined && input.ExportTime !== null) throw new ValidationException('ExportTime cannot be specified for an incremental export: use IncrementalExportSpecification');
  const spec = input.IncrementalExportSpecification;
  const from = timestampOf('incrementalExportSpecification.exportFromTime', spec?.ExportFromTime);
  if (from === undefined) throw new ValidationException('IncrementalExportSpecification.ExportFromTime is required for an incremental export');
  const to = timestampOf('incrementalExportSpecification.exportToTime', spec?.ExportToTime) ?? window.latest;
  if (from >= to) throw new ValidationException('ExportFromTime must be earlier than ExportToTime');
  if (to - from < MIN_INCREMENTAL_MS) throw new ValidationException('The incremental export period must be at least 15 minutes');
  if (to - from > MAX_INCREMENTAL_MS) throw new ValidationException('The incremental export period must not exceed 24 hours');
  if (from < window.earliest) throw invalidTime(from, window);
  if (to > window.latest) throw invalidTime(to, window);
  return { from, to, viewType: spec?.ExportViewType ?? 'NEW_AND_OLD_IMAGES' };
}

function invalidTime(time: number, window: { earliest: number; latest: number }): InvalidExportTimeException {
  return new InvalidExportTimeException(`Invalid export time ${new Date(time).toISOString()}: it must be between ${new Date(window.earliest).toISOString()} and ${new Date(window.latest).toISOString()}`);
}

function validate(input: ExportTableToPointInTimeInput): void {
  checkShape(input as unknown as Record<string, unknown>, SHAPE);
  const c = beginConstraints();
  if (c.notNull('tableArn', input.TableArn)) c.length('tableArn', input.TableArn, 1, 1024);
  if (c.notNull('s3Bucket', input.S3Bucket)) c.length('s3Bucket', input.S3Bucket, 0, 255);
  c.length('s3BucketOwner', input.S3BucketOwner, 12, 12);
  c.length('s3Prefix', input.S3Prefix, 0, 1024);
  c.oneOf('s3SseAlgorithm', input.S3SseAlgorithm, SSE_ALGORITHM);
  c.length('s3SseKmsKeyId', input.S3SseKmsKeyId, 1, 2048);
  c.oneOf('exportFormat', input.ExportFormat, EXPORT_FORMAT);
  c.oneOf('exportType', input.ExportType, EXPORT_TYPE);
  c.oneOf('incrementalExportSpecification.exportViewType', input.IncrementalExportSpecification?.ExportViewType, EXPORT_VIEW_TYPE);
  c.finish();
}
