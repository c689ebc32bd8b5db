import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Database } from '@magneto/core';
import { backup, s3ObjectStore, type ImportErrorLogEntry, type ObjectStore, type S3ObjectStoreClient } from '@magneto/backup';
import { serverCall, type Call } from './backup-command.js';
import { readOptions, UsageError } from './cli-options.js';

export const EXPORT_HELP = `Usage: magneto export --table T --to DIR|s3://BUCKET[/PREFIX] [options]

Exports table T as DynamoDB's ExportTableToPointInTime does (the table needs point-in-time recovery):
DIR/AWSDynamoDB/<ExportId>/ gets _started, data/*.json.gz, manifest-files.json, manifest-summary.json and
their .md5 files, the layout AWS writes to S3 (DynamoDB can import it as it is).

Options:
  --table T             The table to export
  --to DIR|s3://B/P     A directory (with --data), or bucket B and prefix P: with --data the S3 bucket
                        through the AWS SDK (@aws-sdk/client-s3 installed), with --endpoint the server's
                        bucket (magneto serve --object-store B=DIR)
  --format F            DYNAMODB_JSON (default) or ION
  --export-time TIME    The point in time to export (ISO 8601; default: now)
  --enable-pitr         Turn point-in-time recovery on for T first (it stays on), when it is off
  --data DIR            The directory a database is kept in (magneto serve --data DIR)
  --endpoint URL        A running server, e.g. http://127.0.0.1:8000
  --region REGION       The region the database answers as (default us-east-1)
  --s3-endpoint URL     With --data and s3://: an S3-compatible endpoint (path-style addressing)
  -h, --help            Show this help

Examples:
  magneto export --data ./data --table users --to ./exports --enable-pitr
  magneto export --endpoint http://127.0.0.1:8000 --table users --to s3://exports/nightly
`;

export const IMPORT_HELP = `Usage: magneto import [FILE|DIR] --from FILE|DIR|s3://BUCKET[/PREFIX] --table T --key NAME:TYPE[,NAME:TYPE] [options]

Imports files into the new table T as DynamoDB's ImportTable does: CSV, DynamoDB JSON or ION (an
export's data files), gzipped, zstd-compressed or not. Bad lines are counted, printed and skipped; the
good ones load. A directory holding one export (manifest-summary.json, data/) imports its data files.

Options:
  --from FILE|DIR|s3://B/P  What to import (or give FILE|DIR first): s3:// as for magneto export --to
  --table T                 The table to create
  --key NAME:TYPE[,…]       Its partition key (and sort key), TYPE S, N or B, e.g. id:S or pk:S,sk:N
  --format F                CSV, DYNAMODB_JSON or ION (default: from the file names)
  --compression C           GZIP, ZSTD or NONE (default: from the file names, .gz or .zst)
  --delimiter C             CSV: the field delimiter (default ,)
  --header A,B,…            CSV: the column names, when the files have no header line
  --data DIR                The directory a database is kept in (magneto serve --data DIR)
  --endpoint URL            A running server, e.g. http://127.0.0.1:8000
  --region REGION           The region the database answers as (default us-east-1)
  --s3-endpoint URL         With --data and s3://: an S3-compatible endpoint (path-style addressing)
  -h, --help                Show this help

Examples:
  magneto import users.csv --data ./data --table users --key id:S
  magneto import ./exports/AWSDynamoDB/01700000000000-1a2b3c4d --data ./data --table users-copy --key id:S
`;

/** A `--to` / `--from` location: a path on this machine, or an S3 bucket and key prefix. */
type Location = { readonly kind: 'path'; readonly path: string } | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

/** Where a job reads or writes: the bucket and key prefix its request names, and the store behind the bucket (with --data). */
interface Source {
  readonly bucket: string;
  readonly prefix: string;
  readonly store?: ObjectStore;
}

/** How s3:// locations are reached with --data: the region and (--s3-endpoint) an S3-compatible endpoint. */
export interface S3Settings {
  readonly region: string;
  readonly endpoint: string | undefined;
}

const POLL_MS = 100;
/** Bad lines printed before the rest are only counted. */
const SHOWN_ERRORS = 10;

/**
 * `magneto export …` and `magneto import …`: the operations run in-process on a --data directory (with
 * the directory or S3 as the bucket) or on a running server (--endpoint, with the server's buckets).
 * Returns the exit code; prints the summary on `out` and progress on `progress`.
 */
