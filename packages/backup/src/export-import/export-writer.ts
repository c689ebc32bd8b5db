import { encodeBase64, itemSize, md5, type Item } from '@magneto/core';
import { gzip } from './compression.js';
import { encodeItemLine } from './dynamodb-json.js';
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

/** One entry of manifest-files.json. */
interface DataFileEntry {
  readonly itemCount: number;
  readonly md5Checksum: string;
  readonly etag: string;
  readonly dataFileS3Key: string;
}

/**
 * Writes a full export in DynamoDB's layout: `_started` first, then `data/<name>.json.gz` files of one
 * `{"Item":{…}}` line per item (at least one file, empty for an empty table), `manifest-files.json` (one
 * JSON line per data file: itemCount, md5Checksum (base64), etag (hex MD5, as S3 answers a single PUT),
 * dataFileS3Key), `manifest-summary.json`, and each manifest's `.md5` (its base64 MD5), as DynamoDB's
 * exports hold them. Returns the item count and the bytes exported (the items' sizes).
 */
export async function writeFullExport(store: ObjectStore, job: ExportJob, items: Iterable<Item>, now: () => number): Promise<{ itemCount: number; billedSizeBytes: number }> {
  const directory = exportDirectoryOf(job.input.S3Prefix, job.id);
  await store.put(`${directory}_started`, []);
  const files: DataFileEntry[] = [];
  let itemCount = 0;
  let billedSizeBytes = 0;
  const iterator = items[Symbol.iterator]();
  let exhausted = false;
  while (!exhausted || files.length === 0) {
    let inFile = 0;
    async function* lines(): AsyncIterable<Uint8Array> {
      const encoder = new TextEncoder();
      while (inFile < ITEMS_PER_DATA_FILE) {
        let text = '';
        for (let i = 0; i < LINES_PER_CHUNK && inFile < ITEMS_PER_DATA_FILE; i++) {
          const next = iterator.next();
          if (next.done === true) {
            exhausted = true;
            break;
          }
          text += `${encodeItemLine(next.value)}\n`;
          billedSizeBytes += itemSize(next.value);
          inFile++;
        }
        if (text.length > 0) yield encoder.encode(text);
        if (exhausted) return;
      }
    }
    const bytes = concatBytes(await collect(gzip(lines())));
    if (inFile === 0 && files.length > 0) break;
    const digest = md5(bytes);
    const key = `${directory}data/${dataFileNameOf()}.json.gz`;
    await store.put(key, [bytes]);
    files.push({ itemCount: inFile, md5Checksum: encodeBase64(digest), etag: hex(digest), dataFileS3Key: key });
    itemCount += inFile;
  }
  const manifestFilesKey = `${directory}manifest-files.json`;
  await putWithMd5(store, manifestFilesKey, files.map((file) => `${JSON.stringify(file)}\n`).join(''));
  const summary = {
    version: '2020-06-30',
    exportArn: job.arn,
    startTime: new Date(job.startedAt).toISOString(),
    endTime: new Date(now()).toISOString(),
    tableArn: job.tableArn,
    tableId: job.tableId,
    exportTime: new Date(job.exportTime).toISOString(),
    s3Bucket: job.input.S3Bucket,
    s3Prefix: job.input.S3Prefix ?? null,
    s3SseAlgorithm: job.input.S3SseAlgorithm ?? 'AES256',
    s3SseKmsKeyId: job.input.S3SseKmsKeyId ?? null,
    manifestFilesS3Key: manifestFilesKey,
    billedSizeBytes,
    itemCount,
    outputFormat: job.input.ExportFormat ?? 'DYNAMODB_JSON',
    exportType: job.input.ExportType ?? 'FULL_EXPORT',
  };
  await putWithMd5(store, job.manifestKey, JSON.stringify(summary));
  return { itemCount, billedSizeBytes };
}

/** Puts a manifest and, beside it, `<name>.md5` holding its base64 MD5. */
async function putWithMd5(store: ObjectStore, key: string, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  await store.put(key, [bytes]);
  await store.put(key.replace(/\.json$/, '.md5'), [new TextEncoder().encode(encodeBase64(md5(bytes)))]);
}
