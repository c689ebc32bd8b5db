import type { Engine } from '../engine.js';
import { ValidationException } from '../errors.js';
import type { AttributeValue, Item, Key } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity.js';
import { keyAttributesOf } from '../model/key-schema.js';
import { memberOf, setMember } from '../model/set-member.js';
import { validateItem } from '../model/validate-item.js';
import { checkKeySchema, validateKeyValues } from '../model/validate-key.js';
import { decodeItem } from '../storage/item-codec.js';
import { primaryKeyCodeOf, primaryKeyIdentity, withHash, type PrimaryKeyCode } from '../storage/storage-key.js';
import type { TableState } from '../tables/table-state.js';
import { checkIndexKeys } from '../tables/index-key-checks.js';
import { checkCollectionWrites, itemCollectionMetrics, type ItemCollectionMetrics } from '../tables/item-collections.js';
import { removeItem, writeItemReplacing } from '../tables/write-item.js';
import { MSG_DUPLICATE_KEYS } from './batch-keys.js';
import { chargedCapacity, indexWriteUnits, measuresCapacity, type ConsumedCapacity, type IndexUnits, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { publishItemChange } from './item-write.js';
import { validateBatchWriteItemInput } from './validation/validate-batch-write-item-input.js';

/** One write of a BatchWriteItem: exactly one of PutRequest and DeleteRequest. */
export interface WriteRequest {
  PutRequest?: { Item: Item };
  DeleteRequest?: { Key: Key };
}
export interface BatchWriteItemInput {
  RequestItems: Record<string, WriteRequest[]>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}
export interface BatchWriteItemOutput {
  /** Per table, the requests not applied; send them again. Always empty here (nothing throttles). */
  UnprocessedItems: Record<string, WriteRequest[]>;
  ConsumedCapacity?: ConsumedCapacity[];
  /** Per table with local secondary indexes, the item collections the writes touched (ReturnItemCollectionMetrics SIZE). */
  ItemCollectionMetrics?: Record<string, ItemCollectionMetrics[]>;
}

/** One validated write. */
interface Write {
  /** The item to put; undefined for a delete. */
  readonly item: Item | undefined;
  /** The Key of a delete, or the put item. */
  readonly key: Key;
  readonly size: number;
  code?: PrimaryKeyCode;
}

interface TableWrites {
  readonly name: string;
  readonly writes: Write[];
  table?: TableState;
}

/** Receives the size validateItem measures (reused: operations never nest). */
const measured = { size: 0 };

/**
 * BatchWriteItem: up to 25 PutItems and DeleteItems (no conditions, no return values) over one or more
 * tables. Every request is validated before any is applied: the parameters, each item's and key's
 * AttributeValues and size (in request order), then every table is looked up, then each write is checked
 * against its table's key schema and index key types, and for a second write to one item ("Provided
 * list of item keys contains duplicates"), then, for tables with local secondary indexes, whether the
 * writes together would grow an item collection past its limit (ItemCollectionSizeLimitExceededException
 * for the whole batch). A failure changes nothing. The writes are then applied in
 * request order, each on its own (table and indexes together) with its own change record.
 *
 * @internal
 */
export function batchWriteItem(engine: Engine, input: BatchWriteItemInput): BatchWriteItemOutput {
  // 1. validate everything
  validateBatchWriteItemInput(input as unknown as Record<string, unknown>);
  const groups: TableWrites[] = [];
  for (const name in input.RequestItems) {
    const requests = input.RequestItems[name]!;
    const writes: Write[] = new Array<Write>(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const request = requests[i]!;
      const put = request.PutRequest;
      if (put != null) {
        const item = validateItem(put.Item as Record<string, unknown>, measured);
        writes[i] = { item, key: item, size: measured.size };
      } else {
        writes[i] = { item: undefined, key: validateKeyValues(request.DeleteRequest!.Key as Record<string, unknown>), size: 0 };
      }
    }
    groups.push({ name, writes });
  }
  for (const group of groups) group.table = engine.itemTable(group.name);
  const seen = new Map<TableState, Set<string>>();
  for (const group of groups) {
    const table = group.table!;
    const schema = table.keySchema;
    const indexed = table.indexes.length > 0;
    let keys = seen.get(table);
    if (keys === undefined) seen.set(table, (keys = new Set()));
    for (const write of group.writes) {
      if (write.item === undefined) checkKeySchema(write.key, schema);
      else {
        checkKeySchema(keyPart(write.item, table), schema);
        if (indexed) checkIndexKeys(table, write.item);
      }
      const code = primaryKeyCodeOf(write.key, schema);
      const identity = primaryKeyIdentity(code);
      if (keys.has(identity)) throw new ValidationException(MSG_DUPLICATE_KEYS);
      keys.add(identity);
      write.code = code;
    }
  }
  // Every LSI item collection the batch grows, checked with all the batch's writes before any is applied.
  let collections: Map<TableState, Array<{ code: PrimaryKeyCode; next: Item | undefined }>> | undefined;
  for (const group of groups) {
    const table = group.table!;
    if (table.collectionSizes === undefined) continue;
    collections ??= new Map();
    let list = collections.get(table);
    if (list === undefined) collections.set(table, (list = []));
    for (const write of group.writes) list.push({ code: write.code!, next: write.item });
  }
  if (collections !== undefined) for (const [table, writes] of collections) checkCollectionWrites(table, writes);

  // 2. apply each write, in request order
  const mode = input.ReturnConsumedCapacity;
  // Measured when the caller asks, or admission hooks read it (each table's INDEXES entry then goes to them).
  const charge = measuresCapacity(engine, mode);
  const capacity: ConsumedCapacity[] = [];
  for (const group of groups) {
    const table = group.table!;
    const schema = table.keySchema;
    const indexed = table.indexes.length > 0;
    let units = 0;
    let indexUnits: Map<string, IndexUnits> | undefined;
    for (const write of group.writes) {
      const code = write.code!;
      const item = write.item;
      let old: Item | undefined;
      if (item !== undefined) {
        const place = (c: PrimaryKeyCode) => withHash(c, item, schema);
        if (indexed) {
          // Index maintenance reads the replaced item anyway: read (decode) it once.
          old = table.storage.get(code);
          writeItemReplacing(table, code, old, item, place, true, write.size);
        } else {
          const replaced = table.storage.write(code, item, place, write.size);
          // Decoded only for change listeners.
          if (replaced !== undefined && engine.hasChangeListeners) old = decodeItem(replaced);
        }
      } else {
        old = removeItem(table, code);
      }
      // The storage kept the replaced or deleted item's size (0 when there was none): read before a change listener reads the table.
      const oldSize = table.storage.lastItemSize;
      publishItemChange(engine, table, old, item);
      if (!charge) continue;
      units += writeCapacityUnits(Math.max(write.size, oldSize));
      if (indexed) indexUnits = addIndexUnits(indexUnits, indexWriteUnits(table, old, item));
    }
    const consumed = charge ? chargedCapacity(engine, mode, group.name, units, indexUnits === undefined ? undefined : [...indexUnits.values()]) : undefined;
    if (consumed !== undefined) capacity.push(consumed);
  }

  // 3. answer
  const output: BatchWriteItemOutput = { UnprocessedItems: {} };
  if (mode === 'TOTAL' || mode === 'INDEXES') output.ConsumedCapacity = capacity;
  if (input.ReturnItemCollectionMetrics === 'SIZE') {
    const metrics = collectionMetrics(groups);
    if (metrics !== undefined) output.ItemCollectionMetrics = metrics;
  }
  return output;
}

/**
 * A put item's key attributes, for the key schema check: the item's values of the table's key
 * attributes, plus one stand-in attribute when the item lacks one of them, so that a missing key
 * attribute answers "The provided key element does not match the schema" as DynamoDB does for
 * BatchWriteItem (PutItem instead says "Missing the key …").
 */
function keyPart(item: Item, table: TableState): Key {
  const key: Record<string, AttributeValue> = {};
  for (const { name } of keyAttributesOf(table.keySchema)) {
    const value = memberOf(item, name);
    if (value === undefined) return {};
    setMember(key, name, value);
  }
  return key;
}

/** Adds one write's index units to a table's running totals, per index. */
function addIndexUnits(totals: Map<string, IndexUnits> | undefined, units: IndexUnits[] | undefined): Map<string, IndexUnits> {
  const out = totals ?? new Map<string, IndexUnits>();
  if (units === undefined) return out;
  for (const entry of units) {
    const sum = out.get(entry.name);
    out.set(entry.name, sum === undefined ? entry : { name: entry.name, kind: entry.kind, units: sum.units + entry.units });
  }
  return out;
}

/** ItemCollectionMetrics per table with LSIs: one entry per partition key written, after all the writes. */
function collectionMetrics(groups: readonly TableWrites[]): Record<string, ItemCollectionMetrics[]> | undefined {
  let out: Record<string, ItemCollectionMetrics[]> | undefined;
  for (const group of groups) {
    const table = group.table!;
    if (table.collectionSizes === undefined) continue;
    const done = new Set<string>();
    const list: ItemCollectionMetrics[] = [];
    for (const write of group.writes) {
      if (done.has(write.code!.partitionKey)) continue;
      done.add(write.code!.partitionKey);
      const metrics = itemCollectionMetrics(table, write.key);
      if (metrics !== undefined) list.push(metrics);
    }
    setMember((out ??= {}), group.name, list);
  }
  return out;
}
