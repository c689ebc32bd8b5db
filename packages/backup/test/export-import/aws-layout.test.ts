import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, ExportTableToPointInTimeCommand, GetItemCommand, ImportTableCommand, PutItemCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { directoryObjectStore } from '../../src/node/index.js';
import { exportImportDatabase, gunzipped, settledExport, settledImport } from './support.js';

/** A golden export in DynamoDB's layout, written from the documentation's ProductCatalog examples. */
const GOLDEN = fileURLToPath(new URL('./fixtures/aws-export/', import.meta.url));
const GOLDEN_ID = '01604474914028-a1b2c3d4';
const golden = (name: string) => readFileSync(`${GOLDEN}AWSDynamoDB/${GOLDEN_ID}/${name}`, 'utf8');
const productCatalog = { TableName: 'ProductCatalog', KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'N' as const }], BillingMode: 'PAY_PER_REQUEST' as const };

describe("AWS's export layout (golden files)", () => {
  it('imports an export in AWS layout from a directory, as DynamoDB imports its own exports', async () => {
    const { client } = exportImportDatabase({ objectStores: { 'ddb-productcatalog-export': directoryObjectStore(GOLDEN) } });
    const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'ddb-productcatalog-export', S3KeyPrefix: `AWSDynamoDB/${GOLDEN_ID}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: productCatalog }))).ImportTableDescription!;
    expect(await settledImport(client, started.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 3, ImportedItemCount: 3, ErrorCount: 0 });
    const book = (await client.send(new GetItemCommand({ TableName: 'ProductCatalog', Key: { Id: { N: '103' } } }))).Item;
    expect(book).toEqual({ Id: { N: '103' }, Title: { S: 'Book 103 Title' }, ISBN: { S: '333-3333333333' }, Authors: { L: [{ S: 'Author1' }, { S: 'Author2' }] }, Price: { N: '2000' }, Dimensions: { S: '8.5 x 11.0 x 1.5' }, PageCount: { N: '600' }, InPublication: { BOOL: false }, ProductCategory: { S: 'Book' } });
  });

  it("writes the golden export's files, manifest fields in the same order, and the same data lines", async () => {
    const { client, bucket } = exportImportDatabase();
    await client.send(new CreateTableCommand(productCatalog));
    await client.send(new UpdateContinuousBackupsCommand({ TableName: 'ProductCatalog', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    const goldenLines = readFileSync(fileURLToPath(new URL('./fixtures/aws-export-items.json', import.meta.url)), 'utf8').trim().split('\n');
    for (const line of goldenLines) await client.send(new PutItemCommand({ TableName: 'ProductCatalog', Item: (JSON.parse(line) as { Item: never }).Item }));
    const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'ProductCatalog', S3Bucket: 'bucket' }))).ExportDescription!;
    await settledExport(client, started.ExportArn!);
    const id = started.ExportArn!.split('/').pop()!;
    const shape = (names: string[]) => names.map((name) => name.replace(/[a-z2-7]{26}\.json\.gz$/, '<name>.json.gz')).sort();
    const goldenFiles = [...readdirSync(`${GOLDEN}AWSDynamoDB/${GOLDEN_ID}`).filter((name) => name !== 'data'), ...readdirSync(`${GOLDEN}AWSDynamoDB/${GOLDEN_ID}/data`).map((name) => `data/${name}`)];
    const written = [...bucket.objects.keys()].map((key) => key.slice(`AWSDynamoDB/${id}/`.length));
    expect(shape(written)).toEqual(shape(goldenFiles));
    const summary = JSON.parse(new TextDecoder().decode(bucket.objects.get(`AWSDynamoDB/${id}/manifest-summary.json`)!)) as object;
    expect(Object.keys(summary)).toEqual(Object.keys(JSON.parse(golden('manifest-summary.json')) as object));
    const files = JSON.parse(new TextDecoder().decode(bucket.objects.get(`AWSDynamoDB/${id}/manifest-files.json`)!)) as object;
    expect(Object.keys(files)).toEqual(Object.keys(JSON.parse(golden('manifest-files.json')) as object));
    const dataKey = [...bucket.objects.keys()].find((key) => key.includes('/data/'))!;
    const lines = new TextDecoder().decode(await gunzipped(bucket.objects.get(dataKey)!)).trim().split('\n');
    expect(lines.sort()).toEqual([...goldenLines].sort());
  });
});
