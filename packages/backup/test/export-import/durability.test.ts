/**
 * Export and import jobs on durable storage: finished jobs (and their ClientTokens) survive close + open,
 * logged or in a snapshot; a job cut off by a restart ends FAILED (InterruptedByRestart), and an
 * interrupted import leaves no table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, ManualClock } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { afterAll, describe, expect, it } from 'vitest';
import { backup, memoryObjectStore, type ObjectStore } from '../../src/index.js';
import { utf8 } from './support.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const DDB = 'DynamoDB_20120810' as const;
const table = (TableName: string) => ({ TableName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const });
const bucket = memoryObjectStore();
await bucket.put('d/1.json', [utf8('{"Item":{"id":{"S":"a"}}}\n{"Item":{"id":{"S":"b"}}}\n')]);
/** A store that never answers: a job reading or writing through it stays IN_PROGRESS. */
const stuck: ObjectStore = { put: () => new Promise(() => undefined), get: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) }), list: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) }), delete: () => Promise.resolve() };

function open(dir: string, clock: ManualClock): Database {
  return new Database({ clock, storage: fileStorage(dir), modules: [backup({ objectStores: { bucket, stuck } })] });
}
const describeImport = async (db: Database, ImportArn: string) => ((await db.execute(DDB, 'DescribeImport', { ImportArn })) as { ImportTableDescription: Record<string, unknown> }).ImportTableDescription;
const describeExport = async (db: Database, ExportArn: string) => ((await db.execute(DDB, 'DescribeExport', { ExportArn })) as { ExportDescription: Record<string, unknown> }).ExportDescription;
async function settled<T extends Record<string, unknown>>(read: () => Promise<T>, status: string): Promise<T> {
  for (;;) {
    const description = await read();
    if (description[status] !== 'IN_PROGRESS') return description;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

describe('export and import jobs on fileStorage', () => {
  it.each([false, true])('keep finished jobs and their ClientTokens across a restart (snapshot in between: %s)', async (withSnapshot) => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-jobs-'));
    dirs.push(dir);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    let db = open(dir, clock);
    await db.open();
    await db.createTable(table('live'));
    await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'live', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    await db.putItem({ TableName: 'live', Item: { id: { S: 'x' } } });
    const exportRequest = { TableArn: 'live', S3Bucket: 'bucket', ClientToken: 'export-1' };
    const exportArn = ((await db.execute(DDB, 'ExportTableToPointInTime', exportRequest)) as { ExportDescription: { ExportArn: string } }).ExportDescription.ExportArn;
    const importRequest = { ClientToken: 'import-1', S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'd/' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: table('copy') };
    const importArn = ((await db.execute(DDB, 'ImportTable', importRequest)) as { ImportTableDescription: { ImportArn: string } }).ImportTableDescription.ImportArn;
    const exported = await settled(() => describeExport(db, exportArn), 'ExportStatus');
    const imported = await settled(() => describeImport(db, importArn), 'ImportStatus');
    expect(exported.ExportStatus).toBe('COMPLETED');
    expect(imported.ImportStatus).toBe('COMPLETED');
    if (withSnapshot) await db.checkpoint();
    const exports = await db.execute(DDB, 'ListExports', {});
    const imports = await db.execute(DDB, 'ListImports', {});
    await db.close();

    db = open(dir, clock);
    await db.open();
    expect(await describeExport(db, exportArn)).toEqual(exported);
    expect(await describeImport(db, importArn)).toEqual(imported);
    expect(await db.execute(DDB, 'ListExports', {})).toEqual(exports);
    expect(await db.execute(DDB, 'ListImports', {})).toEqual(imports);
    // The same ClientToken answers the same jobs; with other parameters it is a conflict.
    expect(((await db.execute(DDB, 'ExportTableToPointInTime', exportRequest)) as { ExportDescription: unknown }).ExportDescription).toEqual(exported);
    expect(((await db.execute(DDB, 'ImportTable', importRequest)) as { ImportTableDescription: unknown }).ImportTableDescription).toEqual(imported);
    await expect(db.execute(DDB, 'ImportTable', { ...importRequest, InputFormat: 'CSV' })).rejects.toMatchObject({ name: 'ImportConflictException' });
    await db.close();
  });

  it('ends jobs that a restart cut off FAILED with InterruptedByRestart, and deletes the interrupted import table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magneto-jobs-'));
    dirs.push(dir);
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    let db = open(dir, clock);
    await db.open();
    await db.createTable(table('live'));
    await db.execute(DDB, 'UpdateContinuousBackups', { TableName: 'live', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    const exportArn = ((await db.execute(DDB, 'ExportTableToPointInTime', { TableArn: 'live', S3Bucket: 'stuck' })) as { ExportDescription: { ExportArn: string } }).ExportDescription.ExportArn;
    const importArn = ((await db.execute(DDB, 'ImportTable', { S3BucketSource: { S3Bucket: 'stuck' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: table('half') })) as { ImportTableDescription: { ImportArn: string } }).ImportTableDescription.ImportArn;
    expect((await describeImport(db, importArn)).ImportStatus).toBe('IN_PROGRESS');
    await db.close();

    db = open(dir, clock);
    await db.open();
    expect(await describeExport(db, exportArn)).toMatchObject({ ExportStatus: 'FAILED', FailureCode: 'InterruptedByRestart', FailureMessage: 'The database stopped while the job was in progress' });
    expect(await describeImport(db, importArn)).toMatchObject({ ImportStatus: 'FAILED', FailureCode: 'InterruptedByRestart' });
    await expect(db.describeTable({ TableName: 'half' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await db.close();
    // The failure was logged: a second restart finds the same.
    db = open(dir, clock);
    await db.open();
    expect(await describeImport(db, importArn)).toMatchObject({ ImportStatus: 'FAILED', FailureCode: 'InterruptedByRestart' });
    expect((await db.execute(DDB, 'ListTables', {})) as object).toEqual({ TableNames: ['live'] });
    await db.close();
  });
});
