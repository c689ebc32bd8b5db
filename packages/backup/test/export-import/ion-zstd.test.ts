import { readFileSync } from 'node:fs';
import {
  CreateTableCommand,
  DescribeTableCommand,
  ExportTableToPointInTimeCommand,
  GetItemCommand,
  ImportTableCommand,
  PutItemCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { exportImportDatabase, gunzipped, settledExport, settledImport, utf8, zstdStored } from './support.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/ion/${name}`, import.meta.url)));
const productCatalog = (TableName = 'ProductCatalog') => ({ TableName, KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'N' as const }], BillingMode: 'PAY_PER_REQUEST' as const });

describe('ION and ZSTD', () => {
  it('imports Amazon Ion compressed by the zstd tool: decimals, ints, blobs, nulls, the $dynamodb_ set annotations; a float line is an error', async () => {
    const { client, bucket, importErrors } = exportImportDatabase();
    await bucket.put('ion/data.ion.zst', [fixture('product-catalog.ion.zst')]);
    const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'ion/' }, InputFormat: 'ION', InputCompressionType: 'ZSTD', TableCreationParameters: productCatalog() }))).ImportTableDescription!;
    expect(started).toMatchObject({ InputFormat: 'ION', InputCompressionType: 'ZSTD' });
    expect(await settledImport(client, started.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 4, ImportedItemCount: 3, ErrorCount: 1 });
    const get = async (id: string) => (await client.send(new GetItemCommand({ TableName: 'ProductCatalog', Key: { Id: { N: id } } }))).Item;
    expect(await get('103')).toEqual({ Id: { N: '103' }, Title: { S: 'Book 103 Title' }, ISBN: { S: '333-3333333333' }, Authors: { SS: ['Author1', 'Author2'] }, Price: { N: '2000' }, Dimensions: { S: '8.5 x 11.0 x 1.5' }, PageCount: { N: '600' }, InPublication: { BOOL: false }, ProductCategory: { S: 'Book' } });
    expect(await get('205')).toMatchObject({ Color: { L: [{ S: 'Red' }, { S: 'Black' }] }, Picture: { B: new TextEncoder().encode('hi') }, Sizes: { NS: ['1.5', '20'] }, Nothing: { NULL: true } });
    expect(importErrors).toEqual([{ importArn: started.ImportArn, itemS3Pointer: { bucket: 'bucket', key: 'ion/data.ion.zst', itemIndex: 4 }, errorMessages: ['Unable to parse the item: Unsupported Ion value of type float'] }]);
  });

  it("writes ION exports as AWS does: .ion.gz data files, a $ion_1_0 marker, then one {Item:{…}} line per item with decimals and annotated sets", async () => {
    const { client, bucket } = exportImportDatabase();
    await client.send(new CreateTableCommand(productCatalog()));
    await client.send(new UpdateContinuousBackupsCommand({ TableName: 'ProductCatalog', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: { Id: { N: '103' }, Title: { S: 'Book "103"' }, Authors: { SS: ['Author1', 'Author2'] }, Price: { N: '-0.5' }, Big: { N: '1.2345678901234567890123456789012345678E+125' }, B: { B: new Uint8Array([1, 2, 255]) }, Set: { NS: ['7'] }, Bin: { BS: [new Uint8Array([0])] }, Off: { BOOL: false }, Nil: { NULL: true }, Doc: { M: { 'odd name': { L: [{ S: '' }] } } } } }));
    await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: { Id: { N: '104' } } }));
    const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'bucket', ExportFormat: 'ION' }))).ExportDescription!;
    expect(await settledExport(client, started.ExportArn!)).toMatchObject({ ExportStatus: 'COMPLETED', ExportFormat: 'ION', ItemCount: 2 });
    const dataKeys = [...bucket.objects.keys()].filter((key) => key.includes('/data/'));
    expect(dataKeys).toEqual([expect.stringMatching(/\/data\/[a-z2-7]{26}\.ion\.gz$/)]);
    const text = new TextDecoder().decode(await gunzipped(bucket.objects.get(dataKeys[0]!)!));
    // One $ion_1_0 marker opens the file; the items' order is the table's (DynamoDB promises none).
    expect(text.startsWith('$ion_1_0 {Item:')).toBe(true);
    const lines = text.slice('$ion_1_0 '.length).split('\n').sort();
    expect(lines).toEqual([
      '',
      `{Item:{Id:103.,Title:"Book \\"103\\"",Authors:$dynamodb_SS::["Author1","Author2"],Price:-0.5,Big:${'12345678901234567890123456789012345678'.padEnd(126, '0')}.,B:{{AQL/}},Set:$dynamodb_NS::[7.],Bin:$dynamodb_BS::[{{AA==}}],Off:false,Nil:null,Doc:{'odd name':[""]}}}`,
      '{Item:{Id:104.}}',
    ]);
    const summary = JSON.parse(new TextDecoder().decode(bucket.objects.get(started.ExportArn!.replace(/^.*\/export\//, 'AWSDynamoDB/') + '/manifest-summary.json')!)) as Record<string, unknown>;
    expect(summary.outputFormat).toBe('ION');
  });

  it('ends FAILED and leaves no table when a ZSTD object is corrupt or cut short', async () => {
    const { client, bucket } = exportImportDatabase();
    await bucket.put('bad/1.zst', [utf8('not zstd at all')]);
    const whole = zstdStored(utf8('{"Item":{"Id":{"N":"1"}}}\n'));
    await bucket.put('short/1.zst', [whole.subarray(0, whole.length - 3)]);
    for (const [prefix, TableName] of [['bad/', 'tb1'], ['short/', 'tb2']] as const) {
      const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: prefix }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'ZSTD', TableCreationParameters: productCatalog(TableName) }))).ImportTableDescription!;
      expect(await settledImport(client, started.ImportArn!)).toMatchObject({ ImportStatus: 'FAILED' });
      await expect(client.send(new DescribeTableCommand({ TableName }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    }
  });
});
