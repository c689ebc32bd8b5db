import type { BatchGetItemInput, BatchGetItemOutput } from '../operations/batch-get-item.js';
import type { BatchWriteItemInput, BatchWriteItemOutput } from '../operations/batch-write-item.js';
import type { DeleteItemInput, DeleteItemOutput } from '../operations/delete-item.js';
import type { GetItemInput, GetItemOutput } from '../operations/get-item.js';
import type { PutItemInput, PutItemOutput } from '../operations/put-item.js';
import type { QueryInput, QueryOutput } from '../operations/query.js';
import type { ScanInput, ScanOutput } from '../operations/scan.js';
import type { TransactGetItemsInput, TransactGetItemsOutput } from '../operations/transact-get-items.js';
import type { TransactWriteItemsInput, TransactWriteItemsOutput } from '../operations/transact-write-items.js';
import type { UpdateItemInput, UpdateItemOutput } from '../operations/update-item.js';

/**
 * The DynamoDB item operations the Table API is written against, in DynamoDB's request and response
 * shapes. The embedded `Database` is one; `sdkOperations(client, commands)` makes any AWS SDK v3
 * DynamoDBClient (real DynamoDB, DynamoDB Local, Alternator) another.
 */
export interface TableOperations {
  getItem(input: GetItemInput): Promise<GetItemOutput>;
  putItem(input: PutItemInput): Promise<PutItemOutput>;
  updateItem(input: UpdateItemInput): Promise<UpdateItemOutput>;
  deleteItem(input: DeleteItemInput): Promise<DeleteItemOutput>;
  query(input: QueryInput): Promise<QueryOutput>;
  scan(input: ScanInput): Promise<ScanOutput>;
  batchGetItem(input: BatchGetItemInput): Promise<BatchGetItemOutput>;
  batchWriteItem(input: BatchWriteItemInput): Promise<BatchWriteItemOutput>;
  transactGetItems(input: TransactGetItemsInput): Promise<TransactGetItemsOutput>;
  transactWriteItems(input: TransactWriteItemsInput): Promise<TransactWriteItemsOutput>;
}

/** An AWS SDK v3 command class, structurally: `new GetItemCommand(input)`. */
export type CommandClass = new (input: never) => object;

/**
 * The command classes of `@aws-sdk/client-dynamodb` the Table API sends. Pass the module itself
 * (`import * as dynamodb from '@aws-sdk/client-dynamodb'`) or just these ten classes.
 */
export interface DynamoDBCommands {
  GetItemCommand: CommandClass;
  PutItemCommand: CommandClass;
  UpdateItemCommand: CommandClass;
  DeleteItemCommand: CommandClass;
  QueryCommand: CommandClass;
  ScanCommand: CommandClass;
  BatchGetItemCommand: CommandClass;
  BatchWriteItemCommand: CommandClass;
  TransactGetItemsCommand: CommandClass;
  TransactWriteItemsCommand: CommandClass;
}

/** An AWS SDK v3 client, structurally: anything with `send(command)` (a DynamoDBClient). */
export interface CommandSender {
  send(command: never): Promise<unknown>;
}

/**
 * The Table API's operations over an AWS SDK v3 `DynamoDBClient`. The caller passes the SDK's command
 * classes, so `@magneto/core` never imports the SDK: it stays browser-ready and dependency-free, and works
 * with whichever SDK version the application has.
 *
 * @example
 * import * as dynamodb from '@aws-sdk/client-dynamodb';
 * const client = new dynamodb.DynamoDBClient({ region: 'eu-west-1' });
 * const users = new Table(Users, sdkOperations(client, dynamodb));
 */
export function sdkOperations(client: CommandSender, commands: DynamoDBCommands): TableOperations {
  const send =
    <I, O>(Command: CommandClass) =>
    (input: I): Promise<O> =>
      client.send(new Command(input as never) as never) as Promise<O>;
  return {
    getItem: send(commands.GetItemCommand),
    putItem: send(commands.PutItemCommand),
    updateItem: send(commands.UpdateItemCommand),
    deleteItem: send(commands.DeleteItemCommand),
    query: send(commands.QueryCommand),
    scan: send(commands.ScanCommand),
    batchGetItem: send(commands.BatchGetItemCommand),
    batchWriteItem: send(commands.BatchWriteItemCommand),
    transactGetItems: send(commands.TransactGetItemsCommand),
    transactWriteItems: send(commands.TransactWriteItemsCommand),
  };
}
