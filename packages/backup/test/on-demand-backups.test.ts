import {
  CreateBackupCommand,
  CreateTableCommand,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  ListBackupsCommand,
  PutItemCommand,
  QueryCommand,
  RestoreTableFromBackupCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { capacity } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { backupDatabase, indexedTable } from './support/sdk.js';

const item = (pk: string, sk: number, g: string) => ({ pk: { S: pk }, sk: { N: String(sk) }, gpk: { S: g }, lsk: { S: `l${sk}` }, v: { S: `${pk}${sk}` } });

describe('CreateBackup › RestoreTableFromBackup', () => {
  it('restores exactly the items of the backup instant into a new table, indexes and definition included', async () => {
    const { client, clock } = backupDatabase();
    await client.send(new CreateTableCommand(indexedTable('orders')));
    for (let i = 0; i < 20; i++) await client.send(new PutItemCommand({ TableName: 'orders', Item: item(`p${i % 3}`, i, `g${i % 2}`) }));
    const { BackupDetails } = await client.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'nightly' }));
    expect(BackupDetails).toMatchObject({ BackupName: 'nightly', BackupStatus: 'AVAILABLE', BackupType: 'USER' });
    expect(BackupDetails!.BackupArn).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/orders\/backup\/\d{14}-[0-9a-f]{8}$/);
    expect(BackupDetails!.BackupSizeBytes).toBeGreaterThan(0);
    // Writes after the backup are not in it.
    await clock.advance(5000);
    await client.send(new PutItemCommand({ TableName: 'orders', Item: item('late', 1, 'g0') }));

    const { TableDescription } = await client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'orders-restored', BackupArn: BackupDetails!.BackupArn }));
    expect(TableDescription).toMatchObject({
      TableName: 'orders-restored',
      ItemCount: 20,
      BillingModeSummary: { BillingMode: 'PROVISIONED' },
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
      RestoreSummary: { SourceBackupArn: BackupDetails!.BackupArn, RestoreInProgress: false },
    });
    expect(TableDescription!.RestoreSummary!.RestoreDateTime).toEqual(BackupDetails!.BackupCreationDateTime);
    expect(TableDescription!.GlobalSecondaryIndexes![0]).toMatchObject({ IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 }, ItemCount: 20 });
    expect(TableDescription!.LocalSecondaryIndexes![0]).toMatchObject({ IndexName: 'byL', Projection: { ProjectionType: 'KEYS_ONLY' } });

    const scan = async (TableName: string) => (await client.send(new ScanCommand({ TableName }))).Items!;
    const source = (await scan('orders')).filter((i) => i.pk!.S !== 'late');
    expect(await scan('orders-restored')).toEqual(source);
    const g1 = await client.send(new QueryCommand({ TableName: 'orders-restored', IndexName: 'byG', KeyConditionExpression: 'gpk = :g', ExpressionAttributeValues: { ':g': { S: 'g1' } } }));
    expect(g1.Count).toBe(10);
  });

  it('applies overrides: on-demand billing and a subset of the GSIs', async () => {
    const { client } = backupDatabase();
    await client.send(new CreateTableCommand(indexedTable('src')));
    await client.send(new PutItemCommand({ TableName: 'src', Item: item('a', 1, 'g') }));
    const arn = (await client.send(new CreateBackupCommand({ TableName: 'src', BackupName: 'bk1' }))).BackupDetails!.BackupArn!;
    const { TableDescription } = await client.send(
      new RestoreTableFromBackupCommand({ TargetTableName: 'dst', BackupArn: arn, BillingModeOverride: 'PAY_PER_REQUEST', GlobalSecondaryIndexOverride: [] }),
    );
    expect(TableDescription!.BillingModeSummary!.BillingMode).toBe('PAY_PER_REQUEST');
    expect(TableDescription!.GlobalSecondaryIndexes).toBeUndefined();
    expect(TableDescription!.AttributeDefinitions!.map((d) => d.AttributeName).sort()).toEqual(['lsk', 'pk', 'sk']);
  });

  it('carries an on-demand table\'s OnDemandThroughput over, or OnDemandThroughputOverride instead', async () => {
    const { client } = backupDatabase({}, { modules: [capacity()] });
    const definition = indexedTable('odsrc');
    const GlobalSecondaryIndexes = definition.GlobalSecondaryIndexes!.map(({ ProvisionedThroughput: _throughput, ...index }) => index);
    await client.send(new CreateTableCommand({ ...definition, BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: undefined, GlobalSecondaryIndexes, OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 40 } }));
    const arn = (await client.send(new CreateBackupCommand({ TableName: 'odsrc', BackupName: 'odb' }))).BackupDetails!.BackupArn!;
    const carried = await client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'odone', BackupArn: arn }));
    expect(carried.TableDescription!.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 100, MaxWriteRequestUnits: 40 });
    const overridden = await client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'odtwo', BackupArn: arn, OnDemandThroughputOverride: { MaxReadRequestUnits: 7, MaxWriteRequestUnits: 5 } }));
    expect(overridden.TableDescription!.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 7, MaxWriteRequestUnits: 5 });
    expect((await client.send(new DescribeTableCommand({ TableName: 'odtwo' }))).Table!.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 7, MaxWriteRequestUnits: 5 });
  });

  it('applies SSESpecificationOverride as DynamoDB describes it: a KMS key in SSEDescription, carried to restores of the restored table', async () => {
    const { client } = backupDatabase();
    await client.send(new CreateTableCommand(indexedTable('plain')));
    const arn = (await client.send(new CreateBackupCommand({ TableName: 'plain', BackupName: 'sse' }))).BackupDetails!.BackupArn!;
    const restore = async (TargetTableName: string, SSESpecificationOverride?: { Enabled?: boolean; SSEType?: 'KMS'; KMSMasterKeyId?: string }, BackupArn = arn) =>
      (await client.send(new RestoreTableFromBackupCommand({ TargetTableName, BackupArn, ...(SSESpecificationOverride === undefined ? {} : { SSESpecificationOverride }) }))).TableDescription!;
    // The source uses an AWS owned key: DynamoDB describes no SSEDescription, and neither does a plain restore.
    expect((await restore('copy')).SSEDescription).toBeUndefined();
    expect((await restore('owned', { Enabled: false })).SSEDescription).toBeUndefined();
    expect((await restore('managed', { Enabled: true })).SSEDescription).toEqual({
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: expect.stringMatching(/^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    });
    const keyed = await restore('keyed', { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' });
    expect(keyed.SSEDescription).toEqual({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: keyed.TableArn!.replace(/dynamodb(:[^:]+:\d{12}:).*/, 'kms$1key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    expect((await client.send(new DescribeTableCommand({ TableName: 'keyed' }))).Table!.SSEDescription).toEqual(keyed.SSEDescription);
    // A backup of the encrypted table says so, and its restores keep the key unless overridden.
    const again = (await client.send(new CreateBackupCommand({ TableName: 'keyed', BackupName: 'sse2' }))).BackupDetails!.BackupArn!;
    expect((await client.send(new DescribeBackupCommand({ BackupArn: again }))).BackupDescription!.SourceTableFeatureDetails!.SSEDescription).toEqual(keyed.SSEDescription);
    expect((await restore('keyed-copy', undefined, again)).SSEDescription).toEqual(keyed.SSEDescription);
    expect((await restore('keyed-owned', { Enabled: false }, again)).SSEDescription).toBeUndefined();
  });

  it('reports CREATING while the table settles, then ACTIVE with RestoreInProgress false', async () => {
    const { client, clock, module } = backupDatabase({}, { tableTransitionMs: 1000 });
    await client.send(new CreateTableCommand(indexedTable('ttt')));
    await clock.advance(1000);
    const arn = (await client.send(new CreateBackupCommand({ TableName: 'ttt', BackupName: 'bbb' }))).BackupDetails!.BackupArn!;
    expect((await client.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription!.BackupDetails!.BackupStatus).toBe('CREATING');
    await clock.advance(1000);
    expect((await client.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription!.BackupDetails!.BackupStatus).toBe('AVAILABLE');
    const progress: number[] = [];
    module.onRestoreProgress((p) => progress.push(p.itemsDone));
    const restored = await client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'rrr', BackupArn: arn }));
    expect(restored.TableDescription).toMatchObject({ TableStatus: 'CREATING', RestoreSummary: { RestoreInProgress: true } });
    expect(progress).toEqual([0, 0]);
    const done = module.whenRestored('rrr');
    await clock.advance(1000);
    await done;
    expect((await client.send(new DescribeTableCommand({ TableName: 'rrr' }))).Table).toMatchObject({ TableStatus: 'ACTIVE', RestoreSummary: { RestoreInProgress: false } });
  });
});

describe('DescribeBackup › ListBackups › DeleteBackup', () => {
  it('describes the source table and its features, lists with filters and pages, and deletes', async () => {
    const { client, clock } = backupDatabase();
    await client.send(new CreateTableCommand(indexedTable('aaa')));
    await client.send(new CreateTableCommand({ ...indexedTable('bbb') }));
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      arns.push((await client.send(new CreateBackupCommand({ TableName: i % 2 === 0 ? 'aaa' : 'bbb', BackupName: `bk${i}` }))).BackupDetails!.BackupArn!);
      await clock.advance(1000);
    }
    const { BackupDescription } = await client.send(new DescribeBackupCommand({ BackupArn: arns[0] }));
    expect(BackupDescription!.SourceTableDetails).toMatchObject({ TableName: 'aaa', ItemCount: 0, KeySchema: indexedTable('aaa').KeySchema, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 } });
    expect(BackupDescription!.SourceTableFeatureDetails!.GlobalSecondaryIndexes![0]!.IndexName).toBe('byG');
    expect(BackupDescription!.SourceTableFeatureDetails!.LocalSecondaryIndexes![0]!.IndexName).toBe('byL');

    const all = await client.send(new ListBackupsCommand({}));
    expect(all.BackupSummaries!.map((s) => s.BackupArn)).toEqual(arns);
    expect((await client.send(new ListBackupsCommand({ TableName: 'bbb' }))).BackupSummaries!.map((s) => s.BackupName)).toEqual(['bk1', 'bk3']);
    const start = new Date(Date.UTC(2026, 0, 1) + 1000);
    const ranged = await client.send(new ListBackupsCommand({ TimeRangeLowerBound: start, TimeRangeUpperBound: new Date(start.getTime() + 2000) }));
    expect(ranged.BackupSummaries!.map((s) => s.BackupName)).toEqual(['bk1', 'bk2']);
    expect((await client.send(new ListBackupsCommand({ BackupType: 'SYSTEM' }))).BackupSummaries).toEqual([]);

    const page1 = await client.send(new ListBackupsCommand({ Limit: 2 }));
    expect(page1.BackupSummaries!.map((s) => s.BackupName)).toEqual(['bk0', 'bk1']);
    const page2 = await client.send(new ListBackupsCommand({ Limit: 2, ExclusiveStartBackupArn: page1.LastEvaluatedBackupArn }));
    expect(page2.BackupSummaries!.map((s) => s.BackupName)).toEqual(['bk2', 'bk3']);
    const page3 = await client.send(new ListBackupsCommand({ Limit: 2, ExclusiveStartBackupArn: page2.LastEvaluatedBackupArn }));
    expect(page3.BackupSummaries!.map((s) => s.BackupName)).toEqual(['bk4']);
    expect(page3.LastEvaluatedBackupArn).toBeUndefined();

    const deleted = await client.send(new DeleteBackupCommand({ BackupArn: arns[1] }));
    expect(deleted.BackupDescription!.BackupDetails!.BackupStatus).toBe('DELETED');
    await expect(client.send(new DescribeBackupCommand({ BackupArn: arns[1] }))).rejects.toMatchObject({ name: 'BackupNotFoundException', message: `Backup not found: ${arns[1]}` });
  });

  it('a backup outlives its table and restores after it is deleted', async () => {
    const { client } = backupDatabase();
    await client.send(new CreateTableCommand(indexedTable('gone')));
    await client.send(new PutItemCommand({ TableName: 'gone', Item: item('a', 1, 'g') }));
    const arn = (await client.send(new CreateBackupCommand({ TableName: 'gone', BackupName: 'last' }))).BackupDetails!.BackupArn!;
    await client.send(new DeleteTableCommand({ TableName: 'gone' }));
    await client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'gone', BackupArn: arn }));
    expect((await client.send(new ScanCommand({ TableName: 'gone' }))).Items).toEqual([item('a', 1, 'g')]);
  });
});

