import {
  CreateTableCommand,
  ExportTableToPointInTimeCommand,
  ImportTableCommand,
  PutItemCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportImportDatabase, gunzipped, settledExport, settledImport, zstdStored } from './support.js';

// Every AttributeValue type, empty strings and binaries, 38-digit numbers, nested documents.
const digits = fc.stringMatching(/^[1-9][0-9]{0,37}$/);
const number = fc.oneof(digits, digits.map((d) => `-${d}`), fc.tuple(digits, fc.stringMatching(/^[0-9]{1,10}$/)).map(([a, b]) => `${a.slice(0, 27)}.${b}`));
const bytes = fc.uint8Array({ maxLength: 12 });
const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ maxLength: 12 }).map((S) => ({ S })),
  number.map((N) => ({ N })),
  bytes.map((B) => ({ B })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true }),
  fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 }).map((SS) => ({ SS })),
  fc.uniqueArray(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 4 }).map((ns) => ({ NS: ns.map(String) })),
  fc.uniqueArray(fc.uint8Array({ maxLength: 4 }), { minLength: 1, maxLength: 3, selector: (b) => Buffer.from(b).toString('hex') }).map((BS) => ({ BS })),
);
const { value } = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }).map((L) => ({ L })),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), tie('value'), { maxKeys: 3 }).map((M) => ({ M })),
  ),
}));
const attributes = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((name) => name !== 'pk'), value, { maxKeys: 5 });
const items = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), attributes), { maxLength: 25, selector: ([pk]) => pk });

const table = (TableName: string) =>
  new CreateTableCommand({ TableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });

describe('Export → import round trip', () => {
  it('imports a Magneto export back identically, in DYNAMODB_JSON and ION, gzipped, zstd-compressed or plain (property)', async () => {
    await fc.assert(
      fc.asyncProperty(items, fc.constantFrom('DYNAMODB_JSON' as const, 'ION' as const), fc.constantFrom('GZIP' as const, 'ZSTD' as const, 'NONE' as const), async (generated, format, compression) => {
        const { client, bucket } = exportImportDatabase();
        await client.send(table('source'));
        await client.send(new UpdateContinuousBackupsCommand({ TableName: 'source', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
        for (const [pk, rest] of generated) await client.send(new PutItemCommand({ TableName: 'source', Item: { ...rest, pk: { S: pk } } }));
        const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'source', S3Bucket: 'bucket', S3Prefix: 'e', ExportFormat: format }))).ExportDescription!;
        const exported = await settledExport(client, started.ExportArn!);
        expect(exported).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: generated.length, ExportFormat: format });
        const dataPrefix = `e/AWSDynamoDB/${started.ExportArn!.split('/').pop()}/data/`;
        expect([...bucket.objects.keys()].filter((key) => key.startsWith(dataPrefix)).every((key) => key.endsWith(format === 'ION' ? '.ion.gz' : '.json.gz'))).toBe(true);
        let prefix = dataPrefix;
        if (compression !== 'GZIP') {
          prefix = 'recompressed/';
          for (const [key, object] of bucket.objects) {
            if (!key.startsWith(dataPrefix)) continue;
            const plain = await gunzipped(object);
            await bucket.put(`recompressed/${key.slice(dataPrefix.length, -3)}`, [compression === 'ZSTD' ? zstdStored(plain) : plain]);
          }
        }
        const imported = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: prefix }, InputFormat: format, InputCompressionType: compression, TableCreationParameters: { TableName: 'copy', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } }))).ImportTableDescription!;
        expect(await settledImport(client, imported.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: generated.length, ErrorCount: 0 });
        const byKey = (list: Array<Record<string, AttributeValue>>) => new Map(list.map((item) => [item.pk!.S!, item]));
        const source = byKey((await client.send(new ScanCommand({ TableName: 'source' }))).Items!);
        const copy = byKey((await client.send(new ScanCommand({ TableName: 'copy' }))).Items!);
        expect(copy).toEqual(source);
      }),
      { numRuns: 40 },
    );
  });
});
