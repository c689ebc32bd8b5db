import type { Item, Key } from '../model/attribute-value.js';
import type { ConsumedCapacity } from '../model/capacity.js';
import { keyAttributesOf } from '../model/key-schema.js';
import { partitionKeyOf } from './partition-key.js';
import type { TableCapacity } from './table-capacity.js';

/**
 * The item a request's Key (or PutItem's Item) names, as stored now, or undefined. The request is not
 * validated yet when admission reads it: a key it cannot read names no item here (the operation then
 * answers the validation error). O(1).
 */
export function storedItemOf(table: TableCapacity, keyed: unknown): Item | undefined {
  if (keyed === null || typeof keyed !== 'object') return undefined;
  const key: Key = {};
  for (const { name } of keyAttributesOf(table.view.keySchema)) {
    if (partitionKeyOf(keyed, name) === undefined) return undefined;
    key[name] = (keyed as Key)[name]!;
  }
  try {
    return table.view.getItem(key);
  } catch {
    return undefined;
  }
}

/**
 * The partition keys a write touches in each GSI of its table (in `table.indexList` order): the key of
 * the item's index entry as it is (`stored`, replaced or deleted) and of the entry written (`next`: a
 * PutItem's Item, an UpdateItem's result), each once. A GSI's partitions have the same 1,000 WCU ceiling
 * as the table's, so a hot GSI partition key throttles the table's writes
 * (IndexWriteKeyRangeThroughputExceeded). O(GSIs).
 */
export function indexWriteKeys(table: TableCapacity, stored: unknown, next: unknown): string[][] {
  const indexes = table.indexList;
  const keys: string[][] = new Array<string[]>(indexes.length);
  for (let i = 0; i < indexes.length; i++) {
    const attribute = indexes[i]!.partitionKey;
    const before = partitionKeyOf(stored, attribute);
    const after = partitionKeyOf(next, attribute);
    const list: string[] = [];
    if (before !== undefined) list.push(before);
    if (after !== undefined && after !== before) list.push(after);
    keys[i] = list;
  }
  return keys;
}

/** Adds `more` (indexWriteKeys of another write to the same table) to `keys`, each GSI's keys once. */
export function addIndexWriteKeys(keys: string[][], more: readonly (readonly string[])[]): void {
  for (let i = 0; i < more.length; i++) {
    const list = (keys[i] ??= []);
    for (const key of more[i]!) if (!list.includes(key)) list.push(key);
  }
}

/**
 * Charges each GSI's share of a table's consumed capacity (`entry`, INDEXES detail) to the GSI partition
 * keys the writes touched (`indexKeys`, in `table.indexList` order), spread evenly, at `now`. O(keys).
 */
export function chargeIndexWriteKeys(table: TableCapacity, entry: ConsumedCapacity, indexKeys: readonly (readonly string[])[], now: number): void {
  const units = entry.GlobalSecondaryIndexes;
  if (units === undefined) return;
  const indexes = table.indexList;
  for (let i = 0; i < indexes.length; i++) {
    const index = indexes[i]!;
    const keys = indexKeys[i];
    if (keys === undefined || keys.length === 0) continue;
    const share = units[index.name]?.CapacityUnits ?? 0;
    for (const key of keys) index.keys.charge(key, share / keys.length, true, now);
  }
}
