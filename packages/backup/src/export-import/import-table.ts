import { OPAQUE, ResourceNotFoundException, STRING, beginConstraints, checkShape, defineEnum, listOf, struct, type AttributeDefinition, type KeySchemaElement, type ModuleContext } from '@magneto/core';
import { fingerprintOf } from './client-tokens.js';
import { decompress, type CompressionType } from './compression.js';
import { ImportConflictException } from './errors.js';
import type { ExportImportHost } from './export-import-host.js';
import { sourceEntries, messageOf, type CsvSettings, type InputFormat } from './import-items.js';
import { importDescription, type ImportJob, type ImportTableInput } from './import-job.js';
import { jobIdOf } from './job-id.js';
import { logJob } from './job-log.js';
import { storeOf, type ObjectStore } from './object-store.js';

const INPUT_FORMAT = defineEnum(['DYNAMODB_JSON', 'ION', 'CSV']);
const COMPRESSION = defineEnum(['GZIP', 'ZSTD', 'NONE']);

/**
 * The request's wire shape: a member of the wrong JSON type is a SerializationException, as on DynamoDB.
 * TableCreationParameters' own members are CreateTable's, checked by CreateTable itself.
 */
const SHAPE = struct('ImportTableInput', {
  ClientToken: STRING,
  S3BucketSource: struct('S3BucketSource', { S3BucketOwner: STRING, S3Bucket: STRING, S3KeyPrefix: STRING }),
  InputFormat: STRING,
  InputFormatOptions: struct('InputFormatOptions', { Csv: struct('CsvOptions', { Delimiter: STRING, HeaderList: listOf(STRING) }) }),
  InputCompressionType: STRING,
  TableCreationParameters: struct('TableCreationParameters', { TableName: STRING, AttributeDefinitions: OPAQUE, KeySchema: OPAQUE, BillingMode: STRING, ProvisionedThroughput: OPAQUE, SSESpecification: OPAQUE, GlobalSecondaryIndexes: OPAQUE, OnDemandThroughput: OPAQUE }),
});

/**
 * ImportTable: creates the table from TableCreationParameters (ResourceInUseException when it exists),
 * answers IN_PROGRESS, then loads every object under S3BucketSource's prefix (DYNAMODB_JSON, ION or CSV;
 * GZIP, ZSTD or NONE) as the database itself writes (no capacity consumed, indexes built by core's write path).
 * A line that is not an item is counted (ErrorCount), logged (`onImportError`) and skipped; a failure
 * of the source itself (no such bucket, a corrupt gzip) ends the import FAILED and deletes the table.
 * Until the import ends the table is CREATING to every other request (see guardImportingTables).
 * The same ClientToken within 8 hours answers the same import (other parameters: ImportConflictException).
 */
export function importTable(host: ExportImportHost, input: ImportTableInput): { ImportTableDescription: Record<string, unknown> } {
  const reading = validate(input);
  const context = host.backup.context;
  const now = context.clock.now();
  const fingerprint = fingerprintOf(input);
  const earlier = host.importTokens.find(input.ClientToken, fingerprint, now);
  if (earlier === 'conflict') throw new ImportConflictException(`There was a conflict when importing from the specified S3 source. This can occur when the current import conflicts with a previous import request that had the same client token.`);
  if (earlier !== undefined) return { ImportTableDescription: importDescription(earlier) };

  // CreateTable validates the definition and refuses an existing table (ResourceInUseException): nothing is created then.
  const tableName = input.TableCreationParameters.TableName;
  context.execute('DynamoDB_20120810', 'CreateTable', { ...input.TableCreationParameters });
  const table = context.getTable(tableName)!;
  const id = jobIdOf(now);
  const job: ImportJob = {
    arn: `${table.arn}/import/${id}`,
    input,
    tableName,
    tableArn: table.arn,
    tableId: table.id,
    startedAt: now,
    cloudWatchLogGroupArn: `arn:aws:logs:${context.region}:${context.accountId}:log-group:/aws-dynamodb/imports:*`,
    status: 'IN_PROGRESS',
    processedSizeBytes: 0,
    processedItemCount: 0,
    importedItemCount: 0,
    errorCount: 0,
  };
  host.imports.set(job.arn, job);
  host.importing.set(tableName, job);
  host.importTokens.remember(input.ClientToken, fingerprint, now, job);
  logJob(host, { kind: 'importJob', job });
  const store = storeOf(host.options.objectStores, input.S3BucketSource.S3Bucket, input.S3BucketSource.S3BucketOwner);
  // Runs beside later requests; its outcome is the job's status (load never rejects).
  void load(host, job, store, reading);
  return { ImportTableDescription: importDescription(job) };
}

