import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient, ExportTableToPointInTimeCommand, ImportTableCommand, PutItemCommand, ScanCommand, UpdateContinuousBackupsCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { backup, s3ObjectStore, type ObjectStore } from '@magneto/backup';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportImportCommand } from '../../../server/src/export-import-command.js';
import { BUILT_CLI, serveCli } from '../../../server/test/support/serve-cli.js';
import { s3rverPath, startLocalS3, type LocalS3Server } from '../support/s3-server.js';
import { listed, objectStoreConformance, readText } from './object-store-conformance.js';
import { exportImportDatabase, settledExport, settledImport } from './support.js';

let server: LocalS3Server;
let s3: S3Client;
/** The names of the commands sent through `counted`. */
const sent: string[] = [];
const counted = { send: (command: object) => (sent.push(command.constructor.name), s3.send(command as never)) };

let buckets = 0;
async function freshBucket(): Promise<string> {
  const name = `bucket-${++buckets}`;
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

describe.skipIf(s3rverPath() === undefined)('s3ObjectStore (through @aws-sdk/client-s3, against a local S3 server)', () => {
  beforeAll(async () => {
    server = await startLocalS3(['exports']);
    s3 = new S3Client(server.clientConfig);
  }, 30_000);
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
  });

  describe('conformance', () => objectStoreConformance(async () => s3ObjectStore(s3, { bucket: await freshBucket() })));

  it('puts an object larger than a part as a multipart upload, and gets it back whole', async () => {
    const store = s3ObjectStore(counted, { bucket: await freshBucket(), partSizeBytes: 5 * 1024 * 1024 });
    const chunk = new Uint8Array(1024 * 1024 + 7).map((_, i) => i % 251);
    sent.length = 0;
    await store.put('big.bin', Array.from({ length: 11 }, () => chunk));
    expect(sent).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    let length = 0;
    let same = true;
    for await (const part of store.get('big.bin')) {
      for (let i = 0; i < part.length; i++) same &&= part[i] === ((length + i) % (1024 * 1024 + 7)) % 251;
      length += part.length;
    }
    expect({ length, same }).toEqual({ length: 11 * (1024 * 1024 + 7), same: true });
  });

  it('aborts the multipart upload when the body fails, leaving no object', async () => {
    const store = s3ObjectStore(counted, { bucket: await freshBucket(), partSizeBytes: 5 * 1024 * 1024 });
    sent.length = 0;
    const failing = (async function* () {
      yield new Uint8Array(6 * 1024 * 1024);
      throw new Error('the source broke');
    })();
    await expect(store.put('half.bin', failing)).rejects.toThrow('the source broke');
    expect(sent).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'AbortMultipartUploadCommand']);
    expect(await listed(store, '')).toEqual([]);
  });

  it('lists through every ListObjectsV2 page', async () => {
    const store = s3ObjectStore(counted, { bucket: await freshBucket(), pageSize: 2 });
    for (const key of ['p/e', 'p/a', 'p/c', 'p/b', 'p/d', 'q/z']) await store.put(key, [new TextEncoder().encode(key)]);
    sent.length = 0;
    expect((await listed(store, 'p/')).map((entry) => entry.key)).toEqual(['p/a', 'p/b', 'p/c', 'p/d', 'p/e']);
    expect(sent).toEqual(['ListObjectsV2Command', 'ListObjectsV2Command', 'ListObjectsV2Command']);
  });

  it('refuses a part size S3 would refuse', () => {
    expect(() => s3ObjectStore(s3, { bucket: 'exports', partSizeBytes: 1024 })).toThrow('partSizeBytes must be a whole number of at least 5242880');
  });

  it('ExportTableToPointInTime writes to S3 in AWS layout and ImportTable loads it back, through the unchanged SDK', async () => {
    const { client } = exportImportDatabase({ objectStores: (bucket) => s3ObjectStore(s3, { bucket }) });
    await client.send(new CreateTableCommand({ TableName: 'users', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await client.send(new UpdateContinuousBackupsCommand({ TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    const items: Array<Record<string, AttributeValue>> = [];
    for (let i = 0; i < 40; i++) {
      items.push({ id: { S: `u${i}` }, n: { N: `12345678901234567890123456789012345678` }, b: { B: new Uint8Array([i, 0, 255]) }, m: { M: { l: { L: [{ S: '' }, { NULL: true }, { BOOL: i % 2 === 0 }] }, ss: { SS: ['a', 'b'] } } } });
      await client.send(new PutItemCommand({ TableName: 'users', Item: items[i]! }));
    }
    const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'users', S3Bucket: 'exports', S3Prefix: 'nightly' }))).ExportDescription!;
    const done = await settledExport(client, started.ExportArn!);
    expect(done).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 40 });
    const id = started.ExportArn!.split('/').pop()!;
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'exports', Prefix: 'nightly/' }))).Contents ?? []).map((object) => object.Key!.replace(/data\/[a-z2-7]{26}\.json\.gz$/, 'data/<name>.json.gz'));
    expect(keys).toEqual([`nightly/AWSDynamoDB/${id}/_started`, `nightly/AWSDynamoDB/${id}/data/<name>.json.gz`, `nightly/AWSDynamoDB/${id}/manifest-files.checksum`, `nightly/AWSDynamoDB/${id}/manifest-files.json`, `nightly/AWSDynamoDB/${id}/manifest-summary.checksum`, `nightly/AWSDynamoDB/${id}/manifest-summary.json`]);
    const summary = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'exports', Key: done.ExportManifest! }))).Body!.transformToString()) as { itemCount: number; s3Bucket: string };
    expect(summary).toMatchObject({ itemCount: 40, s3Bucket: 'exports' });

    const imported = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'exports', S3KeyPrefix: `nightly/AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: { TableName: 'users-copy', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } }))).ImportTableDescription!;
    expect(await settledImport(client, imported.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 40, ErrorCount: 0 });
    const copy = (await client.send(new ScanCommand({ TableName: 'users-copy' }))).Items!;
    const byId = (a: Record<string, AttributeValue>, b: Record<string, AttributeValue>) => a.id!.S!.localeCompare(b.id!.S!);
    expect(copy.sort(byId)).toEqual(items.sort(byId));
  });

  it('an export to a bucket S3 does not have ends FAILED with S3NoSuchBucket', async () => {
    const { client } = exportImportDatabase({ objectStores: (bucket) => s3ObjectStore(s3, { bucket }) });
    await client.send(new CreateTableCommand({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await client.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'orders', S3Bucket: 'no-such-bucket' }))).ExportDescription!;
    expect(await settledExport(client, started.ExportArn!)).toMatchObject({ ExportStatus: 'FAILED', FailureCode: 'S3NoSuchBucket' });
  });

  it('reads an object as the store wrote it', async () => {
    const store: ObjectStore = s3ObjectStore(s3, { bucket: 'exports' });
    await store.put('hello.txt', [new TextEncoder().encode('héllo')]);
    expect(await readText(store, 'hello.txt')).toBe('héllo');
  });

  it('magneto export / import move a --data table through s3:// locations (--s3-endpoint)', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    const data = mkdtempSync(join(tmpdir(), 'magneto-s3-cli-'));
    try {
      const db = new Database({ storage: fileStorage(data), modules: [backup()] });
      await db.open();
      await db.createTable({ TableName: 'events', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST' });
      await db.execute('DynamoDB_20120810', 'UpdateContinuousBackups', { TableName: 'events', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
      for (let i = 0; i < 15; i++) await db.putItem({ TableName: 'events', Item: { pk: { S: `p${i % 3}` }, sk: { N: String(i) }, v: { M: { x: { NS: ['1', '2.5'] } } } } });
      await db.close();
      const out: string[] = [];
      const quiet = () => undefined;
      await exportImportCommand('export', ['--data', data, '--table', 'events', '--to', 's3://exports/from-cli', '--s3-endpoint', server.endpoint], (line) => out.push(line), quiet);
      expect(out[0]).toMatch(/^Exported 15 items \(\d+ bytes\) of table events to s3:\/\/exports\/from-cli\/AWSDynamoDB\/\S+\/ in/);
      const id = /AWSDynamoDB\/(\S+)\/ in/.exec(out[0]!)![1]!;
      await exportImportCommand('import', ['--from', `s3://exports/from-cli/AWSDynamoDB/${id}/data/`, '--data', data, '--table', 'events-copy', '--key', 'pk:S,sk:N', '--s3-endpoint', server.endpoint], (line) => out.push(line), quiet);
      expect(out[1]).toMatch(/^Imported 15 items into table events-copy \(15 processed, 0 errors\)/);
      const reopened = new Database({ storage: fileStorage(data), modules: [backup()] });
      await reopened.open();
      const all = async (TableName: string) => ((await reopened.scan({ TableName })).Items ?? []).map((item) => JSON.stringify(item)).sort();
      expect(await all('events-copy')).toEqual(await all('events'));
      await reopened.close();
    } finally {
      vi.unstubAllEnvs();
      rmSync(data, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync(BUILT_CLI))('magneto serve --object-store B=s3://BUCKET: the unchanged SDK over HTTP exports into the S3 bucket and imports from it', async () => {
    const env = { ...process.env, AWS_ENDPOINT_URL_S3: server.endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
    const { child, url: served } = serveCli(['--port', '0', '--object-store', 'backups=s3://exports'], env);
    try {
      const url = await served;
      const client = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      await client.send(new CreateTableCommand({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      await client.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      for (let i = 0; i < 9; i++) await client.send(new PutItemCommand({ TableName: 'orders', Item: { id: { S: `o${i}` }, n: { N: String(i) } } }));
      const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'orders', S3Bucket: 'backups', S3Prefix: 'served' }))).ExportDescription!;
      const done = await settledExport(client, started.ExportArn!);
      expect(done).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 9 });
      // The objects are in the real (local) S3 bucket the flag named.
      const summary = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'exports', Key: done.ExportManifest! }))).Body!.transformToString()) as { itemCount: number };
      expect(summary.itemCount).toBe(9);
      const id = started.ExportArn!.split('/').pop()!;
      const imported = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'backups', S3KeyPrefix: `served/AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: { TableName: 'orders-copy', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } }))).ImportTableDescription!;
      expect(await settledImport(client, imported.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 9, ErrorCount: 0 });
      const byId = (a: Record<string, AttributeValue>, b: Record<string, AttributeValue>) => a.id!.S!.localeCompare(b.id!.S!);
      const scan = async (TableName: string) => ((await client.send(new ScanCommand({ TableName }))).Items ?? []).sort(byId);
      expect(await scan('orders-copy')).toEqual(await scan('orders'));
      client.destroy();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
