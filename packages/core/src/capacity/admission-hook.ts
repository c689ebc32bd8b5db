import { ConditionalCheckFailedException, TransactionCanceledException, type CancellationReason } from '../errors.js';
import type { AdmissionHook, OperationRequest } from '../modules/module.js';
import type { ConsumedCapacity } from '../model/capacity.js';
import { IDEMPOTENCY_WINDOW_MS } from '../operations/transact-write-items.js';
import { chargeBatch, PendingBatch } from './batch-admission.js';
import { addIndexWriteKeys, chargeIndexWriteKeys, indexWriteKeys, storedItemOf } from './index-write-keys.js';
import type { CapacityLedger } from './capacity-ledger.js';
import { partitionKeyOf, queryPartitionKeyOf } from './partition-key.js';
import type { ResourceThroughput } from './resource-throughput.js';
import type { TableCapacity } from './table-capacity.js';
import { throttlingError, type Refusal } from './throttling.js';

/** The single-table operations this hook admits, and whether they write. */
const SINGLE_WRITES: Readonly<Record<string, boolean>> = { GetItem: false, PutItem: true, UpdateItem: true, DeleteItem: true, Query: false, Scan: false };
/** The single-item operations (Contributor Insights counts their items by partition and sort key). */
const SINGLE_ITEMS: Readonly<Record<string, boolean>> = { GetItem: true, PutItem: true, UpdateItem: true, DeleteItem: true };
/** Transactions: whether they write, and each action's member holding its table and key. */
const TRANSACTIONS: Readonly<Record<string, boolean>> = { TransactWriteItems: true, TransactGetItems: false };
const ACTIONS = ['Get', 'Put', 'Update', 'Delete', 'ConditionCheck'] as const;

const MSG_TRANSACTION_TABLE =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. ' +
  'If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
const MSG_TRANSACTION_INDEX =
  'Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.';

/** One action of a transaction: its table, its partition key and, for a write to a table with GSIs, the GSI partition keys it touches. */
interface Action {
  readonly table: TableCapacity | undefined;
  readonly key: string | undefined;
  readonly indexKeys?: string[][] | undefined;
  /** An Update's Key: its new GSI keys are known only once it ran. */
  readonly updated?: unknown;
}

/**
 * The admission hook: before a request runs, refuses it (throttles) when its table, a GSI it reads or
 * writes, or its partition key has no capacity left — nothing has changed then; after it ran, charges
 * what it consumed. BatchGetItem and BatchWriteItem are admitted item by item by their own wrapper
 * (batch-admission.ts), which returns the throttled part as unprocessed. A PartiQL statement is admitted
 * and charged as the operation it runs as (AdmissionHook.seesStatements), and its throttling is counted
 * against its PartiQL operation. Every other request goes to `controlPlane` (the UpdateTable rules): one
 * hook for the module, so data-plane requests pay one call.
 */
