/**
 * dynalite (npm `dynalite`, a DynamoDB emulator whose validation messages were recorded against the
 * live service years ago) as a differential oracle: one in-process dynalite on 127.0.0.1 and one
 * Magneto Database, each behind an unchanged AWS SDK v3 DynamoDBClient, and what a client observes
 * of a request to either: the error's name and message (or the response body), and the item stored
 * under the request's key afterwards.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { createRequestHandler, Database } from '@magneto/core';

/** dynalite's factory (the package ships no types): an http.Server whose `close` also closes its store. */
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };

export type Item = Record<string, AttributeValue>;

export interface Oracle {
  /** The client of the dynalite server. */
  dynalite: DynamoDBClient;
  /** The client of a fresh Magneto Database. */
  magneto: DynamoDBClient;
  /** Creates the table in both, waiting until dynalite reports it ACTIVE. */
  createTable(input: CreateTableCommandInput): Promise<void>;
  /** Destroys both clients and stops the dynalite server. */
  close(): Promise<void>;
}

/** Starts dynalite in-process on 127.0.0.1 with an ephemeral port: nothing leaves the loopback interface. */
export async function startOracle(): Promise<Oracle> {
  const dynaliteFactory = createRequire(import.meta.url)('dynalite') as DynaliteFactory;
  const server = dynaliteFactory({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const dynalite = new DynamoDBClient({
    region: 'us-east-1',
    credentials,
    endpoint: `http://127.0.0.1:${port}`,
    maxAttempts: 1,
  });
  const magneto = new DynamoDBClient({
    region: 'us-east-1',
    credentials,
    requestHandler: createRequestHandler(new Database()),
  });
  return {
    dynalite,
    magneto,
    async createTable(input) {
      await dynalite.send(new CreateTableCommand(input));
      await magneto.send(new CreateTableCommand(input));
      for (let attempt = 0; attempt < 200; attempt++) {
        const { Table } = await dynalite.send(new DescribeTableCommand({ TableName: input.TableName }));
        if (Table?.TableStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`dynalite did not make ${input.TableName} ACTIVE`);
    },
    async close() {
      dynalite.destroy();
      magneto.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** What a client observes of one response: a service error, or the response body without `$metadata`. */
export type Outcome =
  | { error: { name: string; message: string; item?: Item } }
  | { result: Record<string, unknown> };

/** One request of the corpus. The key is the row's own; inputs leave `TableName` and the key out. */
export interface Row {
  name: string;
  op: 'PutItem' | 'UpdateItem' | 'GetItem' | 'DeleteItem';
  input: Record<string, unknown>;
  /** Attributes stored under the row's key before the request (on both sides). */
  seed?: Item;
}

/** What a client observes of a row: the response, and the item under the row's key afterwards (null: none). */
export interface Observed {
  response: Outcome;
  item: Item | null;
}

const commands = {
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
  GetItem: GetItemCommand,
  DeleteItem: DeleteItemCommand,
} as const;

/** Sends `command` and reduces the response to its body, or a service error to its name and message. */
export async function outcome(client: DynamoDBClient, command: Parameters<DynamoDBClient['send']>[0]): Promise<Outcome> {
  try {
    const { $metadata: _metadata, ...result } = (await client.send(command)) as unknown as Record<string, unknown>;
    return { result: sortSets(result) as Record<string, unknown> };
  } catch (error) {
    if (error instanceof DynamoDBServiceException) {
      // ConditionalCheckFailedException carries the item under ReturnValuesOnConditionCheckFailure.
      const { Item: item } = error as DynamoDBServiceException & { Item?: Item };
      return { error: { name: error.name, message: error.message, ...(item === undefined ? {} : { item: sortSets(item) as Item }) } };
    }
    throw error;
  }
}

/**
 * Seeds, sends and reads back one row on one side. The row's key is `{ id: <row name>, n: 1 }` on a
 * table keyed by the string `id` and the number `n`: rows never share an item. PutItem's `Item` is
 * merged over the key unless it names `id` itself; the other operations get `Key` unless they name one.
 */
export async function observe(client: DynamoDBClient, tableName: string, row: Row): Promise<Observed> {
  const key: Item = { id: { S: row.name }, n: { N: '1' } };
  if (row.seed) await client.send(new PutItemCommand({ TableName: tableName, Item: { ...row.seed, ...key } }));
  const input: Record<string, unknown> = { TableName: tableName, ...structuredClone(row.input) };
  if (row.op === 'PutItem') {
    const item = (input.Item ?? {}) as Item;
    input.Item = 'id' in item ? item : { ...key, ...item };
  } else {
    input.Key ??= key;
  }
  const Command = commands[row.op] as new (input: unknown) => Parameters<DynamoDBClient['send']>[0];
  const response = await outcome(client, new Command(input));
  const stored = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return { response, item: stored.Item ? (sortSets(stored.Item) as Item) : null };
}

/** Sorts the members of string, number and binary sets: DynamoDB does not order a set's members. */
function sortSets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortSets);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const entries = Object.entries(value).map(([k, v]): [string, unknown] => {
    if ((k === 'SS' || k === 'NS') && Array.isArray(v)) return [k, [...(v as string[])].sort()];
    if (k === 'BS' && Array.isArray(v)) return [k, [...(v as Uint8Array[])].sort((a, b) => Buffer.compare(a, b))];
    return [k, sortSets(v)];
  });
  return Object.fromEntries(entries);
}
