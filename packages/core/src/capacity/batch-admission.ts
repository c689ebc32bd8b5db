import type { ConsumedCapacity } from '../model/capacity.js';
import type { OperationEntry } from '../modules/module.js';
import { refusalOf } from './admission-hook.js';
import type { CapacityLedger } from './capacity-ledger.js';
import { addIndexWriteKeys, chargeIndexWriteKeys, indexWriteKeys, storedItemOf } from './index-write-keys.js';
import { partitionKeyOf } from './partition-key.js';
import type { TableCapacity } from './table-capacity.js';
import { throttlingError, type Refusal } from './throttling.js';

type Requests = Record<string, unknown>;

/** How a batch's items are found, split and put back (BatchGetItem's Keys, BatchWriteItem's requests). */
interface BatchShape {
  readonly write: boolean;
  /** The items of one table's part of the request, or undefined when the part is malformed. */
  items(part: unknown): readonly unknown[] | undefined;
  /** An item's Key (or Item), where its partition key is. */
  keyOf(item: unknown): unknown;
  /** One table's part holding only `items` (a get keeps its table's parameters). */
  part(original: unknown, items: unknown[]): unknown;
  /** The output member holding the unprocessed part. */
  readonly unprocessed: 'UnprocessedKeys' | 'UnprocessedItems';
}

const BATCH_GET: BatchShape = {
  write: false,
  items: (part) => (part !== null && typeof part === 'object' && Array.isArray((part as { Keys?: unknown }).Keys) ? (part as { Keys: unknown[] }).Keys : undefined),
  keyOf: (item) => item,
  part: (original, items) => ({ ...(original as object), Keys: items }),
  unprocessed: 'UnprocessedKeys',
};

const BATCH_WRITE: BatchShape = {
  write: true,
  items: (part) => (Array.isArray(part) ? part : undefined),
  keyOf: (item) => {
    if (item === null || typeof item !== 'object') return undefined;
    const { PutRequest, DeleteRequest } = item as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } };
    return PutRequest?.Item ?? DeleteRequest?.Key;
  },
  part: (_original, items) => items,
  unprocessed: 'UnprocessedItems',
};

/** A BatchWriteItem request's PutRequest.Item (the item it writes), if it is one. */
function putItemOf(request: unknown): unknown {
  return request !== null && typeof request === 'object' ? (request as { PutRequest?: { Item?: unknown } | null }).PutRequest?.Item : undefined;
}

/** Capacity's BatchGetItem: the throttled keys come back as UnprocessedKeys. */
export function admittedBatchGet(ledger: CapacityLedger, core: OperationEntry): OperationEntry {
  return { ...core, handler: (input) => admitBatch(ledger, core, BATCH_GET, 'BatchGetItem', input) };
}

/** Capacity's BatchWriteItem: the throttled requests come back as UnprocessedItems. */
export function admittedBatchWrite(ledger: CapacityLedger, core: OperationEntry): OperationEntry {
  return { ...core, handler: (input) => admitBatch(ledger, core, BATCH_WRITE, 'BatchWriteItem', input) };
}

/**
 * A table's admitted part of a batch: its items' partition keys, the units charged for them so far and,
 * for writes to a table with GSIs, the GSI partition keys they touch (in `indexList` order).
 */
interface Admitted {
  readonly keys: string[];
  prepaid: number;
  readonly indexKeys: string[][] | undefined;
}

/**
 * A batch the admission hook saw (ledger.batch): set before it runs, its admitted parts filled in by
 * the batch's wrapper, charged by the hook once the request has run and its consumed capacity is known.
 */
export class PendingBatch {
  /** Each table's admitted part, once the wrapper has admitted the batch. */
  admitted: Map<TableCapacity, Admitted> | undefined;
  constructor(readonly write: boolean) {}
}

/**
 * Charges an admitted batch with what it consumed (INDEXES detail, one entry per table): each table the
 * rest of what it consumed beyond the estimates charged at admission, spread over its items' keys.
 */
export function chargeBatch(ledger: CapacityLedger, batch: PendingBatch, consumed: readonly ConsumedCapacity[] | undefined): void {
  const admitted = batch.admitted;
  if (admitted === undefined || consumed === undefined) return;
  for (const entry of consumed) {
    const table = ledger.tableOf(entry.TableName);
    const part = table === undefined ? undefined : admitted.get(table);
    if (part === undefined) continue;
    ledger.chargeEntry(table!, entry, batch.write, part.keys.length > 0 ? part.keys : undefined, part.prepaid);
    if (part.indexKeys !== undefined) chargeIndexWriteKeys(table!, entry, part.indexKeys, ledger.context.clock.now());
  }
}