export function admissionHook(ledger: CapacityLedger, controlPlane: AdmissionHook): AdmissionHook {
  const enforce = ledger.settings.enforce;
  const clock = ledger.context.clock;
  // What beforeOperation found for the single-table request now running (operations never interleave,
  // and run synchronously: its clock reading holds for afterOperation).
  let admittedRequest: OperationRequest | undefined;
  let admittedTable: TableCapacity | undefined;
  let admittedResource: ResourceThroughput | undefined;
  let admittedKey: string | undefined;
  let admittedWrite = false;
  let admittedAt = 0;
  /** A write to a table with GSIs: the GSI partition keys it touches (indexWriteKeys). */
  let admittedIndexKeys: string[][] | undefined;
  return {
    seesStatements: true,
    beforeOperation(request) {
      if (request.service !== 'DynamoDB_20120810') return;
      const input = request.input;
      // Which single-table operation, whether it writes, and the member holding its partition key.
      let write: boolean;
      let keyed: unknown;
      switch (request.operation) {
        case 'GetItem':
          write = false;
          keyed = input.Key;
          break;
        case 'PutItem':
          write = true;
          keyed = input.Item;
          break;
        case 'UpdateItem':
        case 'DeleteItem':
          write = true;
          keyed = input.Key;
          break;
        case 'Query':
        case 'Scan':
          write = false;
          keyed = undefined;
          break;
        case 'BatchGetItem':
        case 'BatchWriteItem':
          // Admitted item by item by the batch's wrapper, charged here afterwards.
          admittedRequest = undefined;
          ledger.batch = new PendingBatch(request.operation === 'BatchWriteItem');
          return;
        default: {
          admittedRequest = undefined;
          const transactionWrites = TRANSACTIONS[request.operation];
          if (transactionWrites === undefined) controlPlane.beforeOperation?.(request);
          // A replayed TransactWriteItems only reads its items: admitted against read capacity.
          else if (enforce) admitTransaction(ledger, request, transactionWrites && !replays(ledger, request));
          return;
        }
      }
      const table = ledger.tableOf(input.TableName);
      if (table === undefined) {
        admittedRequest = undefined;
        return;
      }
      // The resource read or written: a Query on a GSI reads the GSI (and its partition keys).
      const resource = typeof input.IndexName === 'string' ? (table.indexes.get(input.IndexName) ?? table.table) : table.table;
      const key =
        keyed !== undefined ? partitionKeyOf(keyed, table.partitionKey) : request.operation === 'Query' ? queryPartitionKeyOf(input, resource.partitionKey) : undefined;
      const now = clock.now();
      admittedRequest = request;
      admittedTable = table;
      admittedResource = resource;
      admittedKey = key;
      admittedWrite = write;
      admittedAt = now;
      admittedIndexKeys = write && table.indexList.length > 0 ? indexWriteKeys(table, storedItemOf(table, keyed), request.operation === 'PutItem' ? keyed : undefined) : undefined;
      if (!enforce) return;
      const refusal = refusalAt(table, resource, write, key, now, admittedIndexKeys);
      if (refusal === undefined) return;
      ledger.throttled(table.view.name, request.enclosingOperation ?? request.operation, [refusal]);
      if (ledger.insights.active && key !== undefined) ledger.insights.record(table.view.name, undefined, key, true, sortKeyOf(table, keyed));
      throw throttlingError(refusal);
    },
    afterOperation(request, output) {
      if (request === admittedRequest) {
        admittedRequest = undefined;
        const table = admittedTable!;
        const resource = admittedResource!;
        // The commonest request (on the table, touching no index) is charged from a number: no ConsumedCapacity is built.
        const units = request.tableCapacityUnits;
        if (units !== undefined && resource === table.table) ledger.chargeTable(table, units, admittedWrite, admittedKey, admittedAt);
        else {
          const consumed = request.consumedCapacity;
          if (consumed === undefined || consumed.length !== 1) return;
          const entry = consumed[0]!;
          if (resource === table.table) {
            ledger.chargeSingle(table, entry, admittedWrite, admittedKey, admittedAt);
            if (admittedIndexKeys !== undefined) chargeIndexKeys(table, entry, request, admittedIndexKeys, admittedAt);
          } else {
            // A Query on a GSI: the GSI's share goes to its partition key too.
            ledger.chargeEntryAt(table, entry, admittedWrite, undefined, 0, admittedAt);
            if (admittedKey !== undefined) resource.keys.charge(admittedKey, entry.GlobalSecondaryIndexes?.[resource.name]?.CapacityUnits ?? 0, false, admittedAt);
          }
        }
        if (admittedKey !== undefined && ledger.insights.active) {
          ledger.insights.record(table.view.name, undefined, admittedKey, false, SINGLE_ITEMS[request.operation] ? sortKeyOf(table, request.operation === 'PutItem' ? request.input.Item : request.input.Key) : undefined);
        }
        return;
      }
      if (request.service !== 'DynamoDB_20120810') return;
      const single = SINGLE_WRITES[request.operation];
      if (single !== undefined) {
        // A request another hook replaced, or one made while another ran: charged without its key.
        const consumed = request.consumedCapacity;
        const table = ledger.tableOf(request.input.TableName);
        if (table !== undefined && consumed !== undefined && consumed.length === 1) ledger.chargeEntry(table, consumed[0]!, single, undefined, 0);
        return;
      }
      if (request.operation === 'BatchGetItem' || request.operation === 'BatchWriteItem') {
        const batch = ledger.batch;
        ledger.batch = undefined;
        if (batch !== undefined) chargeBatch(ledger, batch, request.consumedCapacity);
        return;
      }
      const write = TRANSACTIONS[request.operation];
      if (write === undefined) controlPlane.afterOperation?.(request, output);
      else {
        const consumed = request.consumedCapacity;
        if (consumed === undefined || consumed.length === 0) return;
        const actions = actionsOf(ledger, request);
        ledger.charge(write, consumed, keysByTable(actions));
        if (write) chargeTransactionIndexKeys(ledger, consumed, actions);
      }
    },
    operationFailed(request, error) {
      if (request === admittedRequest && admittedWrite && error instanceof ConditionalCheckFailedException) {
        ledger.chargeFailedCondition(admittedTable!, request.operation === 'PutItem' ? request.input.Item : request.input.Key, admittedKey, admittedAt);
      }
      admittedRequest = undefined;
      ledger.batch = undefined;
    },
  };
}

