import type { Engine } from '../engine.js';
import type { Item, Key } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity.js';
import { itemSize } from '../model/item-size.js';
import { checkKeySchema, validateKeyValues } from '../model/validate-key.js';
import { primaryKeyCodeOf } from '../storage/storage-key.js';
import { consumedCapacity, type ConsumedCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkOldOnlyReturnValues } from './validation/item-input.js';
import { validateDeleteItemInput } from './validation/validate-delete-item-input.js';

export interface DeleteItemInput {
  TableName: string;
  Key: Key;
  ReturnValues?: 'NONE' | 'ALL_OLD';
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: 'SIZE' | 'NONE';
}
export interface DeleteItemOutput {
  Attributes?: Item;
  ConsumedCapacity?: ConsumedCapacity | undefined;
}

/** DeleteItem: removes the item with the given key, if any. Charged for the deleted item's size (minimum 1 unit). */
export function deleteItem(engine: Engine, input: DeleteItemInput): DeleteItemOutput {
  validateDeleteItemInput(input as unknown as Record<string, unknown>);
  const key = validateKeyValues(input.Key as Record<string, unknown>);
  checkOldOnlyReturnValues(input.ReturnValues);
  const table = engine.itemTable(input.TableName);
  checkKeySchema(key, table.keySchema);

  const old = table.storage.delete(primaryKeyCodeOf(key, table.keySchema));

  if (old !== undefined) {
    engine.publish([
      {
        tableName: table.name,
        eventName: 'REMOVE',
        keys: key,
        oldImage: old,
        timestamp: engine.clock.now(),
        origin: 'user',
      },
    ]);
  }

  const output: DeleteItemOutput = {};
  if (input.ReturnValues === 'ALL_OLD' && old !== undefined) output.Attributes = old;
  if (input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE') {
    const units = writeCapacityUnits(old === undefined ? 0 : itemSize(old));
    output.ConsumedCapacity = consumedCapacity(input.ReturnConsumedCapacity, table.name, units);
  }
  return output;
}
