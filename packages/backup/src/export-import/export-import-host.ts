import type { BackupHost } from '../backup-host.js';
import { ClientTokens } from './client-tokens.js';
import type { ExportJob } from './export-job.js';
import type { ImportJob } from './import-job.js';
import type { ObjectStores } from './object-store.js';

/**
 * One line of an import's error log, as DynamoDB writes it to the CloudWatch Logs group
 * `/aws-dynamodb/imports`: where the bad item is (bucket, key, its index in the object) and why.
 */
export interface ImportErrorLogEntry {
  readonly importArn: string;
  readonly itemS3Pointer: { readonly bucket: string; readonly key: string; readonly itemIndex: number };
  readonly errorMessages: readonly string[];
}

/** Options of export and import, given to `backup({ … })`. */
export interface ExportImportOptions {
  /** The object stores S3Bucket names (see ObjectStores); a bucket with no store fails the job. */
  readonly objectStores?: ObjectStores;
  /** Receives every line an import could not load (DynamoDB writes them to CloudWatch Logs). */
  readonly onImportError?: (entry: ImportErrorLogEntry) => void;
  /** Receives an export's progress: after every chunk of lines it wrote (DescribeExport shows counts only at the end). */
  readonly onExportProgress?: (progress: ExportProgress) => void;
  /** Receives an import's progress: after every batch of items it loaded (DescribeImport shows the same counts). */
  readonly onImportProgress?: (progress: ImportProgress) => void;
}

/** An export's progress: the lines (items) written so far. */
export interface ExportProgress {
  readonly exportArn: string;
  readonly itemsDone: number;
}

/** An import's progress: its counts so far, as DescribeImport answers them. */
export interface ImportProgress {
  readonly importArn: string;
  readonly tableName: string;
  readonly processedItemCount: number;
  readonly importedItemCount: number;
  readonly errorCount: number;
  readonly processedSizeBytes: number;
}

/** The state export and import work with: the backup module's, the options, the jobs by ARN and the client tokens. */
export interface ExportImportHost {
  readonly backup: BackupHost;
  readonly options: ExportImportOptions;
  readonly exports: Map<string, ExportJob>;
  readonly exportTokens: ClientTokens<ExportJob>;
  readonly imports: Map<string, ImportJob>;
  /** The imports in progress, by their table's name (see guardImportingTables). */
  readonly importing: Map<string, ImportJob>;
  readonly importTokens: ClientTokens<ImportJob>;
}

export function createExportImportHost(backup: BackupHost, options: ExportImportOptions): ExportImportHost {
  return { backup, options, exports: new Map(), exportTokens: new ClientTokens(), imports: new Map(), importing: new Map(), importTokens: new ClientTokens() };
}