export async function exportImportCommand(command: 'export' | 'import', args: readonly string[], out: (line: string) => void = console.log, progress: (text: string) => void = (text) => process.stderr.write(text)): Promise<number> {
  const help = `magneto ${command} --help`;
  const text = command === 'export' ? EXPORT_HELP : IMPORT_HELP;
  // `magneto import data.csv …`: a first argument that is not an option is --from.
  const positional = command === 'import' && args[0] !== undefined && !args[0].startsWith('-') ? args[0] : undefined;
  const strings = command === 'export' ? ['table', 'to', 'format', 'export-time'] : ['table', 'from', 'format', 'compression', 'key', 'delimiter', 'header'];
  const flags = command === 'export' ? { help: 'h', 'enable-pitr': '' } : { help: 'h' };
  const values = readOptions(positional === undefined ? args : args.slice(1), [...strings, 'data', 'endpoint', 'region', 's3-endpoint'], flags, help);
  if (values.has('help') || args.length === 0) {
    out(text.trimEnd());
    return 0;
  }
  if (positional !== undefined && values.has('from')) throw new UsageError(`give the files to import once: '${positional}' or --from`, help);
  const option = (name: string): string | undefined => values.get(name) as string | undefined;
  const required = (name: string): string => {
    const value = option(name);
    if (value === undefined) throw new UsageError(`magneto ${command} needs --${name}`, help);
    return value;
  };
  const data = option('data');
  const endpoint = option('endpoint');
  if ((data === undefined) === (endpoint === undefined)) throw new UsageError('give one of --data DIR or --endpoint URL', help);
  if (endpoint !== undefined && values.has('s3-endpoint')) throw new UsageError('option --s3-endpoint needs --data (with --endpoint the server reaches its own buckets)', help);
  const region = option('region') ?? 'us-east-1';
  const table = required('table');
  const location = locationOf(command === 'export' ? required('to') : (positional ?? required('from')), endpoint !== undefined, command === 'export' ? '--to' : '--from', help);
  const source = await sourceOf(location, command, endpoint === undefined, { region, endpoint: option('s3-endpoint') });
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

  const run = async (call: Call): Promise<void> => {
    if (command === 'export') {
      const input = exportInput(table, source, option('format'), option('export-time'), help);
      if (values.has('enable-pitr')) await call('UpdateContinuousBackups', { TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
      const started = await call('ExportTableToPointInTime', input).catch((error: unknown) => {
        // DynamoDB's message, and what a local user can do about it.
        if (error instanceof Error && /Point in time recovery is not enabled/.test(error.message)) error.message += ' (add --enable-pitr to turn it on and export now)';
        throw error;
      });
      const arn = String((started.ExportDescription as Record<string, unknown>).ExportArn);
      const done = await settled(call, 'DescribeExport', { ExportArn: arn }, 'ExportDescription', 'ExportStatus', () => progress(`\rExporting ${table}… ${seconds()} s`));
      progress('\n');
      if (done.ExportStatus !== 'COMPLETED') throw new Error(`export ${String(done.ExportStatus)}: ${String(done.FailureCode)}: ${String(done.FailureMessage)}`);
      const where = location.kind === 'path' ? `${join(location.path, dirname(String(done.ExportManifest)))}/` : `s3://${source.bucket}/${dirname(String(done.ExportManifest))}/`;
      out(`Exported ${String(done.ItemCount)} items (${String(done.BilledSizeBytes)} bytes) of table ${table} to ${where} in ${seconds()} s`);
      return;
    }
    const input = await importInput(table, source, option, help);
    const arn = String(((await call('ImportTable', input)).ImportTableDescription as Record<string, unknown>).ImportArn);
    const done = await settled(call, 'DescribeImport', { ImportArn: arn }, 'ImportTableDescription', 'ImportStatus', (description) => progress(`\rImporting ${table}: ${String(description.ProcessedItemCount ?? 0)} items, ${String(description.ErrorCount ?? 0)} errors, ${seconds()} s`));
    progress('\n');
    if (done.ImportStatus !== 'COMPLETED') throw new Error(`import ${String(done.ImportStatus)}: ${String(done.FailureCode)}: ${String(done.FailureMessage)}`);
    out(`Imported ${String(done.ImportedItemCount)} items into table ${table} (${String(done.ProcessedItemCount)} processed, ${String(done.ErrorCount)} errors) in ${seconds()} s`);
  };

  if (endpoint !== undefined) {
    await run(serverCall(endpoint, region));
    return 0;
  }
  const { fileStorage } = await import('@magneto/core/node');
  const { defaultModules } = await import('./server.js');
  let errors = 0;
  const onImportError = (entry: ImportErrorLogEntry): void => {
    if (errors++ < SHOWN_ERRORS) progress(`\n${entry.itemS3Pointer.key} item ${entry.itemS3Pointer.itemIndex}: ${entry.errorMessages.join('; ')}\n`);
  };
  const backups = backup({ objectStores: { [source.bucket]: source.store! }, onImportError });
  const modules = [...defaultModules().filter((module) => module.name !== 'backup'), backups];
  const db = new Database({ region, storage: fileStorage(data!), modules });
  await db.open();
  try {
    await run(async (operation, input) => (await db.execute('DynamoDB_20120810', operation, input)) as Record<string, unknown>);
  } finally {
    if (errors > SHOWN_ERRORS) progress(`(${errors - SHOWN_ERRORS} more bad lines not shown)\n`);
    await db.close();
  }
  return 0;
}

function locationOf(text: string, remote: boolean, flag: string, help: string): Location {
  if (text.startsWith('s3://')) {
    const [bucket = '', ...rest] = text.slice('s3://'.length).split('/');
    if (bucket === '') throw new UsageError(`option ${flag} needs a bucket: s3://BUCKET[/PREFIX], got '${text}'`, help);
    return { kind: 's3', bucket, prefix: rest.join('/') };
  }
  if (remote) throw new UsageError(`with --endpoint, ${flag} must be s3://BUCKET[/PREFIX] naming a bucket of the server (magneto serve --object-store BUCKET=DIR): a server reads and writes only its own buckets`, help);
  return { kind: 'path', path: text };
}

/** The bucket, prefix and (when the job runs here: `local`) store of a location. */
async function sourceOf(location: Location, command: 'export' | 'import', local: boolean, s3: S3Settings): Promise<Source> {
  if (location.kind === 's3') return { bucket: location.bucket, prefix: location.prefix, ...(local ? { store: await s3Store(location.bucket, s3) } : {}) };
  const { directoryObjectStore } = await import('@magneto/backup/node');
  // The bucket is named after the directory (manifest-summary.json's s3Bucket says where the export went).
  const bucket = basename(resolve(location.path)).slice(0, 255) || 'magneto';
  if (command === 'export') return { bucket, prefix: '', store: directoryObjectStore(location.path) };
  const stat = statSync(location.path, { throwIfNoEntry: false });
  if (stat === undefined) throw new Error(`nothing to import at ${location.path}`);
  if (stat.isFile()) {
    // One file: the store of its directory, narrowed to it (a prefix would also match data.csv.bak).
    const name = basename(location.path);
    const directory = directoryObjectStore(dirname(location.path));
    return { bucket, prefix: name, store: { ...directory, list: (prefix) => onlyKey(directory.list(prefix), name) } };
  }
  return { bucket, prefix: exportDataPrefix(location.path), store: directoryObjectStore(location.path) };
}

async function* onlyKey(listing: AsyncIterable<{ key: string; size: number }>, key: string): AsyncIterable<{ key: string; size: number }> {
  for await (const entry of listing) if (entry.key === key) yield entry;
}

/**
 * The data files of an export, when `dir` is one (manifest-summary.json beside data/) or holds exactly
 * one (AWSDynamoDB/<ExportId>/): its manifests and markers are not items. Otherwise every file.
 */
function exportDataPrefix(dir: string): string {
  if (existsSync(join(dir, 'manifest-summary.json')) && existsSync(join(dir, 'data'))) return 'data/';
  const exports = join(dir, 'AWSDynamoDB');
  if (existsSync(exports)) {
    const ids = readdirSync(exports).filter((id) => existsSync(join(exports, id, 'data')));
    if (ids.length === 1) return `AWSDynamoDB/${ids[0]}/data/`;
  }
  return '';
}

/**
 * A store of the S3 bucket through the AWS SDK (loaded only for s3:// locations): `@aws-sdk/client-s3` is
 * the user's, an optional peer dependency of @magneto/server.
 */
export async function s3Store(bucket: string, { region, endpoint }: S3Settings): Promise<ObjectStore> {
  const specifier = '@aws-sdk/client-s3';
  let sdk: { S3Client: new (config: object) => S3ObjectStoreClient };
  try {
    sdk = (await import(specifier)) as typeof sdk;
  } catch {
    throw new Error('s3:// locations need the AWS SDK for S3: npm install @aws-sdk/client-s3');
  }
  // The bucket's region: AWS_REGION, else the database's.
  const client = new sdk.S3Client({ region: process.env.AWS_REGION ?? region, ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }) });
  return s3ObjectStore(client, { bucket });
}

