/**
 * PartiQL and backup operations under access control: ExecuteStatement, BatchExecuteStatement and
 * ExecuteTransaction authorize each statement as dynamodb:PartiQLSelect/Insert/Update/Delete on its table
 * or index, with LeadingKeys, Attributes, FullTableScan, Select, ReturnValues and EnclosingOperation;
 * DescribeBackup/DeleteBackup/RestoreTableFromBackup name the backup's ARN.
 */
import { describe, expect, it } from 'vitest';
import { AccessDeniedException, accessControl, Database, type PolicyStatement } from '@magneto/core';
import { denied, policy, tableArn, user } from './support.js';

const TABLE = tableArn('items');
const { backup } = (await import(/* @vite-ignore */ '@magneto/backup' as string)) as { backup: () => import('@magneto/core').DatabaseModule };

async function database(statements: PolicyStatement[], modules: import('@magneto/core').DatabaseModule[] = []): Promise<Database> {
  const db = new Database({ modules: [accessControl({ principals: { alice: user('alice', [policy(...statements)]) } }), ...modules] });
  await db.createTable({
    TableName: 'items',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'v', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'byV', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  for (const id of ['alice', 'bob']) await db.putItem({ TableName: 'items', Item: { id: { S: id }, v: { S: `v-${id}` } } });
  return db;
}

async function deniedWith(request: Promise<unknown>, message: string): Promise<void> {
  const error = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccessDeniedException);
  expect((error as Error).message).toBe(message);
}

const ALL_PARTIQL = ['dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'];

describe('PartiQL under access control', () => {
  it.each([
    ['PartiQLSelect', `SELECT * FROM "items" WHERE id = 'alice'`],
    ['PartiQLInsert', `INSERT INTO "items" VALUE {'id': 'carol'}`],
    ['PartiQLUpdate', `UPDATE "items" SET n = 1 WHERE id = 'alice'`],
    ['PartiQLDelete', `DELETE FROM "items" WHERE id = 'alice'`],
  ])('ExecuteStatement › authorizes a statement as dynamodb:%s on its table, and a denied one changes nothing', async (action, Statement) => {
    const db = await database([{ Effect: 'Allow', Action: ALL_PARTIQL.filter((a) => a !== `dynamodb:${action}`), Resource: TABLE }]);
    await deniedWith(db.as('alice').executeStatement({ Statement }), denied('alice', action, TABLE));
    expect((await db.scan({ TableName: 'items' })).Items).toHaveLength(2);
    expect((await db.getItem({ TableName: 'items', Key: { id: { S: 'alice' } } })).Item?.n).toBeUndefined();
    const allowed = await database([{ Effect: 'Allow', Action: `dynamodb:${action}`, Resource: TABLE }]);
    await allowed.as('alice').executeStatement({ Statement });
  });

  it('ExecuteStatement › a SELECT on an index needs dynamodb:PartiQLSelect on the index', async () => {
    const db = await database([{ Effect: 'Allow', Action: 'dynamodb:PartiQLSelect', Resource: TABLE }]);
    await deniedWith(db.as('alice').executeStatement({ Statement: `SELECT * FROM "items"."byV" WHERE v = 'v-bob'` }), denied('alice', 'PartiQLSelect', `${TABLE}/index/byV`));
    const allowed = await database([{ Effect: 'Allow', Action: 'dynamodb:PartiQLSelect', Resource: `${TABLE}/index/*` }]);
    expect((await allowed.as('alice').executeStatement({ Statement: `SELECT * FROM "items"."byV" WHERE v = 'v-bob'` })).Items).toHaveLength(1);
  });

  it('dynamodb:LeadingKeys › holds the partition key values a statement names, literal or parameter', async () => {
    const db = await database([{ Effect: 'Allow', Action: ALL_PARTIQL, Resource: TABLE, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:username}'] } } }]);
    const alice = db.as('alice');
    expect((await alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE id = 'alice'` })).Items).toHaveLength(1);
    expect((await alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE id = ?`, Parameters: [{ S: 'alice' }] })).Items).toHaveLength(1);
    await deniedWith(alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE id = ?`, Parameters: [{ S: 'bob' }] }), denied('alice', 'PartiQLSelect', TABLE));
    await deniedWith(alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE id IN ['alice', 'bob']` }), denied('alice', 'PartiQLSelect', TABLE));
    await deniedWith(alice.executeStatement({ Statement: `INSERT INTO "items" VALUE {'id': 'bob2'}` }), denied('alice', 'PartiQLInsert', TABLE));
    await deniedWith(alice.executeStatement({ Statement: `DELETE FROM "items" WHERE id = 'bob'` }), denied('alice', 'PartiQLDelete', TABLE));
    await alice.executeStatement({ Statement: `UPDATE "items" SET n = 1 WHERE id = 'alice'` });
    expect((await db.getItem({ TableName: 'items', Key: { id: { S: 'bob' } } })).Item).toBeDefined();
  });

  it('dynamodb:FullTableScan › is true for a SELECT whose WHERE does not fix the partition key', async () => {
    const db = await database([
      { Effect: 'Allow', Action: 'dynamodb:PartiQLSelect', Resource: TABLE },
      { Effect: 'Deny', Action: 'dynamodb:PartiQLSelect', Resource: TABLE, Condition: { Bool: { 'dynamodb:FullTableScan': 'true' } } },
    ]);
    const alice = db.as('alice');
    const explicit = 'with an explicit deny in an identity-based policy';
    await deniedWith(alice.executeStatement({ Statement: `SELECT * FROM "items"` }), denied('alice', 'PartiQLSelect', TABLE, explicit));
    await deniedWith(alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE v = 'v-bob'` }), denied('alice', 'PartiQLSelect', TABLE, explicit));
    await deniedWith(alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE id = 'a' OR v = 'b'` }), denied('alice', 'PartiQLSelect', TABLE, explicit));
    await alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE id = 'alice'` });
    await alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE id IN ['alice', 'bob']` });
    await alice.executeStatement({ Statement: `SELECT * FROM "items" WHERE id = 'alice' OR id = 'bob'` });
  });

  it('dynamodb:Attributes and dynamodb:ReturnValues › name what a statement reads and writes', async () => {
    const db = await database([
      { Effect: 'Allow', Action: ALL_PARTIQL, Resource: TABLE, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['id', 'v', 'n'] } } },
      { Effect: 'Deny', Action: 'dynamodb:PartiQLUpdate', Resource: TABLE, Condition: { StringNotEquals: { 'dynamodb:ReturnValues': 'NONE' } } },
    ]);
    const alice = db.as('alice');
    await alice.executeStatement({ Statement: `SELECT id, v FROM "items" WHERE id = 'alice'` });
    await alice.executeStatement({ Statement: `UPDATE "items" SET n = 1 WHERE id = 'alice'` });
    await deniedWith(alice.executeStatement({ Statement: `SELECT secret FROM "items" WHERE id = 'alice'` }), denied('alice', 'PartiQLSelect', TABLE));
    await deniedWith(alice.executeStatement({ Statement: `UPDATE "items" SET secret = 1 WHERE id = 'alice'` }), denied('alice', 'PartiQLUpdate', TABLE));
    await deniedWith(alice.executeStatement({ Statement: `INSERT INTO "items" VALUE {'id': 'c', 'secret': 1}` }), denied('alice', 'PartiQLInsert', TABLE));
    await deniedWith(
      alice.executeStatement({ Statement: `UPDATE "items" SET n = 2 WHERE id = 'alice' RETURNING ALL OLD *` }),
      denied('alice', 'PartiQLUpdate', TABLE, 'with an explicit deny in an identity-based policy'),
    );
  });

  it('dynamodb:EnclosingOperation › is ExecuteTransaction for its statements, absent otherwise', async () => {
    const db = await database([{ Effect: 'Allow', Action: ALL_PARTIQL, Resource: TABLE, Condition: { StringEquals: { 'dynamodb:EnclosingOperation': 'ExecuteTransaction' } } }]);
    const alice = db.as('alice');
    await deniedWith(alice.executeStatement({ Statement: `UPDATE "items" SET n = 1 WHERE id = 'alice'` }), denied('alice', 'PartiQLUpdate', TABLE));
    await alice.executeTransaction({ TransactStatements: [{ Statement: `UPDATE "items" SET n = 1 WHERE id = 'alice'` }, { Statement: `DELETE FROM "items" WHERE id = 'bob'` }] });
    expect((await db.getItem({ TableName: 'items', Key: { id: { S: 'bob' } } })).Item).toBeUndefined();
  });

  it('ExecuteTransaction and BatchExecuteStatement › one denied statement denies the request, which changes nothing', async () => {
    const db = await database([{ Effect: 'Allow', Action: ['dynamodb:PartiQLUpdate', 'dynamodb:PartiQLSelect'], Resource: TABLE }]);
    const alice = db.as('alice');
    const update = { Statement: `UPDATE "items" SET n = 1 WHERE id = 'alice'` };
    const remove = { Statement: `DELETE FROM "items" WHERE id = 'bob'` };
    await deniedWith(alice.executeTransaction({ TransactStatements: [update, remove] }), denied('alice', 'PartiQLDelete', TABLE));
    await deniedWith(alice.batchExecuteStatement({ Statements: [update, remove] }), denied('alice', 'PartiQLDelete', TABLE));
    expect((await db.getItem({ TableName: 'items', Key: { id: { S: 'alice' } } })).Item?.n).toBeUndefined();
    expect((await db.getItem({ TableName: 'items', Key: { id: { S: 'bob' } } })).Item).toBeDefined();
    await alice.batchExecuteStatement({ Statements: [update, { Statement: `UPDATE "items" SET n = 2 WHERE id = 'bob'` }] });
  });
});

