import type { ExportViewType } from './incremental-changes.js';

/** ExportStatus. */
export type ExportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** ExportTableToPointInTime's request, as the wire carries it (ExportTime: the SDK's Date or epoch seconds). */
export interface ExportTableToPointInTimeInput {
  TableArn: string;
  ExportTime?: Date | number;
  ClientToken?: string;
  S3Bucket: string;
  S3BucketOwner?: string;
  S3Prefix?: string;
  S3SseAlgorithm?: 'AES256' | 'KMS';
  S3SseKmsKeyId?: string;
  ExportFormat?: 'DYNAMODB_JSON' | 'ION';
  ExportType?: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT';
  IncrementalExportSpecification?: { ExportFromTime?: Date | number; ExportToTime?: Date | number; ExportViewType?: ExportViewType };
}

/** An incremental export's window [from, to) in ms and its view type. */
export interface IncrementalWindow {
  readonly from: number;
  readonly to: number;
  readonly viewType: ExportViewType;
}

/** One export: its request, source, the point in time it reads, and its outcome. */
export interface ExportJob {
  readonly arn: string;
  readonly id: string;
  readonly input: ExportTableToPointInTimeInput;
  readonly tableArn: string;
  readonly tableId: string;
  readonly startedAt: number;
  /** The point in time exported (ms): a full export's ExportTime, an incremental export's ExportToTime. */
  readonly exportTime: number;
  /** An incremental export's window; undefined for a full export. */
  readonly incremental?: IncrementalWindow | undefined;
  /** The key of manifest-summary.json in the bucket. */
  readonly manifestKey: string;
  status: ExportStatus;
  endedAt?: number;
  itemCount?: number;
  billedSizeBytes?: number;
  failureCode?: string;
  failureMessage?: string;
}

/** ExportDescription, as ExportTableToPointInTime and DescribeExport answer it. */
export function exportDescription(job: ExportJob): Record<string, unknown> {
  const { input } = job;
  const description: Record<string, unknown> = {
    ExportArn: job.arn,
    ExportStatus: job.status,
    StartTime: new Date(job.startedAt),
    TableArn: job.tableArn,
    TableId: job.tableId,
    S3Bucket: input.S3Bucket,
    S3SseAlgorithm: input.S3SseAlgorithm ?? 'AES256',
    ExportFormat: input.ExportFormat ?? 'DYNAMODB_JSON',
    ExportType: input.ExportType ?? 'FULL_EXPORT',
  };
  if (job.incremental === undefined) description.ExportTime = new Date(job.exportTime);
  else {
    const { from, to, viewType } = job.incremental;
    description.IncrementalExportSpecification = { ExportFromTime: new Date(from), ExportToTime: new Date(to), ExportViewType: viewType };
  }
  if (input.ClientToken !== undefined) description.ClientToken = input.ClientToken;
  if (input.S3BucketOwner !== undefined) description.S3BucketOwner = input.S3BucketOwner;
  if (input.S3Prefix !== undefined) description.S3Prefix = input.S3Prefix;
  if (input.S3SseKmsKeyId !== undefined) description.S3SseKmsKeyId = input.S3SseKmsKeyId;
  if (job.endedAt !== undefined) description.EndTime = new Date(job.endedAt);
  if (job.status === 'COMPLETED') {
    description.ExportManifest = job.manifestKey;
    description.ItemCount = job.itemCount;
    description.BilledSizeBytes = job.billedSizeBytes;
  }
  if (job.failureCode !== undefined) description.FailureCode = job.failureCode;
  if (job.failureMessage !== undefined) description.FailureMessage = job.failureMessage;
  return description;
}

/** ExportSummary, as ListExports answers it. */
export function exportSummary(job: ExportJob): Record<string, unknown> {
  return { ExportArn: job.arn, ExportStatus: job.status, ExportType: job.input.ExportType ?? 'FULL_EXPORT' };
}