/** Checks the request; answers how its source reads (the formats and compressions Magneto reads). */
function validate(input: ImportTableInput): SourceReading {
  checkShape(input as unknown as Record<string, unknown>, SHAPE);
  const c = beginConstraints();
  const source = input.S3BucketSource;
  if (c.notNull('s3BucketSource', source)) {
    if (c.notNull('s3BucketSource.s3Bucket', source.S3Bucket)) c.length('s3BucketSource.s3Bucket', source.S3Bucket, 0, 255);
    c.length('s3BucketSource.s3KeyPrefix', source.S3KeyPrefix, 0, 1024);
  }
  if (c.notNull('inputFormat', input.InputFormat)) c.oneOf('inputFormat', input.InputFormat, INPUT_FORMAT);
  c.oneOf('inputCompressionType', input.InputCompressionType, COMPRESSION);
  if (c.notNull('tableCreationParameters', input.TableCreationParameters)) c.tableName('tableCreationParameters.tableName', input.TableCreationParameters.TableName);
  const csv = input.InputFormatOptions?.Csv;
  if (csv !== undefined) {
    c.length('inputFormatOptions.csv.delimiter', csv.Delimiter, 1, 1);
    c.length('inputFormatOptions.csv.headerList', csv.HeaderList, 1, 255);
  }
  c.finish();
  return { format: input.InputFormat, compression: input.InputCompressionType ?? 'NONE' };
}

interface SourceReading {
  readonly format: InputFormat;
  readonly compression: CompressionType;
}

/** Loads the source into the table, counting as it goes; ends COMPLETED, or FAILED with the table deleted. */
async function load(host: ExportImportHost, job: ImportJob, store: ObjectStore | undefined, reading: SourceReading): Promise<void> {
  const context = host.backup.context;
  const { input } = job;
  const bucket = input.S3BucketSource.S3Bucket;
  try {
    if (store === undefined) throw new ImportFailure('S3NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
    const csv = csvSettings(job);
    for await (const object of store.list(input.S3BucketSource.S3KeyPrefix ?? '')) {
      job.processedSizeBytes += object.size;
      let itemIndex = 0;
      const batches = sourceEntries(decompress(store.get(object.key), reading.compression), reading.format, csv);
      for await (const entries of batches) {
        // A batch loads without an await: the table sees it as one run of writes.
        for (const entry of entries) {
          itemIndex++;
          job.processedItemCount++;
          const error = 'error' in entry ? entry.error : put(context, job, entry.item);
          if (error === undefined) {
            job.importedItemCount++;
            continue;
          }
          job.errorCount++;
          host.options.onImportError?.({ importArn: job.arn, itemS3Pointer: { bucket, key: object.key, itemIndex }, errorMessages: [error] });
        }
        reportProgress(host, job);
      }
    }
    job.status = 'COMPLETED';
  } catch (error) {
    job.status = 'FAILED';
    job.failureCode = error instanceof ImportFailure ? error.code : 'ImportFailed';
    job.failureMessage = messageOf(error);
    dropImportedTable(context, job);
  } finally {
    host.importing.delete(job.tableName);
    job.endedAt = context.clock.now();
    logJob(host, { kind: 'importJob', job });
  }
}

/** Tells `onImportProgress` the import's counts. */
function reportProgress(host: ExportImportHost, job: ImportJob): void {
  host.options.onImportProgress?.({ importArn: job.arn, tableName: job.tableName, processedItemCount: job.processedItemCount, importedItemCount: job.importedItemCount, errorCount: job.errorCount, processedSizeBytes: job.processedSizeBytes });
}

/**
 * A failed import leaves no table behind: its table is deleted now, or once it is ACTIVE when it is
 * still CREATING (DeleteTable refuses a CREATING table).
 */
export function dropImportedTable(context: ModuleContext, job: ImportJob): void {
  const table = context.getTable(job.tableName);
  if (table === undefined || table.id !== job.tableId) return;
  if (table.status !== 'CREATING') {
    context.execute('DynamoDB_20120810', 'DeleteTable', { TableName: job.tableName });
    return;
  }
  const stop = context.onTableEvent((event) => {
    if (event.table.id !== job.tableId || (event.type !== 'active' && event.type !== 'deleted')) return;
    stop();
    if (event.type === 'active') context.execute('DynamoDB_20120810', 'DeleteTable', { TableName: job.tableName });
  });
}

/** Writes one item; answers why it was refused, or undefined. A table gone mid-import fails the import. */
function put(context: ModuleContext, job: ImportJob, item: Parameters<ModuleContext['systemPut']>[1]): string | undefined {
  try {
    context.systemPut(job.tableName, item, 'restore');
    return undefined;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new ImportFailure('TableNotFound', `The table ${job.tableName} was deleted during the import`);
    return messageOf(error);
  }
}

function csvSettings(job: ImportJob): CsvSettings {
  const options = job.input.InputFormatOptions?.Csv;
  const parameters = job.input.TableCreationParameters as { AttributeDefinitions?: AttributeDefinition[]; KeySchema?: KeySchemaElement[] };
  const keyTypes = new Map<string, AttributeDefinition['AttributeType']>();
  // The key attributes of the table and of its indexes are those AttributeDefinitions names (CreateTable checked that).
  for (const definition of parameters.AttributeDefinitions ?? []) keyTypes.set(definition.AttributeName, definition.AttributeType);
  const primaryKey = new Set((parameters.KeySchema ?? []).map((element) => element.AttributeName));
  return { delimiter: options?.Delimiter ?? ',', headerList: options?.HeaderList, keyTypes, primaryKey };
}

/** A failure of the import as a whole, with DynamoDB's FailureCode. */
class ImportFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
