import type { ConsumedCapacity } from '../model/capacity.js';
import type { OperationEntry } from '../modules/module.js';
import { refusalOf } from './admission-hook.js';
import type { CapacityLedger } from './capacity-ledger.js';
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

/** Capacity's BatchGetItem: the throttled keys come back as UnprocessedKeys. */
export function admittedBatchGet(ledger: CapacityLedger, core: OperationEntry): OperationEntry {
  return { ...core, handler: (input) => admitBatch(ledger, core, BATCH_GET, 'BatchGetItem', input) };
}

/** Capacity's BatchWriteItem: the throttled requests come back as UnprocessedItems. */
export function admittedBatchWrite(ledger: CapacityLedger, core: OperationEntry): OperationEntry {
  return { ...core, handler: (input) => admitBatch(ledger, core, BATCH_WRITE, 'BatchWriteItem', input) };
}

/**
 * Admits a batch item by item, as DynamoDB does: the items whose table, GSI or partition key has no
 * capacity left are not done and come back unprocessed; the rest run as one batch. When nothing can be
 * done the batch fails with the throttling exception. The admitted items' partition keys are charged
 * their share of what their table consumed.
 *
 * A batch with nothing throttled runs exactly as sent; one with throttled items runs without them, so
 * their validation waits until they are sent again (a difference only for invalid requests).
 */
function admitBatch(ledger: CapacityLedger, core: OperationEntry, shape: BatchShape, operation: string, input: Record<string, unknown>): unknown {
  const requestItems = input.RequestItems;
  if (requestItems === null || typeof requestItems !== 'object' || Array.isArray(requestItems)) return core.handler(input);
  const admitted: Requests = {};
  const throttled: Requests = {};
  const keys = new Map<TableCapacity, string[]>();
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
    const keep: unknown[] = [];
    const drop: unknown[] = [];
    const tableKeys: string[] = [];
    for (const item of items) {
      const key = partitionKeyOf(shape.keyOf(item), table.partitionKey);
      const refusal = ledger.settings.enforce ? refusalOf(ledger, table, shape.write, undefined, key) : undefined;
      if (refusal === undefined) {
        keep.push(item);
        if (key !== undefined) tableKeys.push(key);
      } else {
        drop.push(item);
        refusals.push(refusal);
      }
    }
    if (keep.length > 0 || items.length === 0) {
      admitted[name] = shape.part(part, keep);
      anyAdmitted = true;
    }
    if (drop.length > 0) throttled[name] = shape.part(part, drop);
    keys.set(table, tableKeys);
  }
  if (refusals.length > 0) {
    const first = [...keys.keys()][0]!;
    ledger.throttled(first.view.name, operation, refusals);
    if (!anyAdmitted) throw throttlingError(refusals[0]!);
  }
  const output = core.handler(refusals.length === 0 ? input : { ...input, RequestItems: admitted }) as Record<string, unknown>;
  chargeKeys(ledger, shape.write, output.ConsumedCapacity as ConsumedCapacity[] | undefined, keys);
  if (refusals.length === 0) return output;
  const unprocessed = { ...(output[shape.unprocessed] as Requests | undefined) };
  for (const [name, part] of Object.entries(throttled)) {
    const already = shape.items(unprocessed[name]);
    unprocessed[name] = already === undefined ? part : shape.part(part, [...already, ...shape.items(part)!]);
  }
  return { ...output, [shape.unprocessed]: unprocessed };
}

/** Spreads each table's consumed share over the partition keys of its admitted items. */
function chargeKeys(ledger: CapacityLedger, write: boolean, consumed: ConsumedCapacity[] | undefined, keys: ReadonlyMap<TableCapacity, readonly string[]>): void {
  if (consumed === undefined) return;
  const now = ledger.context.clock.now();
  for (const [table, tableKeys] of keys) {
    if (tableKeys.length === 0) continue;
    const entry = consumed.find((c) => c.TableName === table.view.name);
    if (entry === undefined) continue;
    const share = (entry.Table?.CapacityUnits ?? entry.CapacityUnits) / tableKeys.length;
    for (const key of tableKeys) table.table.keys.charge(key, share, write, now);
  }
}
