import type { CompressionType } from './compression.js';
import type { InputFormat } from './import-items.js';

/** ImportStatus. */
export type ImportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** ImportTable's request, as the wire carries it. */
export interface ImportTableInput {
  ClientToken?: string;
  S3BucketSource: { S3Bucket: string; S3BucketOwner?: string; S3KeyPrefix?: string };
  InputFormat: InputFormat;
  InputFormatOptions?: { Csv?: { Delimiter?: string; HeaderList?: string[] } };
  InputCompressionType?: CompressionType;
  TableCreationParameters: Record<string, unknown> & { TableName: string };
}

/** One import: its request, its table and its progress (counts grow while it runs). */
export interface ImportJob {
  readonly arn: string;
  readonly input: ImportTableInput;
  readonly tableName: string;
  readonly tableArn: string;
  readonly tableId: string;
  readonly startedAt: number;
  readonly cloudWatchLogGroupArn: string;
  status: ImportStatus;
  endedAt?: number;
  processedSizeBytes: number;
  processedItemCount: number;
  importedItemCount: number;
  errorCount: number;
  failureCode?: string;
  failureMessage?: string;
}

/** ImportTableDescription, as ImportTable and DescribeImport answer it. */
export function importDescription(job: ImportJob): Record<string, unknown> {
  const { input } = job;
  const description: Record<string, unknown> = {
    ImportArn: job.arn,
    ImportStatus: job.status,
    TableArn: job.tableArn,
    TableId: job.tableId,
    S3BucketSource: input.S3BucketSource,
    ErrorCount: job.errorCount,
    CloudWatchLogGroupArn: job.cloudWatchLogGroupArn,
    InputFormat: input.InputFormat,
    InputCompressionType: input.InputCompressionType ?? 'NONE',
    TableCreationParameters: input.TableCreationParameters,
    StartTime: new Date(job.startedAt),
    ProcessedSizeBytes: job.processedSizeBytes,
    ProcessedItemCount: job.processedItemCount,
    ImportedItemCount: job.importedItemCount,
  };
  if (input.ClientToken !== undefined) description.ClientToken = input.ClientToken;
  if (input.InputFormatOptions !== undefined) description.InputFormatOptions = input.InputFormatOptions;
  if (job.endedAt !== undefined) description.EndTime = new Date(job.endedAt);
  if (job.failureCode !== undefined) description.FailureCode = job.failureCode;
  if (job.failureMessage !== undefined) description.FailureMessage = job.failureMessage;
  return description;
}

/** ImportSummary, as ListImports answers it. */
export function importSummary(job: ImportJob): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    ImportArn: job.arn,
    ImportStatus: job.status,
    TableArn: job.tableArn,
    S3BucketSource: job.input.S3BucketSource,
    CloudWatchLogGroupArn: job.cloudWatchLogGroupArn,
    InputFormat: job.input.InputFormat,
    StartTime: new Date(job.startedAt),
  };
  if (job.endedAt !== undefined) summary.EndTime = new Date(job.endedAt);
  return summary;
}
