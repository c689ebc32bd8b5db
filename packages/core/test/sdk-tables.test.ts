/**
 * The table operations through the real AWS SDK v3, as a user's unchanged SDK code sees them:
 * the SDK's own exception classes, DynamoDB's messages and HTTP statuses, and complete TableDescriptions.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createRequestHandler, Database, ManualClock } from '@magneto/core';
import { expectSdkError, hashTable, ITEM_TABLE_NOT_FOUND, provisioned, describeTransports, tableNotFound } from './support/sdk.js';

const START = Date.UTC(2024, 0, 1);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeTransports((sdkClient) => {
  describe('CreateTable', () => {
    it('answers a complete TableDescription with the ARN of the configured region and account', async () => {
      const clock = new ManualClock(START);
      const { client } = await sdkClient({ clock, region: 'eu-west-3', accountId: '123456789012' });
      const { TableDescription: d } = await client.send(new CreateTableCommand(provisioned('orders', 3, 7)));
      expect(d).toMatchObject({
        TableName: 'orders',
        // CreateTable always answers CREATING, even when the table settles at once
        TableStatus: 'CREATING',
        TableArn: 'arn:aws:dynamodb:eu-west-3:123456789012:table/orders',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        ItemCount: 0,
        TableSizeBytes: 0,
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 3, WriteCapacityUnits: 7 },
        BillingModeSummary: { BillingMode: 'PROVISIONED' },
        TableClassSummary: { TableClass: 'STANDARD' },
        DeletionProtectionEnabled: false,
      });
      expect(d!.TableId).toMatch(UUID);
      expect(d!.CreationDateTime).toBeInstanceOf(Date);
      expect(d!.CreationDateTime!.getTime()).toBe(START);
    });

    it('gives an on-demand table zero throughput and the time it became PAY_PER_REQUEST', async () => {
      const clock = new ManualClock(START);
      const { client } = await sdkClient({ clock });
      const { TableDescription: d } = await client.send(
        new CreateTableCommand(hashTable('users', { TableClass: 'STANDARD_INFREQUENT_ACCESS', DeletionProtectionEnabled: true })),
      );
      expect(d!.TableArn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/users');
      expect(d!.ProvisionedThroughput).toEqual({ NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
      expect(d!.BillingModeSummary).toEqual({ BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date(START) });
      expect(d!.TableClassSummary).toEqual({ TableClass: 'STANDARD_INFREQUENT_ACCESS' });
      expect(d!.DeletionProtectionEnabled).toBe(true);
    });

    it('gives every table its own TableId', async () => {
      const { client } = await sdkClient();
      const a = await client.send(new CreateTableCommand(hashTable('aaa')));
      const b = await client.send(new CreateTableCommand(hashTable('bbb')));
      expect(a.TableDescription!.TableId).not.toBe(b.TableDescription!.TableId);
    });

    it('refuses an existing table name with ResourceInUseException', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('users')));
      await expectSdkError(client.send(new CreateTableCommand(hashTable('users'))), {
        type: ResourceInUseException,
        name: 'ResourceInUseException',
        message: 'Table already exists: users',
      });
    });

    it('refuses a table name shorter than 3 characters with a ValidationException', async () => {
      const { client } = await sdkClient();
      // Coral's wording, as DynamoDB answers today (docs/FIDELITY.md; dynalite recorded "TableName must be at least 3 …").
      const error = await expectSdkError(client.send(new CreateTableCommand(hashTable('ab'))), {
        name: 'ValidationException',
        message: "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      });
      expect(error).not.toBeInstanceOf(ResourceInUseException);
    });
  });

  describe('DescribeTable', () => {
    it('reports the ItemCount and TableSizeBytes of the stored items', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('users')));
      await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'a' }, n: { N: '1' } } }));
      await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'bb' }, s: { S: 'xyz' } } }));
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'users' }));
      expect(Table!.ItemCount).toBe(2);
      // id+'a' (3) + n+1 (1+2) = 6; id+'bb' (4) + s+'xyz' (1+3) = 8
      expect(Table!.TableSizeBytes).toBe(14);
      expect(Table!.TableStatus).toBe('ACTIVE');
    });

    it('answers ResourceNotFoundException naming the missing table', async () => {
      const { client } = await sdkClient();
      await expectSdkError(client.send(new DescribeTableCommand({ TableName: 'nope' })), tableNotFound('nope'));
    });

    it('refuses a table name shorter than 3 characters with a ValidationException', async () => {
      const { client } = await sdkClient();
      await expectSdkError(client.send(new DescribeTableCommand({ TableName: 'ab' })), {
        name: 'ValidationException',
        message: "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      });
    });
  });

  describe('table lifecycle', () => {
    /** Creates table `users` on a database whose tables take 1000 ms of its manual clock to settle. */
    async function createUsersTable() {
      const clock = new ManualClock(START);
      const { client } = await sdkClient({ clock, tableTransitionMs: 1000 });
      const created = await client.send(new CreateTableCommand(hashTable('users')));
      return { clock, client, created };
    }

    it('is CREATING until tableTransitionMs has passed on the clock, then ACTIVE', async () => {
      const { clock, client, created } = await createUsersTable();
      expect(created.TableDescription!.TableStatus).toBe('CREATING');
      await clock.advance(999);
      expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.TableStatus).toBe('CREATING');
      await clock.advance(1);
      expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.TableStatus).toBe('ACTIVE');
    });

    it('refuses item operations while the table is CREATING with ResourceNotFoundException', async () => {
      const { clock, client } = await createUsersTable();
      await expectSdkError(client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: '1' } } })), ITEM_TABLE_NOT_FOUND);
      await expectSdkError(client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: '1' } } })), ITEM_TABLE_NOT_FOUND);
      await clock.advance(1000);
      await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: '1' } } }));
      expect((await client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: '1' } } }))).Item).toEqual({
        id: { S: '1' },
      });
    });

    it('refuses to delete or update a table that is still being created', async () => {
      const { client } = await createUsersTable();
      const inUse = {
        type: ResourceInUseException,
        name: 'ResourceInUseException',
        message: 'Attempt to change a resource which is still in use: Table is being created: users',
      };
      await expectSdkError(client.send(new DeleteTableCommand({ TableName: 'users' })), inUse);
      await expectSdkError(client.send(new UpdateTableCommand({ TableName: 'users', DeletionProtectionEnabled: true })), inUse);
    });

    it('serves items while the table is UPDATING and refuses another change until it settles', async () => {
      const { clock, client } = await createUsersTable();
      await clock.advance(1000);
      const updated = await client.send(new UpdateTableCommand({ TableName: 'users', TableClass: 'STANDARD_INFREQUENT_ACCESS' }));
      expect(updated.TableDescription!.TableStatus).toBe('UPDATING');
      await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: '1' } } }));
      expect((await client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: '1' } } }))).Item).toBeDefined();
      await expectSdkError(client.send(new DeleteTableCommand({ TableName: 'users' })), {
        type: ResourceInUseException,
        name: 'ResourceInUseException',
        message: 'Attempt to change a resource which is still in use: Table is being updated: users',
      });
      await clock.advance(1000);
      expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.TableStatus).toBe('ACTIVE');
    });

    it('is DELETING until tableTransitionMs has passed, then gone', async () => {
      const { clock, client } = await createUsersTable();
      await clock.advance(1000);
      const deleted = await client.send(new DeleteTableCommand({ TableName: 'users' }));
      expect(deleted.TableDescription!.TableStatus).toBe('DELETING');
      expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.TableStatus).toBe('DELETING');
      await expectSdkError(client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: '1' } } })), ITEM_TABLE_NOT_FOUND);
      // DeleteTable on a table already DELETING is answered without error.
      const again = await client.send(new DeleteTableCommand({ TableName: 'users' }));
      expect(again.TableDescription!.TableStatus).toBe('DELETING');
      await clock.advance(1000);
      await expectSdkError(client.send(new DescribeTableCommand({ TableName: 'users' })), tableNotFound('users'));
      expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    });
  });

  describe('DeleteTable', () => {
    it('answers the table as DELETING, and removes it and its items', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('users')));
      await client.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: '1' } } }));
      const { TableDescription } = await client.send(new DeleteTableCommand({ TableName: 'users' }));
      expect(TableDescription).toMatchObject({ TableName: 'users', TableStatus: 'DELETING', ItemCount: 1 });
      await client.send(new CreateTableCommand(hashTable('users')));
      expect((await client.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: '1' } } }))).Item).toBeUndefined();
    });

    it('answers ResourceNotFoundException naming the missing table', async () => {
      const { client } = await sdkClient();
      await expectSdkError(client.send(new DeleteTableCommand({ TableName: 'nope' })), tableNotFound('nope'));
    });

    it('refuses a table with deletion protection until it is disabled', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('users', { DeletionProtectionEnabled: true })));
      await expectSdkError(client.send(new DeleteTableCommand({ TableName: 'users' })), {
        name: 'ValidationException',
        message: 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
      });
      expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.TableStatus).toBe('ACTIVE');
      await client.send(new UpdateTableCommand({ TableName: 'users', DeletionProtectionEnabled: false }));
      const { TableDescription } = await client.send(new DeleteTableCommand({ TableName: 'users' }));
      expect(TableDescription!.TableStatus).toBe('DELETING');
    });
  });

  describe('UpdateTable', () => {
    it('switches PROVISIONED to PAY_PER_REQUEST, zeroing throughput and stamping the switch', async () => {
      const clock = new ManualClock(START);
      const { client } = await sdkClient({ clock });
      await client.send(new CreateTableCommand(provisioned('orders')));
      await clock.advance(60_000);
      const { TableDescription: d } = await client.send(new UpdateTableCommand({ TableName: 'orders', BillingMode: 'PAY_PER_REQUEST' }));
      expect(d!.TableStatus).toBe('UPDATING');
      expect(d!.BillingModeSummary).toEqual({
        BillingMode: 'PAY_PER_REQUEST',
        LastUpdateToPayPerRequestDateTime: new Date(START + 60_000),
      });
      expect(d!.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    });

    it('switches PAY_PER_REQUEST to PROVISIONED with the given throughput', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('users')));
      const { TableDescription: d } = await client.send(
        new UpdateTableCommand({
          TableName: 'users',
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 2 },
        }),
      );
      expect(d!.BillingModeSummary!.BillingMode).toBe('PROVISIONED');
      expect(d!.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 4, WriteCapacityUnits: 2 });
    });

    it('records throughput increases and decreases with their times', async () => {
      const clock = new ManualClock(START);
      const { client } = await sdkClient({ clock });
      await client.send(new CreateTableCommand(provisioned('orders', 5, 5)));
      await clock.advance(1000);
      const up = await client.send(
        new UpdateTableCommand({ TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 } }),
      );
      expect(up.TableDescription!.ProvisionedThroughput!.LastIncreaseDateTime).toEqual(new Date(START + 1000));
      await clock.advance(1000);
      await client.send(
        new UpdateTableCommand({ TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }),
      );
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'orders' }));
      expect(Table!.ProvisionedThroughput).toEqual({
        LastIncreaseDateTime: new Date(START + 1000),
        LastDecreaseDateTime: new Date(START + 2000),
        NumberOfDecreasesToday: 1,
        ReadCapacityUnits: 2,
        WriteCapacityUnits: 2,
      });
    });

    it('changes the table class and deletion protection', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('users')));
      await client.send(
        new UpdateTableCommand({ TableName: 'users', TableClass: 'STANDARD_INFREQUENT_ACCESS', DeletionProtectionEnabled: true }),
      );
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'users' }));
      expect(Table!.TableClassSummary).toEqual({ TableClass: 'STANDARD_INFREQUENT_ACCESS' });
      expect(Table!.DeletionProtectionEnabled).toBe(true);
    });

    it('refuses a throughput equal to the current one', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(provisioned('orders', 5, 6)));
      await expectSdkError(
        client.send(new UpdateTableCommand({ TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 } })),
        {
          name: 'ValidationException',
          message:
            'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
            'Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. ' +
            'Current WriteCapacityUnits provisioned for the table: 6. Requested WriteCapacityUnits: 6. ' +
            'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
        },
      );
    });

    it('refuses throughput on a PAY_PER_REQUEST table', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('users')));
      await expectSdkError(
        client.send(new UpdateTableCommand({ TableName: 'users', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })),
        {
          name: 'ValidationException',
          message:
            'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
        },
      );
    });

    it('refuses a switch to PROVISIONED without throughput', async () => {
      const { client } = await sdkClient();
      await client.send(new CreateTableCommand(hashTable('users')));
      await expectSdkError(client.send(new UpdateTableCommand({ TableName: 'users', BillingMode: 'PROVISIONED' })), {
        name: 'ValidationException',
        message: 'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED',
      });
    });

    it('answers ResourceNotFoundException naming the missing table', async () => {
      const { client } = await sdkClient();
      await expectSdkError(client.send(new UpdateTableCommand({ TableName: 'nope', DeletionProtectionEnabled: true })), tableNotFound('nope'));
    });
  });

  describe('ListTables', () => {
    async function withTables(names: string[]): Promise<DynamoDBClient> {
      const { client } = await sdkClient();
      for (const name of names) await client.send(new CreateTableCommand(hashTable(name)));
      return client;
    }

    it('lists every table name in ascending order, without LastEvaluatedTableName when the page is not full', async () => {
      const client = await withTables(['ccc', 'aaa', 'bbb']);
      const out = await client.send(new ListTablesCommand({}));
      expect(out.TableNames).toEqual(['aaa', 'bbb', 'ccc']);
      expect(out.LastEvaluatedTableName).toBeUndefined();
    });

    it('pages with Limit, ExclusiveStartTableName and LastEvaluatedTableName', async () => {
      const client = await withTables(['t-1', 't-2', 't-3', 't-4', 't-5']);
      const first = await client.send(new ListTablesCommand({ Limit: 2 }));
      expect(first).toMatchObject({ TableNames: ['t-1', 't-2'], LastEvaluatedTableName: 't-2' });
      const second = await client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: first.LastEvaluatedTableName }));
      expect(second).toMatchObject({ TableNames: ['t-3', 't-4'], LastEvaluatedTableName: 't-4' });
      const third = await client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 't-4' }));
      expect(third.TableNames).toEqual(['t-5']);
      expect(third.LastEvaluatedTableName).toBeUndefined();
    });

    it('starts after an ExclusiveStartTableName that names no table', async () => {
      const client = await withTables(['aaa', 'ccc']);
      expect((await client.send(new ListTablesCommand({ ExclusiveStartTableName: 'bbb' }))).TableNames).toEqual(['ccc']);
    });

    it('names the last table of an exactly full page, then answers an empty page', async () => {
      const client = await withTables(['aaa', 'bbb']);
      const full = await client.send(new ListTablesCommand({ Limit: 2 }));
      expect(full).toMatchObject({ TableNames: ['aaa', 'bbb'], LastEvaluatedTableName: 'bbb' });
      const rest = await client.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'bbb' }));
      expect(rest.TableNames).toEqual([]);
      expect(rest.LastEvaluatedTableName).toBeUndefined();
    });

    it('refuses a Limit above 100', async () => {
      const client = await withTables([]);
      await expectSdkError(client.send(new ListTablesCommand({ Limit: 101 })), {
        name: 'ValidationException',
        message: "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
      });
    });
  });

  describe('request ids', () => {
    it('answers with a 52-character request id that the SDK exposes', async () => {
      const { client } = await sdkClient();
      const out = await client.send(new ListTablesCommand({}));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.$metadata.requestId).toHaveLength(52);
    });
  });
});

describe('request handler', () => {
  it('answers UnknownOperationException for an operation the database does not serve', async () => {
    const handler = createRequestHandler(new Database());
    const { response } = await handler.handle({ headers: { 'x-amz-target': 'DynamoDB_20120810.Nope' }, body: '{}' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({
      __type: 'com.amazon.coral.service#UnknownOperationException',
      // Coral's service exceptions write `Message` (docs/FIDELITY.md).
      Message: 'Unknown operation: DynamoDB_20120810.Nope',
    });
  });

  it('answers SerializationException for a body that is not JSON', async () => {
    const handler = createRequestHandler(new Database());
    const { response } = await handler.handle({ headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{nope' });
    expect(response.statusCode).toBe(400);
    const body = JSON.parse(new TextDecoder().decode(response.body)) as { __type: string };
    expect(body.__type).toBe('com.amazon.coral.service#SerializationException');
  });
});
