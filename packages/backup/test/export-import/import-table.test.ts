import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateTableCommand,
  ImportTableCommand,
  ListImportsCommand,
  QueryCommand,
  ScanCommand,
  type ImportTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { memoryObjectStore, type ImportProgress, type ObjectStore } from '../../src/index.js';
import { exportImportDatabase, gzipped, settledImport, utf8 } from './support.js';

const users = (TableName = 'users'): ImportTableCommandInput['TableCreationParameters'] => ({
  TableName,
  KeySchema: [
    { AttributeName: 'id', KeyType: 'HASH' },
    { AttributeName: 'n', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'n', AttributeType: 'N' },
    { AttributeName: 'city', AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [{ IndexName: 'byCity', KeySchema: [{ AttributeName: 'city', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
});

async function scan(client: ReturnType<typeof exportImportDatabase>['client'], TableName: string) {
  const items = (await client.send(new ScanCommand({ TableName }))).Items!;
  return items.sort((a, b) => (a.id!.S! + a.n!.N!).localeCompare(b.id!.S! + b.n!.N!));
}

describe('ImportTable', () => {
  it('imports DynamoDB JSON lines (gzipped) into a new table with its GSI, counting items and bytes, IN_PROGRESS then COMPLETED', async () => {
    const { client, bucket } = exportImportDatabase();
    const lines = [
      '{"Item":{"id":{"S":"a"},"n":{"N":"1"},"city":{"S":"Oslo"},"b":{"B":"AAEC"},"tags":{"SS":["x","y"]}}}',
      '{"Item":{"id":{"S":"b"},"n":{"N":"12345678901234567890123456789012345678"},"doc":{"M":{"l":{"L":[{"NULL":true},{"BOOL":false}]}}}}}',
    ];
    const object = await gzipped(utf8(`${lines.join('\n')}\n`));
    await bucket.put('in/data/part-1.json.gz', [object]);
    const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'in/' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: users() }))).ImportTableDescription!;
    expect(started.ImportStatus).toBe('IN_PROGRESS');
    expect(started.ImportArn).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/users\/import\/\d{14}-[0-9a-f]{8}$/);
    const done = await settledImport(client, started.ImportArn!);
    expect(done).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 2, ImportedItemCount: 2, ErrorCount: 0, ProcessedSizeBytes: object.length, InputCompressionType: 'GZIP' });
    const items = await scan(client, 'users');
    expect(items).toEqual([
      { id: { S: 'a' }, n: { N: '1' }, city: { S: 'Oslo' }, b: { B: new Uint8Array([0, 1, 2]) }, tags: { SS: ['x', 'y'] } },
      { id: { S: 'b' }, n: { N: '12345678901234567890123456789012345678' }, doc: { M: { l: { L: [{ NULL: true }, { BOOL: false }] } } } },
    ]);
    const byCity = await client.send(new QueryCommand({ TableName: 'users', IndexName: 'byCity', KeyConditionExpression: 'city = :c', ExpressionAttributeValues: { ':c': { S: 'Oslo' } } }));
    expect(byCity.Items!.map((item) => item.id!.S)).toEqual(['a']);
    expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('imports CSV: header from the first line, key attributes typed by AttributeDefinitions, other columns as strings, quotes and a custom delimiter', async () => {
    const { client, bucket } = exportImportDatabase();
    await bucket.put('csv/a.csv', [utf8('id;n;city;note;count\r\nu1;7;Oslo;"semi;colon ""quoted""";42\nu2;8;;"multi\nline";\n')]);
    const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'csv/' }, InputFormat: 'CSV', InputFormatOptions: { Csv: { Delimiter: ';' } }, TableCreationParameters: users() }))).ImportTableDescription!;
    const done = await settledImport(client, started.ImportArn!);
    expect(done).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 2, ImportedItemCount: 2, ErrorCount: 0 });
    expect(await scan(client, 'users')).toEqual([
      { id: { S: 'u1' }, n: { N: '7' }, city: { S: 'Oslo' }, note: { S: 'semi;colon "quoted"' }, count: { S: '42' } },
      { id: { S: 'u2' }, n: { N: '8' }, note: { S: 'multi\nline' } },
    ]);
  });

  it('reads CSV columns from HeaderList, every line being data', async () => {
    const { client, bucket } = exportImportDatabase();
    await bucket.put('h/1.csv', [utf8('u1,1,x\nu2,2,y\n')]);
    const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'h/' }, InputFormat: 'CSV', InputFormatOptions: { Csv: { HeaderList: ['id', 'n', 'v'] } }, TableCreationParameters: users() }))).ImportTableDescription!;
    expect(await settledImport(client, started.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 2 });
    expect((await scan(client, 'users')).map((item) => item.v!.S)).toEqual(['x', 'y']);
  });

  it('counts and logs bad lines while the good ones load', async () => {
    const { client, bucket, importErrors } = exportImportDatabase();
    const lines = [
      '{"Item":{"id":{"S":"ok1"},"n":{"N":"1"}}}',
      'not json',
      '{"Item":{"id":{"S":"nokey"}}}',
      '{"Item":{"id":{"S":"badnum"},"n":{"N":"x1"}}}',
      '{"NotItem":{}}',
      '{"Item":{"id":{"S":"ok2"},"n":{"N":"2"}}}',
    ];
    await bucket.put('bad/1.json', [utf8(lines.join('\n'))]);
    const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'bad/' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: users() }))).ImportTableDescription!;
    const done = await settledImport(client, started.ImportArn!);
    expect(done).toMatchObject({ ImportStatus: 'COMPLETED', ProcessedItemCount: 6, ImportedItemCount: 2, ErrorCount: 4 });
    expect((await scan(client, 'users')).map((item) => item.id!.S)).toEqual(['ok1', 'ok2']);
    expect(importErrors).toHaveLength(4);
    expect(importErrors[0]).toMatchObject({ importArn: started.ImportArn, itemS3Pointer: { bucket: 'bucket', key: 'bad/1.json', itemIndex: 2 } });
  });

  it('throws ResourceInUseException when the table exists, and creates nothing', async () => {
    const { client, bucket } = exportImportDatabase();
    await client.send(new CreateTableCommand({ ...users(), TableName: 'users' } as never));
    await bucket.put('x/1.json', [utf8('')]);
    await expect(client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: users() }))).rejects.toMatchObject({ name: 'ResourceInUseException', message: 'Table already exists: users' });
    expect((await client.send(new ListImportsCommand({}))).ImportSummaryList).toEqual([]);
  });

  it('ends FAILED and leaves no table when the bucket has no store or the gzip is corrupt', async () => {
    const { client, bucket } = exportImportDatabase();
    const missing = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'nobucket' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: users('tb1') }))).ImportTableDescription!;
    expect(await settledImport(client, missing.ImportArn!)).toMatchObject({ ImportStatus: 'FAILED', FailureCode: 'S3NoSuchBucket' });
    await bucket.put('corrupt/1.json.gz', [utf8('this is not gzip at all')]);
    const corrupt = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'corrupt/' }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: users('tb2') }))).ImportTableDescription!;
    expect((await settledImport(client, corrupt.ImportArn!)).ImportStatus).toBe('FAILED');
    await expect(client.send(new DescribeTableCommand({ TableName: 'tb1' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new DescribeTableCommand({ TableName: 'tb2' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('deletes the table of a failed import once it is ACTIVE when it failed while CREATING', async () => {
    const { client, clock } = exportImportDatabase({}, { tableTransitionMs: 1000 });
    const failed = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'nobucket' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: users('slow') }))).ImportTableDescription!;
    expect(await settledImport(client, failed.ImportArn!)).toMatchObject({ ImportStatus: 'FAILED' });
    expect((await client.send(new DescribeTableCommand({ TableName: 'slow' }))).Table!.TableStatus).toBe('CREATING');
    await clock.advance(1000);
    await clock.advance(1000);
    await expect(client.send(new DescribeTableCommand({ TableName: 'slow' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers the same import for the same ClientToken, ImportConflictException for other parameters', async () => {
    const { client, bucket } = exportImportDatabase();
    await bucket.put('c/1.json', [utf8('{"Item":{"id":{"S":"a"},"n":{"N":"1"}}}')]);
    const request = { ClientToken: 'token-1', S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'c/' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: users() } as const;
    const first = (await client.send(new ImportTableCommand(request))).ImportTableDescription!;
    const again = (await client.send(new ImportTableCommand(request))).ImportTableDescription!;
    expect(again.ImportArn).toBe(first.ImportArn);
    await expect(client.send(new ImportTableCommand({ ...request, InputFormat: 'CSV' }))).rejects.toMatchObject({ name: 'ImportConflictException' });
  });

  it('lists imports with paging and by table; DescribeImport of an unknown ARN throws ImportNotFoundException', async () => {
    const { client, bucket } = exportImportDatabase();
    await bucket.put('p/1.json', [utf8('')]);
    const arns: string[] = [];
    for (const name of ['tb1', 'tb2', 'tb3']) {
      const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'p/' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: users(name) }))).ImportTableDescription!;
      arns.push(started.ImportArn!);
      await settledImport(client, started.ImportArn!);
    }
    const first = await client.send(new ListImportsCommand({ PageSize: 2 }));
    expect(first.ImportSummaryList!.map((s) => s.ImportArn)).toEqual(arns.slice(0, 2));
    const second = await client.send(new ListImportsCommand({ PageSize: 2, NextToken: first.NextToken! }));
    expect(second.ImportSummaryList!.map((s) => s.ImportArn)).toEqual(arns.slice(2));
    expect(second.NextToken).toBeUndefined();
    const tableArn = second.ImportSummaryList![0]!.TableArn!;
    expect((await client.send(new ListImportsCommand({ TableArn: tableArn }))).ImportSummaryList!.map((s) => s.ImportArn)).toEqual([arns[2]]);
    await expect(settledImport(client, `${tableArn}/import/01234567890123-abcdef01`)).rejects.toMatchObject({ name: 'ImportNotFoundException' });
  });

  it('shows the table CREATING and refuses its items and changes until the import ends, as DynamoDB does; then ACTIVE', async () => {
    const bucket = memoryObjectStore();
    await bucket.put('d/1.json', [utf8('{"Item":{"id":{"S":"a"},"n":{"N":"1"}}}\n')]);
    let release!: () => void;
    const opened = new Promise<void>((resolve) => (release = resolve));
    // A store whose objects arrive only when the test says so: the import stays IN_PROGRESS until then.
    const gated: ObjectStore = { ...bucket, async *get(key) { await opened; yield* bucket.get(key); } };
    const { client } = exportImportDatabase({ objectStores: { bucket: gated } });
    const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'd/' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: users() }))).ImportTableDescription!;
    expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.TableStatus).toBe('CREATING');
    const key = { id: { S: 'a' }, n: { N: '1' } };
    await expect(client.send(new GetItemCommand({ TableName: 'users', Key: key }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });
    await expect(client.send(new PutItemCommand({ TableName: started.TableArn!, Item: key }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });
    await expect(client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'users', Item: key } }] }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new DeleteTableCommand({ TableName: 'users' }))).rejects.toMatchObject({ name: 'ResourceInUseException', message: 'Attempt to change a resource which is still in use: Table is being created: users' });
    await expect(client.send(new UpdateTableCommand({ TableName: 'users', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    release();
    expect(await settledImport(client, started.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 1 });
    expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.TableStatus).toBe('ACTIVE');
    expect((await client.send(new GetItemCommand({ TableName: 'users', Key: key }))).Item).toEqual(key);
  });

  it('reports progress after every batch it loads, with the counts DescribeImport answers', async () => {
    const progress: ImportProgress[] = [];
    const { client, bucket } = exportImportDatabase({ onImportProgress: (p) => progress.push(p) });
    const lines = Array.from({ length: 3000 }, (_, i) => `{"Item":{"id":{"S":"u${i}"},"n":{"N":"${i}"}}}`);
    lines[7] = 'not json';
    // Two objects (a memory store answers each as one chunk): at least one batch each.
    await bucket.put('p/1.json', [utf8(`${lines.slice(0, 1000).join('\n')}\n`)]);
    await bucket.put('p/2.json', [utf8(`${lines.slice(1000).join('\n')}\n`)]);
    const started = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: 'p/' }, InputFormat: 'DYNAMODB_JSON', TableCreationParameters: users() }))).ImportTableDescription!;
    const done = await settledImport(client, started.ImportArn!);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.processedItemCount).toBeGreaterThanOrEqual(progress[i - 1]!.processedItemCount);
    expect(progress.at(-1)).toEqual({ importArn: started.ImportArn, tableName: 'users', processedItemCount: 3000, importedItemCount: 2999, errorCount: 1, processedSizeBytes: done.ProcessedSizeBytes });
  });
});
