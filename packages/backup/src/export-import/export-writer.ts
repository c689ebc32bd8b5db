import { encodeBase64, md5 } from '@magneto/core';
import { gzip } from './compression.js';
import type { ExportJob } from './export-job.js';
import { dataFileNameOf, hex } from './job-id.js';
import { collect, concatBytes, type ObjectStore } from './object-store.js';

/** Items per data file: bounds the memory an export holds (one gzipped file at a time). */
export const ITEMS_PER_DATA_FILE = 100_000;

/** Lines encoded per chunk handed to gzip. */
const LINES_PER_CHUNK = 256;

/** The export's directory in the bucket: `[S3Prefix/]AWSDynamoDB/<ExportId>/`. */
export function exportDirectoryOf(prefix: string | undefined, exportId: string): string {
  return `${prefix === undefined || prefix === '' ? '' : prefix.endsWith('/') ? prefix : `${prefix}/`}AWSDynamoDB/${exportId}/`;
}

/** Where an export's data files go: under its own directory (full), or the prefix's shared `AWSDynamoDB/data/` (incremental). */
export function dataDirectoryOf(job: ExportJob): string {
  return job.incremental === undefined ? `${exportDirectoryOf(job.input.S3Prefix, job.id)}data/` : `${exportDirectoryOf(job.input.S3Prefix, '').slice(0, -1)}data/`;
}

/** One entry of manifest-files.json. */
interface DataFileEntry {
  readonly itemCount: number;
  readonly md5Checksum: string;
  readonly etag: string;
  readonly dataFileS3Key: string;
}

/** How an export writes its entries: one text line each, what each bills, and what each data file starts with. */
export interface LineEncoding<Entry> {
  /** The entries' lines, each ending in `\n` (many at once: a format may share work between them). */
  readonly encode: (entries: readonly Entry[]) => string;
  readonly billedBytes: (entry: Entry) => number;
  /** Text before a data file's first line (ION's version marker). */
  readonly fileHeader: string;
  /** The data files' extension: `json` or `ion`. */
  readonly extension: string;
}

/**
 * Writes an export in DynamoDB's layout: `_started` first, then gzipped data files of one line per entry
 * (at least one file, empty for an empty export), `manifest-files.json` (one JSON line per data file:
 * itemCount, md5Checksum (base64), etag (hex MD5, as S3 answers a single PUT), dataFileS3Key),
 * `manifest-summary.json`, and beside each manifest its `.checksum` (its base64 MD5), as DynamoDB's
 * export output documentation lists them. Returns the item count and the bytes billed.
 */
export async function writeExport<Entry>(store: ObjectStore, job: ExportJob, entries: Iterable<Entry>, encoding: LineEncoding<Entry>, now: () => number, progress: (itemsDone: number) => void): Promise<{ itemCount: number; billedSizeBytes: number }> {
  const directory = exportDirectoryOf(job.input.S3Prefix, job.id);
  const dataDirectory = dataDirectoryOf(job);
  await store.put(`${directory}_started`, []);
  const files: DataFileEntry[] = [];
  let itemCount = 0;
  let billedSizeBytes = 0;
  const iterator = entries[Symbol.iterator]();
  let exhausted = false;
  while (!exhausted || files.length === 0) {
    let inFile = 0;
    async function* lines(): AsyncIterable<Uint8Array> {
      const encoder = new TextEncoder();
      let header = encoding.fileHeader;
      while (inFile < ITEMS_PER_DATA_FILE) {
        const batch: Entry[] = [];
        while (batch.length < LINES_PER_CHUNK && inFile + batch.length < ITEMS_PER_DATA_FILE) {
          const next = iterator.next();
          if (next.done === true) {
            exhausted = true;
            break;
          }
          batch.push(next.value);
          billedSizeBytes += encoding.billedBytes(next.value);
        }
        if (batch.length > 0) {
          yield encoder.encode(`${header}${encoding.encode(batch)}`);
          header = '';
          inFile += batch.length;
        }
        progress(itemCount + inFile);
        if (exhausted) return;
      }
    }
    const bytes = concatBytes(await collect(gzip(lines())));
    if (inFile === 0 && files.length > 0) break;
    const digest = md5(bytes);
    const key = `${dataDirectory}${dataFileNameOf()}.${encoding.extension}.gz`;
    await store.put(key, [bytes]);
    files.push({ itemCount: inFile, md5Checksum: encodeBase64(digest), etag: hex(digest), dataFileS3Key: key });
    itemCount += inFile;
  }
  const manifestFilesKey = `${directory}manifest-files.json`;
  await putWithChecksum(store, manifestFilesKey, files.map((file) => `${JSON.stringify(file)}\n`).join(''));
  await putWithChecksum(store, job.manifestKey, JSON.stringify(manifestSummary(job, now(), manifestFilesKey, billedSizeBytes, itemCount)));
  return { itemCount, billedSizeBytes };
}

/** manifest-summary.json: the documentation's fields in its order; an incremental export's window and view instead of exportTime. */
function manifestSummary(job: ExportJob, endTime: number, manifestFilesS3Key: string, billedSizeBytes: number, itemCount: number): Record<string, unknown> {
  const { input, incremental } = job;
  const window = incremental === undefined ? { exportTime: iso(job.exportTime) } : { exportFromTime: iso(incremental.from), exportToTime: iso(incremental.to) };
  return {
    version: incremental === undefined ? '2020-06-30' : '2023-08-01',
    exportArn: job.arn,
    startTime: iso(job.startedAt),
    endTime: iso(endTime),
    tableArn: job.tableArn,
    tableId: job.tableId,
    ...window,
    s3Bucket: input.S3Bucket,
    s3Prefix: input.S3Prefix ?? null,
    s3SseAlgorithm: input.S3SseAlgorithm ?? 'AES256',
    s3SseKmsKeyId: input.S3SseKmsKeyId ?? null,
    manifestFilesS3Key,
    billedSizeBytes,
    itemCount,
    outputFormat: input.ExportFormat ?? 'DYNAMODB_JSON',
    ...(incremental === undefined ? {} : { outputView: incremental.viewType }),
    exportType: input.ExportType ?? 'FULL_EXPORT',
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Puts a manifest and, beside it, `<name>.checksum` holding its base64 MD5. */
async function putWithChecksum(store: ObjectStore, key: string, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  await store.put(key, [bytes]);
  await store.put(key.replace(/\.json$/, '.checksum'), [new TextEncoder().encode(encodeBase64(md5(bytes)))]);
}
