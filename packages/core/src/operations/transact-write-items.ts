import type { Engine, UnnumberedChange } from '../engine.js';
import {
  DynamoDBError,
  IdempotentParameterMismatchException,
  TransactionCanceledException,
  ValidationException,
  type CancellationReason,
} from '../errors.js';
import { applyUpdate, removesOnly } from '../expressions/apply-update.js';
import type { ConditionNode, UpdateNode } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import { prepareExpressions } from '../expressions/prepare.js';
import { checkUpdateKeyAttributes } from '../expressions/validate-update-keys.js';
import type { AttributeValue, Item, Key } from '../model/attribute-value.js';
import { readCapacityUnits, writeCapacityUnits } from '../model/capacity.js';
import { itemSize, knownItemSize } from '../model/item-size.js';
import { validateItem } from '../model/validate-item.js';
import { checkKeySchema, isEmptyKeyValueError, validateItemKey, validateKeyValues } from '../model/validate-key.js';
import { itemChange } from '../modules/item-change.js';
import { primaryKeyCodeOf, primaryKeyIdentity, withHash, type PrimaryKeyCode } from '../storage/storage-key.js';
import type { TableState } from '../tables/table-state.js';
import { checkIndexKeys } from '../tables/index-key-checks.js';
import { itemCollectionMetrics, type ItemCollectionMetrics } from '../tables/item-collections.js';
import { removeItem, writeItem } from '../tables/write-item.js';
import { chargedCapacity, chargedReadCapacity, measuresCapacity, indexWriteUnits, type ConsumedCapacity, type IndexUnits, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { validateTransactWriteItemsInput, type TransactWriteActionKind } from './validation/validate-transact-write-items-input.js';
import { memberOf, setMember } from '../model/set-member.js';
import type { TransactionTokenEntry } from '../modules/change-record.js';

interface ActionMembers {
  TableName: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ReturnValuesOnConditionCheckFailure?: 'NONE' | 'ALL_OLD';
}

/** One action of a TransactWriteItems request: exactly one of its members is set. */
export interface TransactWriteItem {
  ConditionCheck?: ActionMembers & { Key: Key; ConditionExpression: string };
  Put?: ActionMembers & { Item: Item };
  Delete?: ActionMembers & { Key: Key };
  Update?: ActionMembers & { Key: Key; UpdateExpression: string };
}

export interface TransactWriteItemsInput {
  TransactItems: TransactWriteItem[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
  /** Makes the request idempotent for 10 minutes (of the database clock) after it commits. 1..36 characters. */
  ClientRequestToken?: string;
}

export interface TransactWriteItemsOutput {
  ConsumedCapacity?: ConsumedCapacity[];
  ItemCollectionMetrics?: Record<string, ItemCollectionMetrics[]>;
}

/** How long a ClientRequestToken stays bound to its request: 10 minutes. */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

/** The aggregate size limit of a transaction's request (4 MB). */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

// Unconfirmed against DynamoDB: the wording of these two messages.
const MSG_TOKEN_MISMATCH = 'The request cannot be retried because its parameters do not match the original request associated with this ClientRequestToken.';
const MSG_TOO_LARGE = 'Transaction request size cannot exceed 4 MB';
/** Two actions of one transaction on the same item (TransactWriteItems and TransactGetItems). */
export const MSG_SAME_ITEM = 'Transaction request cannot include multiple operations on one item';
const MSG_CONDITION = 'The conditional request failed';

/** The single-item operation whose validation and expressions each action kind shares. */
const OPERATION = { ConditionCheck: 'DeleteItem', Put: 'PutItem', Delete: 'DeleteItem', Update: 'UpdateItem' } as const;

/** One action, prepared: its table, key and expressions; then what it found and would write. */
interface Action {
  readonly kind: TransactWriteActionKind;
  readonly members: ActionMembers;
  /** Put: the new item. Otherwise: the key. */
  readonly item: Item;
  readonly size: number;
  readonly condition: ConditionNode | undefined;
  readonly update: UpdateNode | undefined;
  table?: TableState;
  code?: PrimaryKeyCode;
  /** The item as it is before the transaction. */
  current?: Item | undefined;
  /** Whether the action writes, and what (undefined: a delete). */
  writes?: boolean;
  next?: Item | undefined;
  /** The item replaced or deleted by the write. */
  old?: Item | undefined;
}

/**
 * TransactWriteItems: up to 100 Put, Update, Delete and ConditionCheck actions, on one or more tables,
 * done all together or not at all.
 *
 *  1. The request and each action are validated as their single-item operations are (ValidationException
 *     for the whole request: constraints, item values, expressions); the tables are looked up
 *     (ResourceNotFoundException); two actions on one item are refused.
 *  2. Table-dependent checks (key schema, updated key attributes, index key types) fail the transaction
 *     with TransactionCanceledException: a ValidationError reason for the first failing action, None for
 *     the others (alternator test_transact_write_cancellation_reasons_validationerror).
 *     An empty string or binary key value (table or index key) is refused for the whole request instead.
 *  3. Every condition is evaluated and every new item computed against the items as they are; any
 *     failure cancels the transaction with one reason per action, in request order (None,
 *     ConditionalCheckFailed with "The conditional request failed" and, with
 *     ReturnValuesOnConditionCheckFailure ALL_OLD, the Item; ValidationError for runtime update errors).
 *  4. Only then are all writes applied, synchronously: no reader sees part of a transaction. The change
 *     feed gets every change as one batch. A write refused while applying (an LSI item collection
 *     growing past its limit) undoes the writes before it and cancels the transaction.
 *
 * Conflict simulation (transactionConflictWindowMs > 0, a transaction hook): a committed transaction holds
 * its items (every action's, ConditionChecks included) for the window; a transaction touching a held item
 * is cancelled after the checks of step 2, with a TransactionConflict reason for each such action and None for the others.
 *
 * ClientRequestToken: the same token with the same request within 10 minutes of its commit answers the
 * first answer and writes nothing; with another request, IdempotentParameterMismatchException.
 * Capacity: 2 write units per started KB of each item (the larger of old and new), per table; a
 * ConditionCheck too, sized on the item it read (real DynamoDB reports it as a write:
 * paritysuite/dynamodb-conformance#67). Each secondary index it writes costs what the same write costs
 * outside a transaction, not doubled (captured against real DynamoDB: a transactional Put of an indexed
 * item reports table 2, GSI 1; nubo-db/dynoxide#188). A replay consumes read units instead (replayed).
 *
 * @internal
 */
export function transactWriteItems(engine: Engine, input: TransactWriteItemsInput): TransactWriteItemsOutput {
  const request = input as unknown as Record<string, unknown>;
  const kinds = validateTransactWriteItemsInput(request);
  const entries = input.TransactItems;

  // 1. each action's values and expressions, as its single-item operation checks them
  const actions: Action[] = [];
  let requestBytes = 0;
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!;
    const members = (entries[i] as Record<string, unknown>)[kind] as ActionMembers & Record<string, unknown>;
    const measured = { size: 0 };
    const item = kind === 'Put' ? validateItem(members.Item as Record<string, unknown>, measured) : validateKeyValues(members.Key as Record<string, unknown>);
    const size = kind === 'Put' ? measured.size : itemSize(item);
    requestBytes += size;
    const { condition, update } = prepareExpressions(expressionMembers(kind, members), OPERATION[kind]);
    actions.push({ kind, members, item, size, condition, update });
  }
  if (requestBytes > MAX_TRANSACTION_BYTES) throw new ValidationException(MSG_TOO_LARGE);

  // The idempotency window: a repeated request answers its first answer.
  const token = input.ClientRequestToken;
  let fingerprint: string | undefined;
  if (typeof token === 'string') {
    fingerprint = fingerprintOf(input);
    const tokens = engine.transactionTokens;
    const now = engine.clock.now();
    for (const [t, entry] of tokens) {
      if (now - entry.committedAt < IDEMPOTENCY_WINDOW_MS) break;
      tokens.delete(t);
    }
    const previous = tokens.get(token);
    if (previous !== undefined) {
      if (previous.fingerprint !== fingerprint) throw new IdempotentParameterMismatchException(MSG_TOKEN_MISMATCH);
      return replayed(engine, input, actions, previous.output as TransactWriteItemsOutput);
    }
  }

  // 2. tables, keys against their schemas, one action per item
  const seen = new Set<string>();
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    const table = engine.itemTable(action.members.TableName);
    const schema = table.keySchema;
    try {
      if (action.kind === 'Put') {
        validateItemKey(action.item, schema);
        if (table.indexes.length > 0) checkIndexKeys(table, action.item);
      } else {
        checkKeySchema(action.item, schema);
        if (action.update !== undefined) checkUpdateKeyAttributes(action.update, schema);
      }
    } catch (error) {
      if (!(error instanceof ValidationException) || isEmptyKeyValueError(error)) throw error;
      throw cancelled(actions.length, i, { Code: 'ValidationError', Message: error.message });
    }
    const code = primaryKeyCodeOf(action.item, schema);
    const identity = `${table.name}\u0000${primaryKeyIdentity(code)}`;
    if (seen.has(identity)) throw new ValidationException(MSG_SAME_ITEM);
    seen.add(identity);
    action.table = table;
    action.code = code;
  }

  // Transaction hooks (conflict simulation): an item a committed transaction still holds cancels this one.
  const hooked = engine.transactionHooks.length > 0 ? actions.map((action) => ({ table: engine.viewOf(action.table!), key: action.item })) : undefined;
  if (hooked !== undefined) engine.checkTransactionConflicts('TransactWriteItems', hooked);

  // 3. every condition and every new item, before anything is written
  let reasons: CancellationReason[] | undefined;
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    const table = action.table!;
    const current = table.storage.get(action.code!);
    action.current = current;
    let reason: CancellationReason | undefined;
    if (action.condition !== undefined && !evaluateCondition(action.condition, current)) {
      reason = { Code: 'ConditionalCheckFailed', Message: MSG_CONDITION };
      if (action.members.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && current !== undefined) reason.Item = current;
    } else {
      try {
        computeWrite(action, current);
        if (action.writes === true && action.next !== undefined && action.kind === 'Update' && table.indexes.length > 0) checkIndexKeys(table, action.next);
      } catch (error) {
        if (!(error instanceof ValidationException)) throw error;
        reason = { Code: 'ValidationError', Message: error.message };
      }
    }
    if (reason !== undefined) {
      reasons ??= actions.map(() => ({ Code: 'None' }));
      reasons[i] = reason;
    }
  }
  if (reasons !== undefined) throw new TransactionCanceledException(reasons);

  // 4. apply every write, synchronously
  applyWrites(actions);
  const output = answer(engine, input, actions);
  let tokenEntry: TransactionTokenEntry | undefined;
  if (typeof token === 'string') {
    tokenEntry = { token, fingerprint: fingerprint!, committedAt: engine.clock.now(), output };
    engine.transactionTokens.set(token, tokenEntry);
  }
  // The token travels with the changes: durable storage logs both in one record.
  publishChanges(engine, actions, tokenEntry);
  if (hooked !== undefined) for (const hook of engine.transactionHooks) hook.committed?.(hooked);
  return output;
}

