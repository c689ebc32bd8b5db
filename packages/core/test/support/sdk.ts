/**
 * The AWS SDK v3 tests' shared setup: a DynamoDBClient served by an in-process Database, table
 * definitions, and the assertion on the errors the SDK surfaces.
 */
import {
  DynamoDBClient,
  DynamoDBServiceException,
  ResourceNotFoundException,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { createRequestHandler, Database, type DatabaseOptions } from '@magneto/core';

/** A fresh Database and a low-level SDK client whose requests it serves. */
export function sdkClient(options: DatabaseOptions = {}): { db: Database; client: DynamoDBClient } {
  const db = new Database(options);
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: createRequestHandler(db),
  });
  return { db, client };
}

/** What an SDK error must be: optionally its class, and always its name and exact message. */
export interface ExpectedSdkError {
  type?: abstract new (...args: never[]) => unknown;
  name: string;
  message: string;
}

/**
 * Asserts `promise` rejects with a DynamoDBServiceException that is a client fault with HTTP status
 * 400 and the expected class, name and exact message; returns it for further checks.
 */
export async function expectSdkError(promise: Promise<unknown>, expected: ExpectedSdkError): Promise<DynamoDBServiceException> {
  const error: unknown = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DynamoDBServiceException);
  const sdkError = error as DynamoDBServiceException;
  if (expected.type) expect(sdkError).toBeInstanceOf(expected.type);
  expect(sdkError.name).toBe(expected.name);
  expect(sdkError.message).toBe(expected.message);
  expect(sdkError.$metadata.httpStatusCode).toBe(400);
  expect(sdkError.$fault).toBe('client');
  return sdkError;
}

/** The item operations' ResourceNotFoundException: their message does not name the table. */
export const ITEM_TABLE_NOT_FOUND: ExpectedSdkError = {
  type: ResourceNotFoundException,
  name: 'ResourceNotFoundException',
  message: 'Requested resource not found',
};

/** The table operations' ResourceNotFoundException, naming the table. */
export function tableNotFound(tableName: string): ExpectedSdkError {
  return {
    type: ResourceNotFoundException,
    name: 'ResourceNotFoundException',
    message: `Requested resource not found: Table: ${tableName} not found`,
  };
}

/** An on-demand table keyed by a string `id`. */
export const hashTable = (TableName: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  TableName,
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...extra,
});

/** A provisioned table keyed by `pk` (a string unless `pkType` says otherwise) and the number `sk`. */
export const provisioned = (TableName: string, read = 5, write = 5, pkType: 'S' | 'B' = 'S'): CreateTableCommandInput => ({
  TableName,
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: pkType },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write },
});
