/**
 * Every DynamoDB operation through the unchanged SDK, in-process and over the server in strict SigV4
 * mode: a principal no policy allows gets AccessDeniedException with AWS's exact message (HTTP 400,
 * `__type` AccessDeniedException) and the database is unchanged; a principal allowed `dynamodb:*` succeeds.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteResourcePolicyCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  GetResourcePolicyCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  PutResourcePolicyCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UntagResourceCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Database } from '@magneto/core';
import { expectSdkError, hashTable, TRANSPORTS } from '../support/sdk.js';
import { accessControlled, denied, policy, tableArn, user } from './support.js';

const TABLE = tableArn('items');
const KEY = { id: { S: 'a' } };
const RESOURCE_POLICY = JSON.stringify(policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/admin' }, Action: 'dynamodb:GetItem', Resource: TABLE }));

/** [operation, its command, the resource a denial names]. */
const OPERATIONS: ReadonlyArray<[string, () => object, string]> = [
  ['CreateTable', () => new CreateTableCommand(hashTable('fresh')), tableArn('fresh')],
  ['DescribeTable', () => new DescribeTableCommand({ TableName: 'items' }), TABLE],
  ['ListTables', () => new ListTablesCommand({}), tableArn('*')],
  ['UpdateTable', () => new UpdateTableCommand({ TableName: 'items', DeletionProtectionEnabled: true }), TABLE],
  ['DeleteTable', () => new DeleteTableCommand({ TableName: 'items' }), TABLE],
  ['PutItem', () => new PutItemCommand({ TableName: 'items', Item: { id: { S: 'b' } } }), TABLE],
  ['GetItem', () => new GetItemCommand({ TableName: 'items', Key: KEY }), TABLE],
  ['UpdateItem', () => new UpdateItemCommand({ TableName: 'items', Key: KEY, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }), TABLE],
  ['DeleteItem', () => new DeleteItemCommand({ TableName: 'items', Key: KEY }), TABLE],
  ['Query', () => new QueryCommand({ TableName: 'items', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } }), TABLE],
  ['Scan', () => new ScanCommand({ TableName: 'items' }), TABLE],
  ['BatchGetItem', () => new BatchGetItemCommand({ RequestItems: { items: { Keys: [KEY] } } }), TABLE],
  ['BatchWriteItem', () => new BatchWriteItemCommand({ RequestItems: { items: [{ PutRequest: { Item: { id: { S: 'c' } } } }] } }), TABLE],
  ['TransactWriteItems', () => new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'items', Item: { id: { S: 'd' } } } }] }), TABLE],
  ['TransactGetItems', () => new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'items', Key: KEY } }] }), TABLE],
  ['TagResource', () => new TagResourceCommand({ ResourceArn: TABLE, Tags: [{ Key: 'k', Value: 'v' }] }), TABLE],
  ['UntagResource', () => new UntagResourceCommand({ ResourceArn: TABLE, TagKeys: ['team'] }), TABLE],
  ['ListTagsOfResource', () => new ListTagsOfResourceCommand({ ResourceArn: TABLE }), TABLE],
  ['PutResourcePolicy', () => new PutResourcePolicyCommand({ ResourceArn: TABLE, Policy: RESOURCE_POLICY }), TABLE],
  ['GetResourcePolicy', () => new GetResourcePolicyCommand({ ResourceArn: TABLE }), TABLE],
  ['DeleteResourcePolicy', () => new DeleteResourcePolicyCommand({ ResourceArn: TABLE }), TABLE],
];
/** What the denied action is named when it is not the operation (a transaction's item actions). */
const ACTION: Readonly<Record<string, string>> = { TransactWriteItems: 'PutItem', TransactGetItems: 'GetItem' };

const PRINCIPALS = {
  admin: user('admin', [policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' })]),
  nobody: user('nobody', [policy({ Effect: 'Allow', Action: 'dynamodb:DescribeLimits', Resource: '*' })]),
};

/** What a denied request must not have changed. */
async function state(db: Database): Promise<unknown> {
  const { TableNames } = await db.listTables();
  const items = await db.scan({ TableName: 'items' });
  const tags = await db.listTagsOfResource({ ResourceArn: TABLE });
  const table = await db.describeTable({ TableName: 'items' });
  const resourcePolicy = await db.execute('DynamoDB_20120810', 'GetResourcePolicy', { ResourceArn: TABLE });
  return { TableNames, items: items.Items, tags, protection: table.Table.DeletionProtectionEnabled, resourcePolicy };
}

for (const transport of TRANSPORTS) {
  describe(`access control over ${transport}`, () => {
    const setup = accessControlled(transport);
    async function fixture() {
      const fixture = await setup({ principals: PRINCIPALS });
      const { db } = fixture;
      await db.createTable({ ...(hashTable('items') as Parameters<Database['createTable']>[0]), Tags: [{ Key: 'team', Value: 'core' }] });
      await db.putItem({ TableName: 'items', Item: { ...KEY, v: { N: '1' } } });
      await db.execute('DynamoDB_20120810', 'PutResourcePolicy', { ResourceArn: TABLE, Policy: RESOURCE_POLICY });
      return fixture;
    }

    for (const [operation, command, resource] of OPERATIONS) {
      it(`${operation} › throws AccessDeniedException for a principal no policy allows, and changes nothing`, async () => {
        const { db, clientOf } = await fixture();
        const before = await state(db);
        const error = await expectSdkError(clientOf('nobody').send(command() as never), {
          name: 'AccessDeniedException',
          message: denied('nobody', ACTION[operation] ?? operation, resource),
        });
        expect(error.$response?.statusCode ?? error.$metadata.httpStatusCode).toBe(400);
        expect(await state(db)).toEqual(before);
      });

      it(`${operation} › runs for a principal allowed dynamodb:*`, async () => {
        const { clientOf } = await fixture();
        await expect(clientOf('admin').send(command() as never)).resolves.toBeDefined();
      });
    }

    it('throws UnrecognizedClientException for an access key no principal has', async () => {
      const { clientOf } = await fixture();
      await expectSdkError(clientOf('stranger').send(new GetItemCommand({ TableName: 'items', Key: KEY })), {
        name: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
      });
    });
  });
}