/**
 * Admits a batch item by item, as DynamoDB does: each item is charged an estimate as it is admitted (a
 * write unit, or a read unit — half when eventually consistent), so the items whose table, GSI or
 * partition key has no capacity left are not done and come back unprocessed; the rest run as one batch,
 * and once it has run the admission hook charges each table the rest of what it consumed (chargeBatch).
 * When nothing can be done the batch fails with the throttling exception.
 *
 * Only requests the admission hook saw (ledger.batch) are admitted and charged; a module's own `execute`
 * runs as sent. A batch with nothing throttled runs exactly as sent; one with throttled items runs
 * without them, so their validation waits until they are sent again (a difference only for invalid
 * requests).
 */
function admitBatch(ledger: CapacityLedger, core: OperationEntry, shape: BatchShape, operation: string, input: Record<string, unknown>): unknown {
  const batch = ledger.batch;
  const requestItems = input.RequestItems;
  if (batch === undefined || requestItems === null || typeof requestItems !== 'object' || Array.isArray(requestItems)) return core.handler(input);
  // Taken while the batch runs, so a batch requested from inside it (a change listener's) has its own.
  ledger.batch = undefined;
  const now = ledger.context.clock.now();
  const admitted: Requests = {};
  const throttled: Requests = {};
  const charged = new Map<TableCapacity, Admitted>();
  const refusals: Refusal[] = [];
  let anyAdmitted = false;
  for (const [name, part] of Object.entries(requestItems as Requests)) {
    const items = shape.items(part);
    const table = ledger.tableOf(name);
    if (items === undefined || table === undefined) {
      admitted[name] = part;
      anyAdmitted = true;
      continue;
    }
    const estimate = shape.write ? 1 : (part as { ConsistentRead?: unknown }).ConsistentRead === true ? 1 : 0.5;
    const keep: unknown[] = [];
    const drop: unknown[] = [];
    // A write also writes each GSI: its GSI partition keys are under their ceiling too.
    const indexed = shape.write && table.indexList.length > 0;
    const tableCharge: Admitted = { keys: [], prepaid: 0, indexKeys: indexed ? [] : undefined };
    for (const item of items) {
      const keyed = shape.keyOf(item);
      const key = partitionKeyOf(keyed, table.partitionKey);
      const indexKeys = indexed ? indexWriteKeys(table, storedItemOf(table, keyed), putItemOf(item)) : undefined;
      const refusal = ledger.settings.enforce ? refusalOf(ledger, table, shape.write, key, indexKeys) : undefined;
      if (refusal !== undefined) {
        drop.push(item);
        refusals.push(refusal);
        continue;
      }
      keep.push(item);
      table.table.charge(shape.write, estimate, now, key);
      tableCharge.prepaid += estimate;
      if (key !== undefined) tableCharge.keys.push(key);
      if (indexKeys !== undefined) addIndexWriteKeys(tableCharge.indexKeys!, indexKeys);
    }
    if (keep.length > 0 || items.length === 0) {
      admitted[name] = shape.part(part, keep);
      anyAdmitted = true;
    }
    if (drop.length > 0) throttled[name] = shape.part(part, drop);
    charged.set(table, tableCharge);
  }
  if (refusals.length > 0) ledger.throttled([...charged.keys()][0]!.view.name, operation, refusals);
  let output: Record<string, unknown>;
  try {
    if (!anyAdmitted) throw throttlingError(refusals[0]!);
    output = core.handler(refusals.length === 0 ? input : { ...input, RequestItems: admitted }) as Record<string, unknown>;
  } catch (error) {
    // Nothing ran: give back what the admitted items were charged.
    for (const [table, part] of charged) if (part.prepaid > 0) table.table.charge(shape.write, -part.prepaid, now, undefined);
    throw error;
  }
  batch.admitted = charged;
  ledger.batch = batch;
  if (refusals.length === 0) return output;
  const unprocessed = { ...(output[shape.unprocessed] as Requests | undefined) };
  for (const [name, part] of Object.entries(throttled)) {
    const already = shape.items(unprocessed[name]);
    unprocessed[name] = already === undefined ? part : shape.part(part, [...already, ...shape.items(part)!]);
  }
  return { ...output, [shape.unprocessed]: unprocessed };
}
