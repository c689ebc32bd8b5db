import { DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { Database, ManualClock, createRequestHandler, type DatabaseOptions } from '@magneto/core';
import { backup, type BackupModule, type BackupOptions } from '@magneto/backup';

/** A database with the backup module on a ManualClock, and an SDK client through the in-process handler. */
export function backupDatabase(options: BackupOptions = {}, database: Partial<DatabaseOptions> = {}): { db: Database; clock: ManualClock; module: BackupModule; client: DynamoDBClient } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const module = backup(options);
  const db = new Database({ clock, ...database, modules: [module, ...(database.modules ?? [])] });
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: createRequestHandler(db),
  });
  return { db, clock, module, client };
}

/** A provisioned table keyed by pk/sk with a GSI (gpk) and an LSI (lsk). */
export function indexedTable(TableName: string): CreateTableCommandInput {
  return {
    TableName,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'gpk', AttributeType: 'S' },
      { AttributeName: 'lsk', AttributeType: 'S' },
    ],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
    GlobalSecondaryIndexes: [
      { IndexName: 'byG', KeySchema: [{ AttributeName: 'gpk', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } },
    ],
    LocalSecondaryIndexes: [
      { IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lsk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    ],
  };
}
