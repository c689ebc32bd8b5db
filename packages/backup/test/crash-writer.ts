/**
 * The child process of crash.test.ts: opens the file store in argv[2] (strict durability, small
 * snapshots so kills land before, during and after them) with backup(), fills a source table once, then
 * loops: CreateBackup (printing `B <arn>` once acknowledged) and RestoreTableFromBackup into a new table
 * (printing `R <table>` once acknowledged), while a writer keeps changing the source. It never exits by
 * itself. Run with tsx and the repository's tsconfig paths (see the test).
 */
import { Database, ResourceNotFoundException } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { backup } from '@magneto/backup';

const SOURCE_ITEMS = 500;
const [dir, seedText = '1'] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: crash-writer.ts DIR [SEED]');
const db = new Database({ modules: [backup()], storage: fileStorage(dir, { durability: 'strict', snapshotLogBytes: 256 * 1024, snapshotChunkItems: 200 }) });
await db.open();
// DescribeTable, not ListTables: the rounds' restored tables soon fill ListTables' first page of 100 names.
const sourceExists = await db.describeTable({ TableName: 'source' }).then(
  () => true,
  (error: unknown) => {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  },
);
if (!sourceExists) {
  await db.createTable({ TableName: 'source', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  for (let i = 0; i < SOURCE_ITEMS; i += 25) {
    await db.batchWriteItem({ RequestItems: { source: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: { S: `i${i + j}` }, pad: { S: 'x'.repeat(50) } } } })) } });
  }
}
process.stdout.write('ready\n');
const DDB = 'DynamoDB_20120810' as const;
let n = 0;
const writer = async (): Promise<never> => {
  for (let i = 0; ; i++) await db.putItem({ TableName: 'source', Item: { id: { S: `i${i % SOURCE_ITEMS}` }, pad: { S: `${seedText}-${i}` } } });
};
const backups = async (): Promise<never> => {
  for (;;) {
    const { BackupDetails } = (await db.execute(DDB, 'CreateBackup', { TableName: 'source', BackupName: `backup-${seedText}-${n}` })) as { BackupDetails: { BackupArn: string } };
    process.stdout.write(`B ${BackupDetails.BackupArn}\n`);
    const target = `restored-${seedText}-${n++}`;
    await db.execute(DDB, 'RestoreTableFromBackup', { TargetTableName: target, BackupArn: BackupDetails.BackupArn });
    process.stdout.write(`R ${target}\n`);
  }
};
await Promise.all([writer(), backups()]);
