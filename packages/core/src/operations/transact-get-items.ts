import type { Engine } from '../engine.js';
import { TransactionCanceledException, ValidationException, type CancellationReason } from '../errors.js';
import type { ProjectionNode } from '../expressions/ast.js';
import { prepareExpressions } from '../expressions/prepare.js';
import { projectItem } from '../expressions/project-item.js';
import type { Item, Key } from '../model/attribute-value.js';
import { readCapacityUnits } from '../model/capacity.js';
import { checkKeySchema, validateKeyValues } from '../model/validate-key.js';
import { primaryKeyCodeOf, primaryKeyIdentity, type PrimaryKeyCode } from '../storage/storage-key.js';
import type { TableState } from '../tables/table-state.js';
import { chargedCapacity, measuresCapacity, type ConsumedCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { attributesDecoder } from './read-attributes.js';
import { validateTransactGetItemsInput } from './validation/validate-transact-get-items-input.js';
import { MSG_SAME_ITEM } from './transact-write-items.js';

/** One Get of a TransactGetItems request. */
export interface TransactGetItem {
  Get: {
    TableName: string;
    Key: Key;
    ProjectionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
  };
}

export interface TransactGetItemsInput {
  TransactItems: TransactGetItem[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

export interface TransactGetItemsOutput {
  /** One entry per Get, in request order: `{ Item }`, or `{}` when no item has the key. Items are frozen. */
  Responses?: Array<{ Item?: Item }>;
  ConsumedCapacity?: ConsumedCapacity[];
}

/**
 * TransactGetItems: up to 100 Gets, on one or more tables, read as one consistent view (all reads
 * happen synchronously, so no write lands between them). Each Get is validated as GetItem validates its
 * Key, ProjectionExpression and ExpressionAttributeNames (ValidationException for the whole request); a
 * missing table is ResourceNotFoundException; a key that does not match its table's schema cancels the
 * transaction (TransactionCanceledException, ValidationError for the first such Get, None for the others).
 * Under conflict simulation (transactionConflictWindowMs), a Get of an item a committed TransactWriteItems
 * still holds cancels the request: TransactionConflict for that Get, None for the others.
 * Capacity: 2 read units per started 4 KB of each item, per table.
 *
 * @internal
 */
export function transactGetItems(engine: Engine, input: TransactGetItemsInput): TransactGetItemsOutput {
  validateTransactGetItemsInput(input as unknown as Record<string, unknown>);
  const entries = input.TransactItems;
  const gets: Array<{ key: Key; projection: ProjectionNode | undefined; tableName: string }> = [];
  for (const entry of entries) {
    const get = entry.Get;
    const key = validateKeyValues(get.Key as Record<string, unknown>);
    const members: Record<string, unknown> = {};
    if (get.ProjectionExpression !== undefined) members.ProjectionExpression = get.ProjectionExpression;
    if (get.ExpressionAttributeNames !== undefined) members.ExpressionAttributeNames = get.ExpressionAttributeNames;
    const { projection } = prepareExpressions(members, 'GetItem');
    gets.push({ key, projection, tableName: get.TableName });
  }

  const located: Array<{ table: TableState; code: PrimaryKeyCode }> = [];
  // Two Gets of one item are refused as TransactWriteItems refuses two actions on one
  // (nubo-db/dynamodb-conformance tier2 transactGet: ValidationException against DynamoDB).
  const seen = new Set<string>();
  for (let i = 0; i < gets.length; i++) {
    const get = gets[i]!;
    const table = engine.itemTable(get.tableName);
    try {
      checkKeySchema(get.key, table.keySchema);
    } catch (error) {
      if (!(error instanceof ValidationException)) throw error;
      const reasons: CancellationReason[] = gets.map((_, j) => (j === i ? { Code: 'ValidationError', Message: error.message } : { Code: 'None' }));
      throw new TransactionCanceledException(reasons);
    }
    const code = primaryKeyCodeOf(get.key, table.keySchema);
    const identity = `${table.name}\u0000${primaryKeyIdentity(code)}`;
    if (seen.has(identity)) throw new ValidationException(MSG_SAME_ITEM);
    seen.add(identity);
    located.push({ table, code });
  }

  // Transaction hooks (conflict simulation): an item a committed TransactWriteItems still holds cancels the read.
  if (engine.transactionHooks.length > 0) {
    engine.checkTransactionConflicts('TransactGetItems', located.map(({ table }, i) => ({ table: engine.viewOf(table), key: gets[i]!.key })));
  }

  // One consistent view: every read, with nothing in between.
  const responses: Array<{ Item?: Item }> = [];
  const units = new Map<string, number>();
  const counting = measuresCapacity(engine, input.ReturnConsumedCapacity);
  for (let i = 0; i < located.length; i++) {
    const { table, code } = located[i]!;
    const get = gets[i]!;
    const hidden = engine.visibilityFilters.length > 0 ? engine.visibilityOf(table) : undefined;
    let item = table.storage.get(code, attributesDecoder({ projection: get.projection }, hidden !== undefined));
    const size = table.storage.lastItemSize;
    // Hidden by a module (ModuleContext.addVisibilityFilter): read as absent.
    if (item !== undefined && hidden?.(item) === false) item = undefined;
    responses.push(item === undefined ? {} : { Item: get.projection === undefined ? item : projectItem(item, get.projection) });
    if (counting) units.set(get.tableName, (units.get(get.tableName) ?? 0) + 2 * readCapacityUnits(item === undefined ? 0 : size, true));
  }

  const output: TransactGetItemsOutput = { Responses: responses };
  if (counting) {
    const capacity: ConsumedCapacity[] = [];
    for (const [name, total] of units) capacity.push(chargedCapacity(engine, input.ReturnConsumedCapacity, name, total)!);
    if (input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE') output.ConsumedCapacity = capacity;
  }
  return output;
}
