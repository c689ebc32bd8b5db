import type { Engine } from '../engine.js';
import type { OperationEffect, OperationEntry } from '../modules/module.js';
import { batchGetItem } from './batch-get-item.js';
import { batchWriteItem } from './batch-write-item.js';
import { createTable } from './create-table.js';
import { deleteItem } from './delete-item.js';
import { deleteTable } from './delete-table.js';
import { describeTable } from './describe-table.js';
import { getItem } from './get-item.js';
import { listTables } from './list-tables.js';
import { putItem } from './put-item.js';
import { query } from './query.js';
import { scan } from './scan.js';
import { transactGetItems } from './transact-get-items.js';
import { transactWriteItems } from './transact-write-items.js';
import { updateItem } from './update-item.js';
import { updateTable } from './update-table.js';
import { batchExecuteStatement } from '../partiql/batch-execute-statement.js';
import { executeStatement } from '../partiql/execute-statement.js';
import { executeTransaction } from '../partiql/execute-transaction.js';
import { tableOfStatement } from '../partiql/plan-statement.js';
import { tagResource } from '../tags/tag-resource.js';
import { untagResource } from '../tags/untag-resource.js';
import { listTagsOfResource } from '../tags/list-tags-of-resource.js';
import { resourceArnTables } from '../tags/resource-arn.js';

/**
 * The operation catalog: every DynamoDB operation core implements, with its effect and the tables a
 * request names. The engine's registry, `Database`'s typed methods (through `OperationInput` and
 * `OperationOutput`), the request handler's and the server's target checks and durable storage's
 * decisions all derive from it; modules add entries of the same shape (`ModuleContext.registerOperation`).
 * Adding an operation: its file, one line here, and the `Database` method the compiler then asks for.
 */

/** One of core's operations: an OperationEntry whose handler also takes the engine it runs on. */
interface CoreOperation<I extends object, O> {
  readonly effect: OperationEffect;
  readonly run: (engine: Engine, input: I) => O;
  readonly tablesOf?: OperationEntry['tablesOf'];
}

function operation<I extends object, O>(run: (engine: Engine, input: I) => O, effect: OperationEffect, tablesOf?: OperationEntry['tablesOf']): CoreOperation<I, O> {
  return tablesOf === undefined ? { effect, run } : { effect, run, tablesOf };
}

/** BatchGetItem, BatchWriteItem: the keys of `RequestItems`. */
function requestItemsTables(input: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  const items = input.RequestItems;
  return items !== null && typeof items === 'object' ? Object.keys(items) : undefined;
}

/** TransactGetItems, TransactWriteItems: `TransactItems[].<action>.TableName`. */
function transactItemsTables(input: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  if (!Array.isArray(input.TransactItems)) return undefined;
  const tables: string[] = [];
  for (const item of input.TransactItems as unknown[]) {
    if (item === null || typeof item !== 'object') return undefined;
    for (const action of Object.values(item)) {
      const tableName = (action as { TableName?: unknown } | null)?.TableName;
      if (typeof tableName !== 'string') return undefined;
      tables.push(tableName);
    }
  }
  return tables;
}

/** ExecuteStatement, BatchExecuteStatement, ExecuteTransaction: the table each PartiQL statement names. */
function statementTables(statements: unknown): readonly string[] | undefined {
  if (!Array.isArray(statements)) return undefined;
  const tables: string[] = [];
  for (const statement of statements as unknown[]) {
    const tableName = tableOfStatement((statement as { Statement?: unknown } | null)?.Statement);
    if (tableName === undefined) return undefined;
    tables.push(tableName);
  }
  return tables;
}

/** Core's DynamoDB operations (service `DynamoDB_20120810`), by name. */
export const DYNAMODB_OPERATIONS = {
  CreateTable: operation(createTable, 'catalog'),
  DescribeTable: operation(describeTable, 'read'),
  ListTables: operation(listTables, 'read'),
  UpdateTable: operation(updateTable, 'catalog'),
  DeleteTable: operation(deleteTable, 'catalog'),
  PutItem: operation(putItem, 'write'),
  GetItem: operation(getItem, 'read'),
  UpdateItem: operation(updateItem, 'write'),
  DeleteItem: operation(deleteItem, 'write'),
  Query: operation(query, 'read'),
  Scan: operation(scan, 'read'),
  TransactWriteItems: operation(transactWriteItems, 'write', transactItemsTables),
  TransactGetItems: operation(transactGetItems, 'read', transactItemsTables),
  BatchGetItem: operation(batchGetItem, 'read', requestItemsTables),
  BatchWriteItem: operation(batchWriteItem, 'write', requestItemsTables),
  ExecuteStatement: operation(executeStatement, 'write', (input) => statementTables([input])),
  BatchExecuteStatement: operation(batchExecuteStatement, 'write', (input) => statementTables(input.Statements)),
  ExecuteTransaction: operation(executeTransaction, 'write', (input) => statementTables(input.TransactStatements)),
  TagResource: operation(tagResource, 'catalog', resourceArnTables),
  UntagResource: operation(untagResource, 'catalog', resourceArnTables),
  ListTagsOfResource: operation(listTagsOfResource, 'read', resourceArnTables),
};

type CoreOperations = typeof DYNAMODB_OPERATIONS;

/** The request and response types of core's DynamoDB operations, by name. */
export type CoreOperationTypes = {
  [N in keyof CoreOperations]: CoreOperations[N] extends CoreOperation<infer I, infer O> ? { input: I; output: O } : never;
};