/** ExportTableToPointInTime's request. */
function exportInput(table: string, source: Source, format: string | undefined, exportTime: string | undefined, help: string): Record<string, unknown> {
  const input: Record<string, unknown> = { TableArn: table, S3Bucket: source.bucket, ExportFormat: enumOf(format, 'format', ['DYNAMODB_JSON', 'ION'], help) ?? 'DYNAMODB_JSON' };
  if (source.prefix !== '') input.S3Prefix = source.prefix;
  if (exportTime !== undefined) {
    const at = Date.parse(exportTime);
    if (Number.isNaN(at)) throw new UsageError(`option --export-time must be an ISO 8601 time, got '${exportTime}'`, help);
    // The wire's timestamps are epoch seconds.
    input.ExportTime = at / 1000;
  }
  return input;
}

/** ImportTable's request: the format and compression given or read from the file names, the key as --key says. */
async function importInput(table: string, source: Source, option: (name: string) => string | undefined, help: string): Promise<Record<string, unknown>> {
  const { KeySchema, AttributeDefinitions } = keyOf(option('key'), help);
  const names: string[] = [];
  if (source.store !== undefined) for await (const entry of source.store.list(source.prefix)) names.push(entry.key);
  const format = enumOf(option('format'), 'format', ['CSV', 'DYNAMODB_JSON', 'ION'], help) ?? formatOf(names, help);
  const compression = enumOf(option('compression'), 'compression', ['GZIP', 'ZSTD', 'NONE'], help) ?? (names.length > 0 && names.every((name) => name.endsWith('.gz')) ? 'GZIP' : names.length > 0 && names.every((name) => name.endsWith('.zst')) ? 'ZSTD' : 'NONE');
  const input: Record<string, unknown> = {
    S3BucketSource: { S3Bucket: source.bucket, ...(source.prefix === '' ? {} : { S3KeyPrefix: source.prefix }) },
    InputFormat: format,
    InputCompressionType: compression,
    TableCreationParameters: { TableName: table, KeySchema, AttributeDefinitions, BillingMode: 'PAY_PER_REQUEST' },
  };
  const delimiter = option('delimiter');
  const header = option('header');
  if (delimiter !== undefined || header !== undefined) {
    if (format !== 'CSV') throw new UsageError('options --delimiter and --header are for --format CSV', help);
    input.InputFormatOptions = { Csv: { ...(delimiter === undefined ? {} : { Delimiter: delimiter }), ...(header === undefined ? {} : { HeaderList: header.split(',') }) } };
  }
  return input;
}

