/**
 * Fidelity to today's DynamoDB where dynalite's recordings (2018–2020) word an answer differently: one
 * test per changed message, through the unchanged AWS SDK v3, each citing its evidence. docs/FIDELITY.md
 * lists every change with the old wording, the new and the evidence.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  UpdateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectSdkError, hashTable, sdkClient } from './support/sdk.js';

const CORAL = '1 validation error detected: ';
const invalid = (message: string) => ({ name: 'ValidationException', message });

describe('fidelity to today’s DynamoDB', () => {
  let client: DynamoDBClient;
  beforeEach(async () => {
    ({ client } = sdkClient());
    await client.send(new CreateTableCommand(hashTable('users')));
  });

  // nubo-db/dynamodb-conformance tests/tier3/error-messages/createTable.test.ts (run against DynamoDB).
  it('CreateTable › answers a short TableName with the tableName constraint', async () => {
    await expectSdkError(
      client.send(new CreateTableCommand(hashTable('ab'))),
      invalid(`${CORAL}Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3`),
    );
  });

  // Every operation checks TableName with the same Coral constraints (the botocore model's TableName shape,
  // and the item operations here already); dynalite's "TableName must be at least 3 characters long and at
  // most 255 characters long" (2013) is not DynamoDB's answer since the table operations accept ARNs.
  it('DescribeTable, DeleteTable, UpdateTable › answer a bad TableName with the tableName constraints', async () => {
    const long = 'a'.repeat(256);
    await expectSdkError(client.send(new DescribeTableCommand({ TableName: long })), invalid(`${CORAL}Value '${long}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`));
    await expectSdkError(
      client.send(new DeleteTableCommand({ TableName: 'a;' })),
      invalid(
        "2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
          "Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      ),
    );
    await expectSdkError(
      client.send(new UpdateTableCommand({ TableName: 'ab', BillingMode: 'PAY_PER_REQUEST' })),
      invalid(`${CORAL}Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3`),
    );
  });

  // nubo-db/dynamodb-conformance tests/tier3/error-messages/query.test.ts and scan.test.ts: Query's and
  // Scan's answers to Limit 0 differ, and both are DynamoDB's.
  it("Query › answers Limit 0 with no value at 'Limit'; Scan keeps its value at 'limit'", async () => {
    await expectSdkError(
      client.send(new QueryCommand({ TableName: 'users', KeyConditionExpression: 'id = :v', ExpressionAttributeValues: { ':v': { S: 'a' } }, Limit: 0 })),
      invalid(`${CORAL}Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1`),
    );
    await expectSdkError(client.send(new ScanCommand({ TableName: 'users', Limit: 0 })), invalid(`${CORAL}Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`));
  });

  // nubo-db/dynamodb-conformance tests/tier3/error-messages/createTable.test.ts; moto records the same form.
  it('CreateTable › prints a KeySchema of three elements as Java prints KeySchemaElement', async () => {
    await expectSdkError(
      client.send(
        new CreateTableCommand({
          ...hashTable('three'),
          AttributeDefinitions: ['pk', 'sk', 'extra'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
            { AttributeName: 'extra', KeyType: 'RANGE' },
          ],
        }),
      ),
      invalid(
        `${CORAL}Value '[KeySchemaElement(attributeName=pk, keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, keyType=RANGE)]' ` +
          "at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2",
      ),
    );
  });

  // nubo-db/dynamodb-conformance tests/tier3/error-messages/batchGetItem.test.ts and batchWriteItem.test.ts.
  it('BatchGetItem, BatchWriteItem › answer an empty RequestItems as a missing parameter', async () => {
    await expectSdkError(client.send(new BatchGetItemCommand({ RequestItems: {} })), invalid('The requestItems parameter is required for BatchGetItem'));
    await expectSdkError(client.send(new BatchWriteItemCommand({ RequestItems: {} })), invalid('The requestItems parameter is required for BatchWriteItem'));
  });

  // nubo-db/dynamodb-conformance tests/tier3/error-messages/batchGetItem.test.ts.
  it('BatchGetItem › answers 101 keys of one table without printing them', async () => {
    const Keys = Array.from({ length: 101 }, (_, i) => ({ id: { S: String(i) } }));
    await expectSdkError(
      client.send(new BatchGetItemCommand({ RequestItems: { users: { Keys } } })),
      invalid(`${CORAL}Value at 'RequestItems.users.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100`),
    );
  });

  // nubo-db/dynamodb-conformance tests/tier3/error-messages/batchWriteItem.test.ts (its anchored pattern).
  it('BatchWriteItem › prints 26 requests of one table as a Java map', async () => {
    const requests = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { id: { S: `bw-${i}` } } } }));
    const error = await client.send(new BatchWriteItemCommand({ RequestItems: { users: requests } })).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^1 validation error detected: Value '\{users=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s,
    );
  });

  // nubo-db/dynamodb-conformance tests/tier2/transactions/transactGet.test.ts: a ValidationException.
  it('TransactGetItems › refuses two Gets of one item, as TransactWriteItems refuses two actions on one', async () => {
    const get = { Get: { TableName: 'users', Key: { id: { S: 'a' } } } };
    await expectSdkError(client.send(new TransactGetItemsCommand({ TransactItems: [get, get] })), invalid('Transaction request cannot include multiple operations on one item'));
  });
});
