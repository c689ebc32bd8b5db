/**
 * `node --import tsx --expose-gc packages/backup/bench/export-import.ts`: what ExportTableToPointInTime and
 * ImportTable cost on BENCH_ITEMS items of ~100 bytes (default 1,000,000; issue 19's target: each under
 * 15 s on a 2-core machine, heap growth beyond the table under 100 MB). The export goes to a memory store,
 * so the gzipped files themselves are part of the heap measured (~10 bytes per item).
 * Timing lives here, never in the tests.
 */
import { Database, type Item } from '@magneto/core';
import { backup, memoryObjectStore } from '@magneto/backup';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1_000_000);
const DDB = 'DynamoDB_20120810' as const;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

function itemFor(i: number): Item {
  return { pk: { S: `user#${i.toString().padStart(8, '0')}` }, name: { S: `name-${i}-abcdefghij` }, visits: { N: String(i % 1000) }, active: { BOOL: i % 2 === 0 } };
}

async function settled(db: Database, operation: string, member: string, arn: string, status: string): Promise<Record<string, unknown>> {
  let peak = 0;
  for (;;) {
    const description = ((await db.execute(DDB, operation, { [member]: arn })) as Record<string, Record<string, unknown>>)[operation === 'DescribeExport' ? 'ExportDescription' : 'ImportTableDescription']!;
    peak = Math.max(peak, process.memoryUsage().heapUsed / 2 ** 20);
    if (description[status] !== 'IN_PROGRESS') return { ...description, peak };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const bucket = memoryObjectStore();
const db = new Database({ modules: [backup({ objectStores: { bucket } })] });
const key = { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' };
await db.execute(DDB, 'CreateTable', { TableName: 'big', ...key });
await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'big', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
for (let i = 0; i < ITEMS; i += 25) {
  await db.batchWriteItem({ RequestItems: { big: Array.from({ length: Math.min(25, ITEMS - i) }, (_, j) => ({ PutRequest: { Item: itemFor(i + j) } })) } });
}
const loaded = heapMb();
console.log(`loaded ${ITEMS.toLocaleString()} items; heap ${loaded.toFixed(0)} MB`);

let t = performance.now();
const exportArn = ((await db.execute(DDB, 'ExportTableToPointInTime', { TableArn: 'big', S3Bucket: 'bucket' })) as { ExportDescription: { ExportArn: string } }).ExportDescription.ExportArn;
const exported = await settled(db, 'DescribeExport', 'ExportArn', exportArn, 'ExportStatus');
let bytes = 0;
for (const object of bucket.objects.values()) bytes += object.length;
console.log(`export: ${exported.ExportStatus} ${String(exported.ItemCount)} items in ${((performance.now() - t) / 1000).toFixed(1)} s; ${(bytes / 2 ** 20).toFixed(1)} MB written; peak heap +${((exported.peak as number) - loaded).toFixed(0)} MB`);

const beforeImport = heapMb();
t = performance.now();
const id = exportArn.split('/').pop()!;
const importArn = ((await db.execute(DDB, 'ImportTable', { S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: `AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: { TableName: 'copy', ...key } })) as { ImportTableDescription: { ImportArn: string } }).ImportTableDescription.ImportArn;
const imported = await settled(db, 'DescribeImport', 'ImportArn', importArn, 'ImportStatus');
const afterImport = heapMb();
console.log(`import: ${imported.ImportStatus} ${String(imported.ImportedItemCount)} items in ${((performance.now() - t) / 1000).toFixed(1)} s; heap +${(afterImport - beforeImport).toFixed(0)} MB after (the new table), peak +${((imported.peak as number) - beforeImport).toFixed(0)} MB`);
