import type { Engine } from '../engine.js';
import type { Item } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity.js';
import { equalItems } from '../model/equal-values.js';
import { itemSize } from '../model/item-size.js';
import { validateItem } from '../model/validate-item.js';
import { keyOf, validateItemKey } from '../model/validate-key.js';
import { primaryKeyCodeOf, withHash } from '../storage/storage-key.js';
import { consumedCapacity, type ConsumedCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkOldOnlyReturnValues } from './validation/item-input.js';
import { validatePutItemInput } from './validation/validate-put-item-input.js';

export interface PutItemInput {
  TableName: string;
  Item: Item;
  ReturnValues?: 'NONE' | 'ALL_OLD';
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}
export interface PutItemOutput {
  Attributes?: Item;
  ConsumedCapacity?: ConsumedCapacity | undefined;
}

/**
 * PutItem: creates an item or replaces the whole item with the same key.
 * Charged for the larger of the old and the new item, in 1 KB write units.
 */
export function putItem(engine: Engine, input: PutItemInput): PutItemOutput {
  // 1. validate the request and its item, then the item against the table's key schema
  validatePutItemInput(input as unknown as Record<string, unknown>);
  const item = validateItem(input.Item as Record<string, unknown>);
  checkOldOnlyReturnValues(input.ReturnValues);
  const table = engine.itemTable(input.TableName);
  validateItemKey(item, table.keySchema);

  // 2. write (conditions will be checked against `old` before this point once expressions exist)
  // Only a new item's partition key is hashed: one that replaces another reuses its storage key.
  const schema = table.keySchema;
  const old = table.storage.put(primaryKeyCodeOf(item, schema), item, (code) => withHash(code, item, schema));

  // 3. publish the change: an identical put changes nothing and publishes nothing
  if (engine.hasChangeListeners && (old === undefined || !equalItems(old, item))) {
    engine.publish([
      {
        tableName: table.name,
        eventName: old === undefined ? 'INSERT' : 'MODIFY',
        keys: keyOf(item, table.keySchema),
        oldImage: old,
        newImage: item,
        timestamp: engine.clock.now(),
        origin: 'user',
      },
    ]);
  }

  // 4. shape the response
  const output: PutItemOutput = {};
  if (input.ReturnValues === 'ALL_OLD' && old !== undefined) output.Attributes = old;
  if (input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE') {
    const bytes = Math.max(itemSize(item), old === undefined ? 0 : itemSize(old));
    output.ConsumedCapacity = consumedCapacity(input.ReturnConsumedCapacity, table.name, writeCapacityUnits(bytes));
  }
  return output;
}