describe('backups › bad input', () => {
  it('answers DynamoDB exceptions and leaves no table behind', async () => {
    const { client } = backupDatabase();
    await client.send(new CreateTableCommand(indexedTable('ttt')));
    await expect(client.send(new CreateBackupCommand({ TableName: 'missing', BackupName: 'bbb' }))).rejects.toMatchObject({ name: 'TableNotFoundException', message: 'Table not found: missing' });
    await expect(client.send(new CreateBackupCommand({ TableName: 'ttt', BackupName: 'x' }))).rejects.toMatchObject({ name: 'ValidationException' });
    const missingArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/ttt/backup/01767225600000-00000000';
    await expect(client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'nnn', BackupArn: missingArn }))).rejects.toMatchObject({ name: 'BackupNotFoundException' });
    const arn = (await client.send(new CreateBackupCommand({ TableName: 'ttt', BackupName: 'bbb' }))).BackupDetails!.BackupArn!;
    await expect(client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'ttt', BackupArn: arn }))).rejects.toMatchObject({ name: 'TableAlreadyExistsException', message: 'Table already exists: ttt' });
    // An override CreateTable refuses: nothing is created.
    await expect(
      client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'nnn', BackupArn: arn, BillingModeOverride: 'PROVISIONED', ProvisionedThroughputOverride: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 } })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new DescribeTableCommand({ TableName: 'nnn' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