/**
 * A replay's answer: the first answer, but a replay reads its items rather than writing them again —
 * "subsequent TransactWriteItems calls with the same client token return the number of read capacity
 * units consumed in reading the item" (API_TransactWriteItems, ClientRequestToken): a transactional read
 * (2 units per started 4 KB) of each item as it is now, per table, reported as ReadCapacityUnits.
 */
function replayed(engine: Engine, input: TransactWriteItemsInput, actions: readonly Action[], first: TransactWriteItemsOutput): TransactWriteItemsOutput {
  const mode = input.ReturnConsumedCapacity;
  if (!measuresCapacity(engine, mode)) return first;
  const perTable = new Map<string, number>();
  for (const action of actions) {
    const name = action.members.TableName;
    const current = replayedItem(engine, action);
    perTable.set(name, (perTable.get(name) ?? 0) + 2 * readCapacityUnits(current === undefined ? 0 : knownItemSize(current), true));
  }
  const capacity: ConsumedCapacity[] = [];
  for (const [name, units] of perTable) capacity.push(chargedReadCapacity(engine, mode, name, units)!);
  return mode === 'TOTAL' || mode === 'INDEXES' ? { ...first, ConsumedCapacity: capacity } : first;
}

/** The item a replayed action reads: none when its table is gone, or re-created with a key schema its key no longer fits. */
function replayedItem(engine: Engine, action: Action): Item | undefined {
  const table = engine.tables.get(engine.tableNameOf(action.members.TableName));
  if (table === undefined) return undefined;
  try {
    if (action.kind === 'Put') validateItemKey(action.item, table.keySchema);
    else checkKeySchema(action.item, table.keySchema);
  } catch (error) {
    if (error instanceof ValidationException) return undefined;
    throw error;
  }
  return table.storage.get(primaryKeyCodeOf(action.item, table.keySchema));
}

