/**
 * The AWS SDK v3 tests' shared setup: DynamoDBClients served by a Database either in-process or over
 * HTTP through `@magneto/server`, table definitions, and the assertion on the errors the SDK surfaces.
 */
import {
  DynamoDBClient,
  DynamoDBServiceException,
  ResourceNotFoundException,
  type CreateTableCommandInput,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect } from 'vitest';
import { createRequestHandler, Database, type DatabaseOptions } from '@magneto/core';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };

/** A fresh Database and a low-level SDK client whose requests it serves in-process. */
export function sdkClient(options: DatabaseOptions = {}, config: DynamoDBClientConfig = {}): { db: Database; client: DynamoDBClient } {
  const db = new Database(options);
  const client = new DynamoDBClient({ region: REGION, credentials: CREDENTIALS, requestHandler: createRequestHandler(db), ...config });
  return { db, client };
}

/** How the SDK suites reach the database: through the in-process request handler, or over HTTP. */
export type Transport = 'in-process' | 'http';
export const TRANSPORTS: readonly Transport[] = ['in-process', 'http'];

interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}
type StartServer = (options: {
  port?: number;
  database?: Database;
  credentials?: readonly { accessKeyId: string; secretAccessKey: string }[];
}) => Promise<RunningServer>;

// Imported by a computed specifier so these suites type-check and run while the package is absent;
// once it is there, failing to import it is an error, not a skipped transport.
const SERVER_MODULE: string = '@magneto/server';
const SERVER_SOURCES = new URL('../../../server/src/index.ts', import.meta.url);
const startServer: StartServer | undefined = await import(/* @vite-ignore */ SERVER_MODULE).then(
  (module: { startServer: StartServer }) => module.startServer,
  (error: unknown) => {
    if (existsSync(SERVER_SOURCES)) throw error;
    return undefined;
  },
);
/** Whether `@magneto/server` is there to serve the HTTP transport. */
export const serverAvailable = startServer !== undefined;

/** Makes a fresh Database and a low-level SDK client whose requests it serves over the transport. */
export type SdkClientFactory = (
  options?: DatabaseOptions,
  config?: DynamoDBClientConfig,
) => Promise<{ db: Database; client: DynamoDBClient }>;

/**
 * The SDK client factory for `transport`. Called in a describe block: each HTTP client gets its own
 * server on a free port, in strict mode so every request's SigV4 signature is verified; the server and
 * the client are closed after the test that made them.
 */
export function sdkClients(transport: Transport): SdkClientFactory {
  if (transport === 'in-process') return async (options, config) => sdkClient(options, config);
  const open: { client: DynamoDBClient; server: RunningServer }[] = [];
  afterEach(async () => {
    const closing = open.splice(0);
    for (const { client } of closing) client.destroy();
    await Promise.all(closing.map(({ server }) => server.close()));
  });
  return async (options = {}, config = {}) => {
    if (!startServer) throw new Error('@magneto/server is not available');
    const db = new Database(options);
    const server = await startServer({ port: 0, database: db, credentials: [CREDENTIALS] });
    const client = new DynamoDBClient({ endpoint: server.url, region: REGION, credentials: CREDENTIALS, ...config });
    open.push({ client, server });
    return { db, client };
  };
}

/**
 * Runs `body` once per transport, in a describe block named after it, with that transport's client
 * factory; the HTTP block is skipped while `@magneto/server` cannot be imported.
 */
export function describeTransports(body: (sdkClient: SdkClientFactory, transport: Transport) => void): void {
  for (const transport of TRANSPORTS) {
    describe.skipIf(transport === 'http' && !serverAvailable)(`over ${transport}`, () => {
      body(sdkClients(transport), transport);
    });
  }
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
