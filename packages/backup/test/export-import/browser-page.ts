/**
 * The page of browser-chromium.test.ts (bundled with the engine): `scenario(backend)` runs the object
 * store through puts, gets, listings and deletes, and an export and import of a table through it, and
 * answers what it observed.
 */
import { Database } from '@magneto/core';
import { backup } from '@magneto/backup';
import { browserObjectStore } from '../../src/browser/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** A macrotask: the jobs' store I/O runs between polls. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function scenario(backend: 'auto' | 'opfs' | 'indexeddb'): Promise<Record<string, unknown>> {
  const store = browserObjectStore(`store-${backend}-${Date.now()}`, { backend });
  const read = async (key: string) => {
    let text = '';
    for await (const chunk of store.get(key)) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  };
  const list = async (prefix: string) => {
    const out: string[] = [];
    for await (const { key, size } of store.list(prefix)) out.push(`${key}:${size}`);
    return out;
  };
  await store.put('AWSDynamoDB/1/data/b.json', [encoder.encode('hello '), encoder.encode('world')]);
  await store.put('AWSDynamoDB/1/_started', []);
  // S3 keys a file system would not take as they are: a file and a directory of one name, dots, an empty segment.
  await store.put('a', [encoder.encode('file a')]);
  await store.put('a/b', [encoder.encode('under a')]);
  await store.put('x/../y', [encoder.encode('dots')]);
  await store.put('p//q', [encoder.encode('empty segment')]);
  const big = new Uint8Array(1536 * 1024 + 5).map((_, i) => i % 251);
  await store.put('big', [big.subarray(0, 1000), big.subarray(1000)]);
  let bigSame = true;
  let at = 0;
  for await (const chunk of store.get('big')) {
    for (let i = 0; i < chunk.length; i++) bigSame &&= chunk[i] === big[at + i];
    at += chunk.length;
  }
  const reads = { b: await read('AWSDynamoDB/1/data/b.json'), started: await read('AWSDynamoDB/1/_started'), a: await read('a'), ab: await read('a/b'), dots: await read('x/../y'), empty: await read('p//q'), bigSame, bigLength: at };
  const listed = { all: await list(''), exports: await list('AWSDynamoDB/'), a: await list('a') };
  await store.put('a', [encoder.encode('replaced')]);
  const failing = (async function* () {
    yield encoder.encode('half');
    throw new Error('the source broke');
  })();
  const failed = await store.put('a/b', failing).then(() => 'no error', (error: Error) => error.message);
  await store.delete('x/../y');
  await store.delete('never/was');
  const missing = await read('x/../y').then(() => 'read', () => 'rejected');
  const after = { a: await read('a'), ab: await read('a/b'), failed, missing, all: await list('') };

  // An export and an import through the store, in the page.
  const db = new Database({ modules: [backup({ objectStores: { browser: store } })] });
  const call = (operation: string, input: Record<string, unknown>) => db.execute('DynamoDB_20120810', operation, input) as Promise<Record<string, Record<string, unknown>>>;
  const table = { TableName: 'notes', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' };
  await call('CreateTable', table);
  await call('UpdateContinuousBackups', { TableName: 'notes', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  for (let i = 0; i < 20; i++) await call('PutItem', { TableName: 'notes', Item: { id: { S: `n${i}` }, b: { B: new Uint8Array([i, 255]) } } });
  const exportArn = (await call('ExportTableToPointInTime', { TableArn: 'notes', S3Bucket: 'browser', S3Prefix: 'exports' })).ExportDescription!.ExportArn as string;
  let exported: Record<string, unknown>;
  while ((exported = (await call('DescribeExport', { ExportArn: exportArn })).ExportDescription!).ExportStatus === 'IN_PROGRESS') await tick();
  const id = exportArn.split('/').pop()!;
  const importArn = (await call('ImportTable', { S3BucketSource: { S3Bucket: 'browser', S3KeyPrefix: `exports/AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: { ...table, TableName: 'notes-copy' } })).ImportTableDescription!.ImportArn as string;
  let imported: Record<string, unknown>;
  while ((imported = (await call('DescribeImport', { ImportArn: importArn })).ImportTableDescription!).ImportStatus === 'IN_PROGRESS') await tick();
  const scan = async (TableName: string) => JSON.stringify(((await call('Scan', { TableName })).Items as unknown as Array<{ id: { S: string } }>).sort((x, y) => (x.id.S < y.id.S ? -1 : 1)), (_key, value: unknown) => (value instanceof Uint8Array ? [...value] : value));
  const roundTrip = { exportStatus: exported.ExportStatus, importStatus: imported.ImportStatus, importedItemCount: imported.ImportedItemCount, same: (await scan('notes')) === (await scan('notes-copy')) };
  return { backend: await store.backend(), reads, listed, after, roundTrip };
}

(globalThis as unknown as { scenario: typeof scenario }).scenario = scenario;