/** The members of an action its single-item operation's expression checks read (no others: the legacy ones are not part of an action). */
function expressionMembers(kind: TransactWriteActionKind, members: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (members.ConditionExpression !== undefined) out.ConditionExpression = members.ConditionExpression;
  if (members.ExpressionAttributeNames !== undefined) out.ExpressionAttributeNames = members.ExpressionAttributeNames;
  if (members.ExpressionAttributeValues !== undefined) out.ExpressionAttributeValues = members.ExpressionAttributeValues;
  if (kind === 'Update' && members.UpdateExpression !== undefined) out.UpdateExpression = members.UpdateExpression;
  return out;
}

/** Sets what the action would write, given the item as it is. Throws ValidationException for runtime update errors. */
function computeWrite(action: Action, current: Item | undefined): void {
  switch (action.kind) {
    case 'ConditionCheck':
      action.writes = false;
      return;
    case 'Put':
      action.writes = true;
      action.next = action.item;
      return;
    case 'Delete':
      action.writes = current !== undefined;
      action.next = undefined;
      return;
    case 'Update': {
      const update = action.update;
      if (current === undefined && update !== undefined && removesOnly(update)) {
        action.writes = false;
        return;
      }
      action.writes = true;
      action.next = update === undefined ? (current ?? action.item) : applyUpdate(update, current, action.item);
      return;
    }
  }
}

