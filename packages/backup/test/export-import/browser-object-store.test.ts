import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { CreateTableCommand, ExportTableToPointInTimeCommand, ImportTableCommand, PutItemCommand, ScanCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { browserObjectStore } from '../../src/browser/index.js';
import { listed, objectStoreConformance, readText } from './object-store-conformance.js';
import { exportImportDatabase, settledExport, settledImport } from './support.js';

/** A browser store over a fresh fake-indexeddb (Node has no OPFS, so 'auto' picks IndexedDB). */
const fresh = (name = 'exports', indexedDB = new IDBFactory()) => browserObjectStore(name, { indexedDB, IDBKeyRange });

describe('browserObjectStore (IndexedDB, under fake-indexeddb)', () => {
  describe('conformance', () => objectStoreConformance(() => fresh()));

  it('chooses IndexedDB where there is no origin private file system, and refuses OPFS when asked for it', async () => {
    expect(await fresh().backend()).toBe('indexeddb');
    await expect(browserObjectStore('x', { backend: 'opfs' }).backend()).rejects.toThrow('The origin private file system (with writable files) is not available here');
  });

  it('keeps a multi-chunk object whole, and its objects in the database across store instances', async () => {
    const indexedDB = new IDBFactory();
    const store = fresh('kept', indexedDB);
    const chunk = new Uint8Array(700 * 1024).map((_, i) => i % 253);
    await store.put('big.bin', [chunk, chunk, chunk, chunk]);
    await store.put('small', [new TextEncoder().encode('x')]);
    const again = fresh('kept', indexedDB);
    expect(await listed(again, '')).toEqual([
      { key: 'big.bin', size: 4 * chunk.length },
      { key: 'small', size: 1 },
    ]);
    const parts: Uint8Array[] = [];
    for await (const part of again.get('big.bin')) parts.push(part);
    // Stored in 1 MiB chunks: a get holds one at a time.
    expect(parts.length).toBeGreaterThan(1);
    const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (whole.set(p, at), at + p.length), 0);
    expect(whole.every((byte, i) => byte === (i % chunk.length) % 253)).toBe(true);
    await again.put('big.bin', [new TextEncoder().encode('now small')]);
    expect(await readText(store, 'big.bin')).toBe('now small');
  });

  it('a put whose body fails leaves the object it would have replaced', async () => {
    const store = fresh();
    await store.put('k', [new TextEncoder().encode('old')]);
    const failing = (async function* () {
      yield new Uint8Array(2 * 1024 * 1024);
      throw new Error('the source broke');
    })();
    await expect(store.put('k', failing)).rejects.toThrow('the source broke');
    expect(await readText(store, 'k')).toBe('old');
    await expect(store.put('new', (async function* () {
      yield* [];
      throw new Error('broke');
    })())).rejects.toThrow('broke');
    expect((await listed(store, '')).map((entry) => entry.key)).toEqual(['k']);
  });

  it('lists more keys than one listing page, in key order', async () => {
    const store = fresh();
    const keys = Array.from({ length: 1010 }, (_, i) => `p/${String(i).padStart(5, '0')}`);
    await Promise.all(keys.map((key) => store.put(key, [])));
    await store.put('q', []);
    expect((await listed(store, 'p/')).map((entry) => entry.key)).toEqual(keys);
  });

  it('takes an export and imports it back through the SDK', async () => {
    const bucket = fresh();
    const { client } = exportImportDatabase({ objectStores: { browser: bucket } });
    const table = { TableName: 'notes', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const };
    await client.send(new CreateTableCommand(table));
    await client.send(new UpdateContinuousBackupsCommand({ TableName: 'notes', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    for (let i = 0; i < 30; i++) await client.send(new PutItemCommand({ TableName: 'notes', Item: { id: { S: `n${i}` }, body: { S: 'é'.repeat(i) }, tags: { SS: ['a', `t${i}`] } } }));
    const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'notes', S3Bucket: 'browser' }))).ExportDescription!;
    expect(await settledExport(client, started.ExportArn!)).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 30 });
    const id = started.ExportArn!.split('/').pop()!;
    const imported = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'browser', S3KeyPrefix: `AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: { ...table, TableName: 'notes-copy' } }))).ImportTableDescription!;
    expect(await settledImport(client, imported.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 30, ErrorCount: 0 });
    const sorted = async (TableName: string) => ((await client.send(new ScanCommand({ TableName }))).Items ?? []).sort((a, b) => a.id!.S!.localeCompare(b.id!.S!));
    expect(await sorted('notes-copy')).toEqual(await sorted('notes'));
  });
});
