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