/**
 * Writes every action's new item (tables and indexes). Should one write be refused (an LSI item
 * collection past its size limit), the writes already done are undone, newest first, and the transaction
 * is cancelled with that action's reason.
 */
function applyWrites(actions: Action[]): void {
  let i = 0;
  try {
    for (; i < actions.length; i++) {
      const action = actions[i]!;
      if (action.writes !== true) continue;
      const table = action.table!;
      const code = action.code!;
      const next = action.next;
      if (next === undefined) {
        action.old = removeItem(table, code);
      } else {
        const schema = table.keySchema;
        action.old = writeItem(table, code, next, (c) => withHash(c, next, schema), true, action.kind === 'Put' ? action.size : itemSize(next));
      }
    }
  } catch (error) {
    for (let j = i - 1; j >= 0; j--) {
      const action = actions[j]!;
      if (action.writes !== true) continue;
      const table = action.table!;
      const old = action.old;
      if (old === undefined) removeItem(table, action.code!);
      else writeItem(table, action.code!, old, (c) => withHash(c, old, table.keySchema), true);
    }
    if (error instanceof DynamoDBError) {
      const code = error.name.endsWith('Exception') ? error.name.slice(0, -'Exception'.length) : error.name;
      throw cancelled(actions.length, i, { Code: code, Message: error.message });
    }
    throw error;
  }
}

