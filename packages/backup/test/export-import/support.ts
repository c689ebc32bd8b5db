import {
  DescribeExportCommand,
  DescribeImportCommand,
  type DynamoDBClient,
  type ExportDescription,
  type ImportTableDescription,
} from '@aws-sdk/client-dynamodb';
import { memoryObjectStore, type BackupOptions, type MemoryObjectStore } from '@magneto/backup';
import { backupDatabase } from '../support/sdk.js';

/** A backup database whose bucket `bucket` is a memory store, with every import error collected. */
export function exportImportDatabase(options: BackupOptions = {}, database: Parameters<typeof backupDatabase>[1] = {}) {
  const bucket: MemoryObjectStore = memoryObjectStore();
  const importErrors: unknown[] = [];
  const setup = backupDatabase({ objectStores: { bucket }, onImportError: (entry) => importErrors.push(entry), ...options }, database);
  return { ...setup, bucket, importErrors };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Polls DescribeImport until the import is no longer IN_PROGRESS, as a client would. */
export async function settledImport(client: DynamoDBClient, ImportArn: string): Promise<ImportTableDescription> {
  for (;;) {
    const description = (await client.send(new DescribeImportCommand({ ImportArn }))).ImportTableDescription!;
    if (description.ImportStatus !== 'IN_PROGRESS') return description;
    await tick();
  }
}

/** Polls DescribeExport until the export is no longer IN_PROGRESS. */
export async function settledExport(client: DynamoDBClient, ExportArn: string): Promise<ExportDescription> {
  for (;;) {
    const description = (await client.send(new DescribeExportCommand({ ExportArn }))).ExportDescription!;
    if (description.ExportStatus !== 'IN_PROGRESS') return description;
    await tick();
  }
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Gzips bytes (Node's CompressionStream). */
export async function gzipped(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Gunzips bytes. */
export async function gunzipped(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Bytes as a zstd frame of raw (stored) blocks: a valid frame any zstd decoder reads, built without a
 * compressor (Node has none). The fixtures hold frames the zstd tool compressed for real.
 */
export function zstdStored(bytes: Uint8Array): Uint8Array {
  const BLOCK = 128 * 1024;
  // Magic number, a frame header with no content size and a 128 KB window (Window_Descriptor 7 << 3).
  const parts: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 7 << 3];
  let at = 0;
  do {
    const size = Math.min(BLOCK, bytes.length - at);
    const last = at + size >= bytes.length ? 1 : 0;
    const header = (size << 3) | last; // Block_Type 0: raw.
    parts.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, ...bytes.subarray(at, at + size));
    at += size;
  } while (at < bytes.length);
  return Uint8Array.from(parts);
}
