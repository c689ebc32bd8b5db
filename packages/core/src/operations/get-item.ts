import type { Engine } from '../engine.js';
import type { Item, Key } from '../model/attribute-value.js';
import { readCapacityUnits } from '../model/capacity.js';
import { itemSize } from '../model/item-size.js';
import { checkKeySchema, validateKeyValues } from '../model/validate-key.js';
import { primaryKeyCodeOf } from '../storage/storage-key.js';
import { consumedCapacity, type ConsumedCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { validateGetItemInput } from './validation/validate-get-item-input.js';

export interface GetItemInput {
  TableName: string;
  Key: Key;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}
export interface GetItemOutput {
  /** The item, if one has the key. Read-only: stored items are frozen and shared. */
  Item?: Item;
  ConsumedCapacity?: ConsumedCapacity | undefined;
}

/**
 * GetItem: the item with the given primary key. Every read here is strongly consistent; ConsistentRead
 * only changes the charge (4 KB read units, halved for eventually consistent reads, minimum one half unit).
 */
export function getItem(engine: Engine, input: GetItemInput): GetItemOutput {
  validateGetItemInput(input as unknown as Record<string, unknown>);
  const key = validateKeyValues(input.Key as Record<string, unknown>);
  const table = engine.itemTable(input.TableName);
  checkKeySchema(key, table.keySchema);
  const item = table.storage.get(primaryKeyCodeOf(key, table.keySchema));

  const output: GetItemOutput = {};
  if (item !== undefined) output.Item = item;
  if (input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE') {
    const units = readCapacityUnits(item === undefined ? 0 : itemSize(item), input.ConsistentRead === true);
    output.ConsumedCapacity = consumedCapacity(input.ReturnConsumedCapacity, table.name, units);
  }
  return output;
}