/** Publishes every change of the committed transaction as one batch. */
function publishChanges(engine: Engine, actions: Action[], tokenEntry: TransactionTokenEntry | undefined): void {
  if (!engine.hasChangeListeners) return;
  const changes: UnnumberedChange[] = [];
  const timestamp = engine.clock.now();
  for (const action of actions) {
    if (action.writes !== true) continue;
    const change = itemChange(action.table!, action.old, action.next, timestamp, 'user');
    if (change !== undefined) changes.push(change);
  }
  engine.publish(changes, tokenEntry);
}

/** ConsumedCapacity (one entry per table, in order of first use) and ItemCollectionMetrics. */
function answer(engine: Engine, input: TransactWriteItemsInput, actions: Action[]): TransactWriteItemsOutput {
  const output: TransactWriteItemsOutput = {};
  const mode = input.ReturnConsumedCapacity;
  if (measuresCapacity(engine, mode)) {
    const perTable = new Map<string, { units: number; indexes: Map<string, IndexUnits> }>();
    for (const action of actions) {
      const name = action.members.TableName;
      let entry = perTable.get(name);
      if (entry === undefined) perTable.set(name, (entry = { units: 0, indexes: new Map() }));
      const next = action.writes === true ? action.next : undefined;
      const old = action.writes === true ? action.old : action.current;
      const bytes = Math.max(next === undefined ? 0 : itemSize(next), old === undefined ? 0 : itemSize(old), action.kind === 'Update' && next === undefined ? itemSize(action.item) : 0);
      entry.units += 2 * writeCapacityUnits(bytes);
      if (action.writes === true && action.table!.indexes.length > 0) {
        for (const index of indexWriteUnits(action.table!, action.old, next) ?? []) {
          const sum = entry.indexes.get(index.name);
          // The transactional 2× is the base table's alone: an index costs what the same write costs outside one.
          entry.indexes.set(index.name, { name: index.name, kind: index.kind, units: (sum?.units ?? 0) + index.units });
        }
      }
    }
    const capacity: ConsumedCapacity[] = [];
    for (const [name, entry] of perTable) {
      const indexes = entry.indexes.size > 0 ? [...entry.indexes.values()] : undefined;
      capacity.push(chargedCapacity(engine, mode, name, entry.units, indexes)!);
    }
    if (mode === 'TOTAL' || mode === 'INDEXES') output.ConsumedCapacity = capacity;
  }
  if (input.ReturnItemCollectionMetrics === 'SIZE') {
    for (const action of actions) {
      if (action.writes !== true) continue;
      const metrics = itemCollectionMetrics(action.table!, action.next ?? action.item);
      if (metrics === undefined) continue;
      const byTable = (output.ItemCollectionMetrics ??= {});
      const name = action.members.TableName;
      const list = memberOf(byTable, name);
      if (list === undefined) setMember(byTable, name, [metrics]);
      else list.push(metrics);
    }
  }
  return output;
}

/** A cancellation with `reason` at `index` and None for every other action. */
function cancelled(count: number, index: number, reason: CancellationReason): TransactionCanceledException {
  const reasons: CancellationReason[] = [];
  for (let i = 0; i < count; i++) reasons.push(i === index ? reason : { Code: 'None' });
  return new TransactionCanceledException(reasons);
}

/** The request as a string, for comparing a repeated ClientRequestToken's requests (binary values included). */
function fingerprintOf(input: TransactWriteItemsInput): string {
  return JSON.stringify(input, (_key, value: unknown) => (value instanceof Uint8Array ? `b:${Array.from(value).join(',')}` : value));
}