describe('backups under access control', () => {
  it('DescribeBackup, DeleteBackup and RestoreTableFromBackup › authorize on the backup ARN; a restore also on its new table', async () => {
    const db = await database([{ Effect: 'Allow', Action: ['dynamodb:DescribeTable'], Resource: '*' }], [backup()]);
    const { BackupDetails } = (await db.execute('DynamoDB_20120810', 'CreateBackup', { TableName: 'items', BackupName: 'nightly' })) as { BackupDetails: { BackupArn: string } };
    const arn = BackupDetails.BackupArn;
    const alice = db.as('alice');
    await deniedWith(alice.execute('DynamoDB_20120810', 'DescribeBackup', { BackupArn: arn }), denied('alice', 'DescribeBackup', arn));
    await deniedWith(alice.execute('DynamoDB_20120810', 'DeleteBackup', { BackupArn: arn }), denied('alice', 'DeleteBackup', arn));
    await deniedWith(alice.execute('DynamoDB_20120810', 'RestoreTableFromBackup', { BackupArn: arn, TargetTableName: 'copy' }), denied('alice', 'RestoreTableFromBackup', arn));

    const restorer = await database([{ Effect: 'Allow', Action: ['dynamodb:RestoreTableFromBackup', 'dynamodb:DescribeBackup'], Resource: '*' }], [backup()]);
    const made = (await restorer.execute('DynamoDB_20120810', 'CreateBackup', { TableName: 'items', BackupName: 'nightly' })) as { BackupDetails: { BackupArn: string } };
    const asRestorer = restorer.as('alice');
    await asRestorer.execute('DynamoDB_20120810', 'DescribeBackup', { BackupArn: made.BackupDetails.BackupArn });
    // Restoring writes the new table's items: the item actions are needed on it too.
    await deniedWith(
      asRestorer.execute('DynamoDB_20120810', 'RestoreTableFromBackup', { BackupArn: made.BackupDetails.BackupArn, TargetTableName: 'copy' }),
      denied('alice', 'BatchWriteItem', tableArn('copy')),
    );
    expect((await restorer.listTables()).TableNames).toEqual(['items']);
  });
});
