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
import { crc32 } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRequestHandler, Database } from '../src/index.js';
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
  // BatchGetItem moved to the generic constraint message in 2026 (paritysuite/dynamodb-conformance, eu-west-2 and all but one region).
  it('BatchGetItem, BatchWriteItem › answer an empty RequestItems as a too short map and as a missing parameter', async () => {
    await expectSdkError(
      client.send(new BatchGetItemCommand({ RequestItems: {} })),
      invalid("1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1"),
    );
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

// The wire below the SDKs, which accept either spelling: in-process and over HTTP, one header builder.
describe('the wire as DynamoDB writes it', () => {
  const SERVER_MODULE: string = '@magneto/server';
  type Server = { url: string; close(): Promise<void> };
  const answer = async (headers: Record<string, string>, body: string) => {
    const { response } = await createRequestHandler(new Database()).handle({ headers, body });
    return { status: response.statusCode, headers: response.headers, body: JSON.parse(new TextDecoder().decode(response.body)) as unknown };
  };

  // dynalite validations/index.js (recorded against DynamoDB): Coral's SerializationException writes `Message`.
  it('writes SerializationException and UnknownOperationException messages as `Message`', async () => {
    const bad = await answer({ 'x-amz-target': 'DynamoDB_20120810.PutItem', 'content-type': 'application/x-amz-json-1.0' }, '{"TableName":"t","Item":{"a":{"B":"QQ"}}}');
    expect(bad.body).toEqual({ __type: 'com.amazon.coral.service#SerializationException', Message: 'Base64 encoded length is expected a multiple of 4 bytes but found: 2' });
    const unknown = await answer({ 'x-amz-target': 'DynamoDB_20120810.Nope' }, '{}');
    expect(unknown.body).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException', Message: 'Unknown operation: DynamoDB_20120810.Nope' });
  });

  // dynalite test/connection.js (recorded against DynamoDB): the answer's Content-Type is the request's.
  it("answers in the request's JSON type, with DynamoDB's headers, in-process and over HTTP", async () => {
    const { startServer } = (await import(/* @vite-ignore */ SERVER_MODULE)) as { startServer: (o: { port: number }) => Promise<Server> };
    const server = await startServer({ port: 0 });
    try {
      for (const contentType of ['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json']) {
        const headers = { 'x-amz-target': 'DynamoDB_20120810.Nope', 'content-type': `${contentType}; charset=utf-8` };
        const local = await answer(headers, '{}');
        const remote = await fetch(server.url, { method: 'POST', headers, body: '{}' });
        const remoteBody = new Uint8Array(await remote.arrayBuffer());
        for (const [name, value] of [['content-type', contentType], ['content-length', String(remoteBody.length)]] as const) {
          expect(local.headers[name], name).toBe(value);
          expect(remote.headers.get(name), name).toBe(value);
        }
        // Over HTTP only: the in-process handler's one client, the SDK for JavaScript, never reads it.
        expect(remote.headers.get('x-amz-crc32')).toBe(String(crc32(remoteBody)));
        expect(local.headers['x-amz-crc32']).toBeUndefined();
        expect(local.headers['x-amzn-requestid']).toMatch(/^[0-9A-Z]{52}$/);
        expect(remote.headers.get('x-amzn-requestid')).toMatch(/^[0-9A-Z]{52}$/);
        expect(remote.status).toBe(400);
        const notJson = await fetch(server.url, { method: 'POST', headers: { ...headers, 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: 'hi' });
        expect([notJson.status, notJson.headers.get('content-type'), await notJson.json()]).toEqual([400, contentType, { __type: 'com.amazon.coral.service#SerializationException' }]);
      }
      // A body in no JSON type, or none at all: DynamoDB's 404 page (dynalite test/connection.js).
      const unknownType = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
      expect([unknownType.status, await unknownType.text()]).toEqual([404, '<UnknownOperationException/>\n']);
    } finally {
      await server.close();
    }
  });
});
