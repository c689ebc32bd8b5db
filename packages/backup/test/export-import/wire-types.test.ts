/**
 * A member of the wrong JSON type in an export or import request is a SerializationException naming the
 * JSON token, as DynamoDB's deserializer answers it, and starts nothing.
 */
import { Database } from '@magneto/core';
import { expect, it } from 'vitest';
import { backup, memoryObjectStore } from '../../src/index.js';

const source = { S3Bucket: 'bucket' };
const table = { TableName: 'copy', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' };

it.each([
  ['ExportTableToPointInTime', { TableArn: 5, S3Bucket: 'bucket' }, 'NUMBER_VALUE cannot be converted to String'],
  ['ExportTableToPointInTime', { TableArn: 'orders', S3Bucket: ['bucket'] }, 'Unrecognized collection type class java.lang.String'],
  ['ExportTableToPointInTime', { TableArn: 'orders', S3Bucket: 'bucket', IncrementalExportSpecification: 'yes' }, 'Unexpected field type'],
  ['ExportTableToPointInTime', { TableArn: 'orders', S3Bucket: 'bucket', IncrementalExportSpecification: { ExportViewType: true } }, 'TRUE_VALUE cannot be converted to String'],
  ['DescribeExport', { ExportArn: {} }, 'Start of structure or map found where not expected'],
  ['ListExports', { MaxResults: 'ten' }, 'STRING_VALUE cannot be converted to Integer'],
  ['ImportTable', { S3BucketSource: 'bucket', InputFormat: 'CSV', TableCreationParameters: table }, 'Unexpected field type'],
  ['ImportTable', { S3BucketSource: source, InputFormat: 7, TableCreationParameters: table }, 'NUMBER_VALUE cannot be converted to String'],
  ['ImportTable', { S3BucketSource: source, InputFormat: 'CSV', InputFormatOptions: { Csv: { HeaderList: 'id' } }, TableCreationParameters: table }, 'Unexpected field type'],
  ['ImportTable', { S3BucketSource: source, InputFormat: 'CSV', TableCreationParameters: { ...table, TableName: false } }, 'FALSE_VALUE cannot be converted to String'],
  ['DescribeImport', { ImportArn: 1.5 }, 'DECIMAL_VALUE cannot be converted to String'],
  ['ListImports', { PageSize: [] }, 'Unrecognized collection type class java.lang.Integer'],
])('%s with %j answers SerializationException', async (operation, input, message) => {
  const db = new Database({ modules: [backup({ objectStores: { bucket: memoryObjectStore() } })] });
  await db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  await expect(db.execute('DynamoDB_20120810', operation, input)).rejects.toMatchObject({ name: 'SerializationException', message });
  expect(await db.execute('DynamoDB_20120810', 'ListExports', {})).toEqual({ ExportSummaries: [] });
  expect(await db.execute('DynamoDB_20120810', 'ListImports', {})).toEqual({ ImportSummaryList: [] });
  expect((await db.execute('DynamoDB_20120810', 'ListTables', {})) as object).toEqual({ TableNames: ['orders'] });
});
