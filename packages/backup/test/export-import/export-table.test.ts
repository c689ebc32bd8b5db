import {
  CreateTableCommand,
  DeleteItemCommand,
  ExportTableToPointInTimeCommand,
  ListExportsCommand,
  PutItemCommand,
  UpdateContinuousBackupsCommand,
  DescribeExportCommand,
} from '@aws-sdk/client-dynamodb';
import { md5 } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { exportImportDatabase, gunzipped, settledExport } from './support.js';

const T0 = Date.UTC(2026, 0, 1);
const TABLE_ARN = /^arn:aws:dynamodb:us-east-1:\d{12}:table\/ProductCatalog$/;
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function catalog(options: Parameters<typeof exportImportDatabase>[0] = {}) {
  const setup = exportImportDatabase(options);
  const { client } = setup;
  await client.send(new CreateTableCommand({ TableName: 'ProductCatalog', KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST' }));
  await client.send(new UpdateContinuousBackupsCommand({ TableName: 'ProductCatalog', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  return setup;
}

describe('ExportTableToPointInTime', () => {
  it("writes AWS's layout: _started, gzipped {\"Item\":…} lines, manifest-files.json, manifest-summary.json and their base64 .checksum files", async () => {
    const { client, bucket, clock } = await catalog();
    await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: { Id: { N: '103' }, Title: { S: 'Book 103 Title' }, Authors: { SS: ['Author1', 'Author2'] }, InPublication: { BOOL: false } } }));
    await clock.advance(1000);
    const arn = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'bucket', S3Prefix: 'exports' }))).ExportDescription!.ExportArn!;
    expect(arn).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/ProductCatalog\/export\/\d{14}-[0-9a-f]{8}$/);
    const done = await settledExport(client, arn);
    const id = arn.split('/').pop()!;
    const dir = `exports/AWSDynamoDB/${id}/`;
    expect(done).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 1, ExportFormat: 'DYNAMODB_JSON', ExportType: 'FULL_EXPORT', ExportManifest: `${dir}manifest-summary.json`, S3Bucket: 'bucket', S3Prefix: 'exports', ExportTime: new Date(T0 + 1000) });
    expect(done.TableArn).toMatch(TABLE_ARN);

    const keys = [...bucket.objects.keys()].sort();
    expect(keys.map((key) => key.replace(/data\/[a-z2-7]{26}\.json\.gz$/, 'data/<name>.json.gz'))).toEqual([
      `${dir}_started`,
      `${dir}data/<name>.json.gz`,
      `${dir}manifest-files.checksum`,
      `${dir}manifest-files.json`,
      `${dir}manifest-summary.checksum`,
      `${dir}manifest-summary.json`,
    ]);
    expect(bucket.objects.get(`${dir}_started`)!.length).toBe(0);
    const dataKey = keys[1]!;
    const data = bucket.objects.get(dataKey)!;
    expect(text(await gunzipped(data))).toBe('{"Item":{"Id":{"N":"103"},"Title":{"S":"Book 103 Title"},"Authors":{"SS":["Author1","Author2"]},"InPublication":{"BOOL":false}}}\n');

    const filesBytes = bucket.objects.get(`${dir}manifest-files.json`)!;
    expect(text(filesBytes)).toBe(`${JSON.stringify({ itemCount: 1, md5Checksum: base64(md5(data)), etag: Buffer.from(md5(data)).toString('hex'), dataFileS3Key: dataKey })}\n`);
    expect(text(bucket.objects.get(`${dir}manifest-files.checksum`)!)).toBe(base64(md5(filesBytes)));

    const summaryBytes = bucket.objects.get(`${dir}manifest-summary.json`)!;
    const summary = JSON.parse(text(summaryBytes)) as Record<string, unknown>;
    // Field order and formats of the documentation's manifest-summary.json example.
    expect(Object.keys(summary)).toEqual(['version', 'exportArn', 'startTime', 'endTime', 'tableArn', 'tableId', 'exportTime', 's3Bucket', 's3Prefix', 's3SseAlgorithm', 's3SseKmsKeyId', 'manifestFilesS3Key', 'billedSizeBytes', 'itemCount', 'outputFormat', 'exportType']);
    expect(summary).toMatchObject({ version: '2020-06-30', exportArn: arn, startTime: '2026-01-01T00:00:01.000Z', exportTime: '2026-01-01T00:00:01.000Z', tableId: done.TableId, s3Bucket: 'bucket', s3Prefix: 'exports', s3SseAlgorithm: 'AES256', s3SseKmsKeyId: null, manifestFilesS3Key: `${dir}manifest-files.json`, itemCount: 1, outputFormat: 'DYNAMODB_JSON', exportType: 'FULL_EXPORT' });
    expect(summary.billedSizeBytes).toBe(done.BilledSizeBytes);
    expect(text(bucket.objects.get(`${dir}manifest-summary.checksum`)!)).toBe(base64(md5(summaryBytes)));
  });

  it('exports the table as it was at ExportTime, not as it is', async () => {
    const { client, bucket, clock } = await catalog();
    await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: { Id: { N: '1' }, v: { S: 'old' } } }));
    await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: { Id: { N: '2' } } }));
    await clock.advance(5000);
    const exportTime = new Date(clock.now());
    await clock.advance(5000);
    await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: { Id: { N: '1' }, v: { S: 'new' } } }));
    await client.send(new DeleteItemCommand({ TableName: 'ProductCatalog', Key: { Id: { N: '2' } } }));
    await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: { Id: { N: '3' } } }));
    const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'bucket', ExportTime: exportTime }))).ExportDescription!;
    expect(started.ExportStatus).toBe('IN_PROGRESS');
    expect(await settledExport(client, started.ExportArn!)).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 2 });
    const dataKey = [...bucket.objects.keys()].find((key) => key.includes('/data/'))!;
    const lines = text(await gunzipped(bucket.objects.get(dataKey)!)).trim().split('\n').sort();
    expect(lines).toEqual(['{"Item":{"Id":{"N":"1"},"v":{"S":"old"}}}', '{"Item":{"Id":{"N":"2"}}}']);
  });

  it('writes one empty gzipped data file for an empty table', async () => {
    const { client, bucket } = await catalog();
    const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'bucket' }))).ExportDescription!;
    expect(await settledExport(client, started.ExportArn!)).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 0, BilledSizeBytes: 0 });
    const data = [...bucket.objects.entries()].filter(([key]) => key.includes('/data/'));
    expect(data).toHaveLength(1);
    expect((await gunzipped(data[0]![1])).length).toBe(0);
  });

  it('throws PointInTimeRecoveryUnavailableException without PITR and InvalidExportTimeException outside the window', async () => {
    const { client, clock } = await catalog();
    await client.send(new CreateTableCommand({ TableName: 'plain', KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'N' }], BillingMode: 'PAY_PER_REQUEST' }));
    await expect(client.send(new ExportTableToPointInTimeCommand({ TableArn: 'plain', S3Bucket: 'bucket' }))).rejects.toMatchObject({ name: 'PointInTimeRecoveryUnavailableException' });
    await expect(client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'bucket', ExportTime: new Date(T0 - 1000) }))).rejects.toMatchObject({ name: 'InvalidExportTimeException' });
    await expect(client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'bucket', ExportTime: new Date(clock.now() + 60_000) }))).rejects.toMatchObject({ name: 'InvalidExportTimeException' });
    await expect(client.send(new ExportTableToPointInTimeCommand({ TableArn: 'nosuch', S3Bucket: 'bucket' }))).rejects.toMatchObject({ name: 'TableNotFoundException' });
  });

  it('ends FAILED with the cause when the bucket has no store', async () => {
    const { client } = await catalog();
    const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'elsewhere' }))).ExportDescription!;
    expect(await settledExport(client, started.ExportArn!)).toMatchObject({ ExportStatus: 'FAILED', FailureCode: 'S3NoSuchBucket' });
  });

  it('answers the same export for the same ClientToken (8 hours), ExportConflictException for other parameters; lists exports; ExportNotFoundException', async () => {
    const { client, clock } = await catalog();
    const request = { TableArn: 'ProductCatalog', S3Bucket: 'bucket', ClientToken: 'tok' };
    const first = (await client.send(new ExportTableToPointInTimeCommand(request))).ExportDescription!;
    expect((await client.send(new ExportTableToPointInTimeCommand(request))).ExportDescription!.ExportArn).toBe(first.ExportArn);
    await expect(client.send(new ExportTableToPointInTimeCommand({ ...request, S3Prefix: 'p' }))).rejects.toMatchObject({ name: 'ExportConflictException' });
    await clock.advance(8 * 60 * 60 * 1000);
    const later = (await client.send(new ExportTableToPointInTimeCommand({ ...request, S3Prefix: 'p' }))).ExportDescription!;
    expect(later.ExportArn).not.toBe(first.ExportArn);
    await settledExport(client, first.ExportArn!);
    await settledExport(client, later.ExportArn!);
    const listed = await client.send(new ListExportsCommand({ TableArn: first.TableArn! }));
    expect(listed.ExportSummaries).toEqual([
      { ExportArn: first.ExportArn, ExportStatus: 'COMPLETED', ExportType: 'FULL_EXPORT' },
      { ExportArn: later.ExportArn, ExportStatus: 'COMPLETED', ExportType: 'FULL_EXPORT' },
    ]);
    await expect(client.send(new DescribeExportCommand({ ExportArn: `${first.TableArn}/export/01234567890123-abcdef01` }))).rejects.toMatchObject({ name: 'ExportNotFoundException' });
  });

  it('reports progress as it writes, ending at the item count', async () => {
    const progress: Array<{ exportArn: string; itemsDone: number }> = [];
    const { client } = await catalog({ onExportProgress: (p) => progress.push(p) });
    for (let i = 0; i < 600; i++) await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: { Id: { N: String(i) } } }));
    const arn = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'bucket' }))).ExportDescription!.ExportArn!;
    expect(await settledExport(client, arn)).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 600 });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.exportArn === arn)).toBe(true);
    expect(progress.map((p) => p.itemsDone)).toEqual([...progress.map((p) => p.itemsDone)].sort((a, b) => a - b));
    expect(progress.at(-1)!.itemsDone).toBe(600);
  });
});