/**
 * Why a request on `table` (on `key`'s partition) is refused now: the table, then — for a write — each
 * GSI it must also write, then the partition key's ceiling.
 */
export function refusalOf(ledger: CapacityLedger, table: TableCapacity, write: boolean, key: string | undefined, indexKeys?: readonly (readonly string[])[]): Refusal | undefined {
  return refusalAt(table, table.table, write, key, ledger.context.clock.now(), indexKeys);
}

/**
 * refusalOf for a request reading or writing `resource` (the table or a GSI; `key` is its partition key)
 * at `now`; a write's `indexKeys` are the GSI partition keys it touches (indexWriteKeys), each under its
 * GSI's key ceiling.
 */
function refusalAt(table: TableCapacity, resource: ResourceThroughput, write: boolean, key: string | undefined, now: number, indexKeys: readonly (readonly string[])[] | undefined): Refusal | undefined {
  const refusal = resource.refusal(write, now, key);
  if (refusal !== undefined || !write) return refusal;
  // A write also writes every GSI: one with no capacity left throttles the table's writes.
  const indexes = table.indexList;
  for (let i = 0; i < indexes.length; i++) {
    const index = indexes[i]!;
    const indexRefusal = index.refusal(true, now, undefined);
    if (indexRefusal !== undefined) return indexRefusal;
    const keys = indexKeys?.[i];
    if (keys !== undefined) {
      for (const indexKey of keys) {
        const keyRefusal = index.refusal(true, now, indexKey);
        if (keyRefusal !== undefined) return keyRefusal;
      }
    }
  }
  return undefined;
}

/**
 * Charges each GSI's share of a write to the GSI partition keys it touched, spread evenly; an UpdateItem's
 * new index key is known only now, from the item it wrote.
 */
function chargeIndexKeys(table: TableCapacity, entry: ConsumedCapacity, request: OperationRequest, indexKeys: string[][], now: number): void {
  if (request.operation === 'UpdateItem') addUpdatedIndexKeys(table, request.input.Key, indexKeys);
  chargeIndexWriteKeys(table, entry, indexKeys, now);
}

/** Adds to `indexKeys` the GSI partition keys of the item `key` names as it is now (an update's result, known only once it ran). */
function addUpdatedIndexKeys(table: TableCapacity, key: unknown, indexKeys: string[][]): void {
  const updated = storedItemOf(table, key);
  if (updated !== undefined) addIndexWriteKeys(indexKeys, indexWriteKeys(table, undefined, updated));
}

/** The sort key value of a request's Key (or PutItem's Item), for Contributor Insights; undefined for a table without one. */
function sortKeyOf(table: TableCapacity, keyed: unknown): string | undefined {
  return table.sortKey === undefined ? undefined : partitionKeyOf(keyed, table.sortKey);
}

