import { ValidationException, beginConstraints, defineEnum } from '@magneto/core';
import { PointInTimeRecoveryUnavailableException, tableNotFound } from '../errors.js';
import { timestampOf } from '../timestamps.js';
import { fingerprintOf } from './client-tokens.js';
import { ExportConflictException, InvalidExportTimeException } from './errors.js';
import type { ExportImportHost } from './export-import-host.js';
import { exportDescription, type ExportJob, type ExportTableToPointInTimeInput } from './export-job.js';
import { exportDirectoryOf, writeFullExport } from './export-writer.js';
import { messageOf } from './import-items.js';
import { jobIdOf } from './job-id.js';
import { storeOf } from './object-store.js';
import { itemsAt } from './table-at-time.js';

const EXPORT_FORMAT = defineEnum(['DYNAMODB_JSON', 'ION']);
const EXPORT_TYPE = defineEnum(['FULL_EXPORT', 'INCREMENTAL_EXPORT']);
const SSE_ALGORITHM = defineEnum(['AES256', 'KMS']);

/**
 * ExportTableToPointInTime: the table as of ExportTime (default: now), read from its point-in-time
 * recovery history (PointInTimeRecoveryUnavailableException without PITR; InvalidExportTimeException
 * outside the window), written to the S3Bucket's object store in DynamoDB's layout (see writeFullExport).
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
  const { earliest, latest } = pitr.window(history);
  const exportTime = requested ?? latest;
  if (exportTime < earliest || exportTime > latest) {
    throw new InvalidExportTimeException(`Invalid export time ${new Date(exportTime).toISOString()}: it must be between ${new Date(earliest).toISOString()} and ${new Date(latest).toISOString()}`);
  }
  // The items are fixed now (a snapshot and the retained changes): writes after this request are not in the export.
  const items = itemsAt(pitr, history, exportTime);
  const id = jobIdOf(now);
  const job: ExportJob = {
    arn: `${table.arn}/export/${id}`,
    id,
    input,
    tableArn: table.arn,
    tableId: table.id,
    startedAt: now,
    exportTime,
    manifestKey: `${exportDirectoryOf(input.S3Prefix, id)}manifest-summary.json`,
    status: 'IN_PROGRESS',
  };
  host.exports.set(job.arn, job);
  host.exportTokens.remember(input.ClientToken, fingerprint, now, job);
  const store = storeOf(host.options.objectStores, input.S3Bucket, input.S3BucketOwner);
  const clock = (): number => context.clock.now();
  // Runs beside later requests; its outcome is the job's status (this never rejects).
  void (async () => {
    try {
      if (store === undefined) throw Object.assign(new Error(`The specified bucket does not exist: ${input.S3Bucket}`), { code: 'S3NoSuchBucket' });
      const { itemCount, billedSizeBytes } = await writeFullExport(store, job, items, clock);
      job.itemCount = itemCount;
      job.billedSizeBytes = billedSizeBytes;
      job.status = 'COMPLETED';
    } catch (error) {
      job.status = 'FAILED';
      job.failureCode = (error as { code?: string }).code ?? 'S3AccessDenied';
      job.failureMessage = messageOf(error);
    } finally {
      job.endedAt = clock();
    }
  })();
  return { ExportDescription: exportDescription(job) };
}

function validate(input: ExportTableToPointInTimeInput): void {
  const c = beginConstraints();
  if (c.notNull('tableArn', input.TableArn)) c.length('tableArn', input.TableArn, 1, 1024);
  if (c.notNull('s3Bucket', input.S3Bucket)) c.length('s3Bucket', input.S3Bucket, 0, 255);
  c.length('s3BucketOwner', input.S3BucketOwner, 12, 12);
  c.length('s3Prefix', input.S3Prefix, 0, 1024);
  c.oneOf('s3SseAlgorithm', input.S3SseAlgorithm, SSE_ALGORITHM);
  c.length('s3SseKmsKeyId', input.S3SseKmsKeyId, 1, 2048);
  c.oneOf('exportFormat', input.ExportFormat, EXPORT_FORMAT);
  c.oneOf('exportType', input.ExportType, EXPORT_TYPE);
  c.finish();
  // Formats and types DynamoDB has but Magneto does not write yet are refused up front.
  if (input.ExportFormat === 'ION') throw new ValidationException('ExportFormat ION is not supported by Magneto yet: use DYNAMODB_JSON');
  if (input.ExportType === 'INCREMENTAL_EXPORT') throw new ValidationException('ExportType INCREMENTAL_EXPORT is not supported by Magneto yet: use FULL_EXPORT');
}