/** The format the file names say (.csv, .json, .ion, each maybe compressed), when they agree. */
function formatOf(names: readonly string[], help: string): string {
  const formats = new Set(names.map((name) => (/\.csv(\.|$)/i.test(name) ? 'CSV' : /\.ion(\.|$)/i.test(name) ? 'ION' : /\.json(\.|$)/i.test(name) ? 'DYNAMODB_JSON' : 'unknown')));
  if (formats.size === 1 && !formats.has('unknown')) return [...formats][0]!;
  throw new UsageError(names.length === 0 ? 'give --format CSV|DYNAMODB_JSON|ION (no file names to tell it by)' : 'give --format CSV|DYNAMODB_JSON|ION: the file names do not tell one format', help);
}

/** `--key pk:S[,sk:N]` as KeySchema and AttributeDefinitions. */
function keyOf(text: string | undefined, help: string): { KeySchema: unknown[]; AttributeDefinitions: unknown[] } {
  if (text === undefined) throw new UsageError('magneto import needs --key NAME:TYPE[,NAME:TYPE] (the new table\'s partition key and sort key)', help);
  const parts = text.split(',');
  const keys = parts.map((part) => /^(.+):(S|N|B)$/.exec(part));
  if (parts.length > 2 || keys.some((key) => key === null)) throw new UsageError(`option --key must be NAME:TYPE or NAME:TYPE,NAME:TYPE with TYPE S, N or B, got '${text}'`, help);
  return {
    KeySchema: keys.map((key, i) => ({ AttributeName: key![1], KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key![1], AttributeType: key![2] })),
  };
}

/** An enum option (case and `-` / `_` forgiven: dynamodb-json is DYNAMODB_JSON). */
function enumOf(text: string | undefined, flag: string, choices: readonly string[], help: string): string | undefined {
  if (text === undefined) return undefined;
  const value = text.toUpperCase().replaceAll('-', '_');
  if (!choices.includes(value)) throw new UsageError(`option --${flag} must be ${choices.join(' or ')}, got '${text}'`, help);
  return value;
}

/** Polls a Describe operation until the job is no longer IN_PROGRESS, calling `onPoll` with each description. */
async function settled(call: Call, operation: string, input: Record<string, unknown>, field: string, status: string, onPoll: (description: Record<string, unknown>) => void): Promise<Record<string, unknown>> {
  for (;;) {
    const description = (await call(operation, input))[field] as Record<string, unknown>;
    onPoll(description);
    if (description[status] !== 'IN_PROGRESS') return description;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