function actionsOf(ledger: CapacityLedger, request: OperationRequest): Action[] {
  const items = request.input.TransactItems;
  const actions: Action[] = [];
  if (!Array.isArray(items)) return actions;
  for (const item of items as unknown[]) {
    if (item === null || typeof item !== 'object') continue;
    for (const name of ACTIONS) {
      const action = (item as Record<string, unknown>)[name] as Record<string, unknown> | undefined;
      if (action === null || typeof action !== 'object') continue;
      const table = ledger.tableOf(action.TableName);
      if (table === undefined) {
        actions.push({ table, key: undefined });
        continue;
      }
      const keyed = name === 'Put' ? action.Item : action.Key;
      // Put, Update and Delete write the table's GSIs (a ConditionCheck writes nothing).
      const writes = name === 'Put' || name === 'Update' || name === 'Delete';
      const indexKeys = writes && table.indexList.length > 0 ? indexWriteKeys(table, storedItemOf(table, keyed), name === 'Put' ? keyed : undefined) : undefined;
      actions.push({ table, key: partitionKeyOf(keyed, table.partitionKey), indexKeys, updated: name === 'Update' ? action.Key : undefined });
    }
  }
  return actions;
}

/**
 * Whether a TransactWriteItems request meets an earlier one's ClientRequestToken within its idempotency
 * window: it writes nothing then (it is answered as a replay, charged as reads, or refused as a mismatch).
 */
function replays(ledger: CapacityLedger, request: OperationRequest): boolean {
  const token = request.input.ClientRequestToken;
  if (typeof token !== 'string') return false;
  const committedAt = ledger.context.transactionTokenCommittedAt(token);
  return committedAt !== undefined && ledger.context.clock.now() - committedAt < IDEMPOTENCY_WINDOW_MS;
}

/**
 * A transaction is refused as DynamoDB refuses one: TransactionCanceledException with a ThrottlingError
 * reason for each throttled action and None for the others.
 */
function admitTransaction(ledger: CapacityLedger, request: OperationRequest, write: boolean): void {
  const actions = actionsOf(ledger, request);
  let reasons: CancellationReason[] | undefined;
  const refusals: Refusal[] = [];
  for (let i = 0; i < actions.length; i++) {
    const { table, key, indexKeys } = actions[i]!;
    const refusal = table === undefined ? undefined : refusalOf(ledger, table, write, key, indexKeys);
    if (refusal === undefined) continue;
    refusals.push(refusal);
    reasons ??= actions.map(() => ({ Code: 'None' }));
    reasons[i] = { Code: 'ThrottlingError', Message: refusal.resource === 'Index' ? MSG_TRANSACTION_INDEX : MSG_TRANSACTION_TABLE };
  }
  if (reasons === undefined) return;
  ledger.throttled(actions.find((a) => a.table !== undefined)!.table!.view.name, request.enclosingOperation ?? request.operation, refusals);
  throw new TransactionCanceledException(reasons);
}

/**
 * Charges each GSI's share of a committed TransactWriteItems to the GSI partition keys its writes touched
 * (an Update's new keys read from the item it wrote), per table.
 */
function chargeTransactionIndexKeys(ledger: CapacityLedger, consumed: readonly ConsumedCapacity[], actions: readonly Action[]): void {
  const keysByTable = new Map<TableCapacity, string[][]>();
  for (const action of actions) {
    if (action.table === undefined || action.indexKeys === undefined) continue;
    let keys = keysByTable.get(action.table);
    if (keys === undefined) keysByTable.set(action.table, (keys = []));
    addIndexWriteKeys(keys, action.indexKeys);
    if (action.updated !== undefined) addUpdatedIndexKeys(action.table, action.updated, keys);
  }
  if (keysByTable.size === 0) return;
  const now = ledger.context.clock.now();
  for (const entry of consumed) {
    const table = ledger.tableOf(entry.TableName);
    const keys = table === undefined ? undefined : keysByTable.get(table);
    if (keys !== undefined) chargeIndexWriteKeys(table!, entry, keys, now);
  }
}

/** The partition keys of a transaction's items, per table name. */
function keysByTable(actions: readonly Action[]): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const { table, key } of actions) {
    if (table === undefined || key === undefined) continue;
    const list = keys.get(table.view.name);
    if (list === undefined) keys.set(table.view.name, [key]);
    else list.push(key);
  }
  return keys;
}
