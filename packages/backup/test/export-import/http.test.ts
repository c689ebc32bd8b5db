import { CreateTableCommand, DynamoDBClient, ExportTableToPointInTimeCommand, ImportTableCommand, PutItemCommand, ScanCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { Database } from '@magneto/core';
import { backup, memoryObjectStore } from '@magneto/backup';
import { startServer } from '@magneto/server';
import { describe, expect, it } from 'vitest';
import { settledExport, settledImport } from './support.js';

describe('export and import over HTTP', () => {
  it('the unchanged SDK exports a table and imports it back through @magneto/server', async () => {
    const bucket = memoryObjectStore();
    const server = await startServer({ port: 0, database: new Database({ modules: [backup({ objectStores: { bucket } })] }) });
    const client = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    try {
      const definition = { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], BillingMode: 'PAY_PER_REQUEST' as const };
      await client.send(new CreateTableCommand({ TableName: 'web', ...definition }));
      await client.send(new UpdateContinuousBackupsCommand({ TableName: 'web', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      const item = { id: { S: 'a' }, b: { B: new Uint8Array([1, 2]) }, n: { N: '-1.5e-10' } };
      await client.send(new PutItemCommand({ TableName: 'web', Item: item }));
      const started = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: 'web', S3Bucket: 'bucket', S3Prefix: 'p' }))).ExportDescription!;
      expect(started.StartTime).toBeInstanceOf(Date);
      const exported = await settledExport(client, started.ExportArn!);
      expect(exported).toMatchObject({ ExportStatus: 'COMPLETED', ItemCount: 1 });
      const id = started.ExportArn!.split('/').pop()!;
      const imported = (await client.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: `p/AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP', TableCreationParameters: { TableName: 'web-copy', ...definition } }))).ImportTableDescription!;
      expect(await settledImport(client, imported.ImportArn!)).toMatchObject({ ImportStatus: 'COMPLETED', ImportedItemCount: 1 });
      expect((await client.send(new ScanCommand({ TableName: 'web-copy' }))).Items).toEqual((await client.send(new ScanCommand({ TableName: 'web' }))).Items);
      await expect(settledImport(client, `${imported.TableArn}/import/01234567890123-abcdef01`)).rejects.toMatchObject({ name: 'ImportNotFoundException', $metadata: { httpStatusCode: 400 } });
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
