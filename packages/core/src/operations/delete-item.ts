import type { Engine } from '../engine.js';
import { prepareCheckedExpressions } from '../expressions/prepare.js';
import type { Item, Key } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity.js';
import { checkKeySchema, validateKeyValues } from '../model/validate-key.js';
import { primaryKeyCodeOf } from '../storage/storage-key.js';
import { itemCollectionMetrics, type ItemCollectionMetrics } from '../tables/item-collections.js';
import { removeItem } from '../tables/write-item.js';
import { chargedCapacity, indexWriteUnits, measuresCapacity, type ConsumedCapacity } from './consumed-capacity.js';
import { assertCondition, publishItemChange, type ItemWriteParameters } from './item-write.js';
import { checkOldOnlyReturnValues } from './validation/item-input.js';
import { validateDeleteItemInput } from './validation/validate-delete-item-input.js';

export interface DeleteItemInput extends ItemWriteParameters {
  Key: Key;
  ReturnValues?: 'NONE' | 'ALL_OLD';
}
export interface DeleteItemOutput {
  Attributes?: Item;
  ConsumedCapacity?: ConsumedCapacity | undefined;
  ItemCollectionMetrics?: ItemCollectionMetrics;
}

/**
 * DeleteItem: removes the item with the given key, if any and if its condition holds.
 * Charged for the deleted item's size (minimum 1 unit).
 *
 * @internal
 */
export function deleteItem(engine: Engine, input: DeleteItemInput): DeleteItemOutput {
  const request = input as unknown as Record<string, unknown>;
  validateDeleteItemInput(request);
  const key = validateKeyValues(input.Key as Record<string, unknown>);
  checkOldOnlyReturnValues(input.ReturnValues);
  const { condition } = prepareCheckedExpressions(request, 'DeleteItem');
  const table = engine.itemTable(input.TableName);
  checkKeySchema(key, table.keySchema);

  const code = primaryKeyCodeOf(key, table.keySchema);
  // A condition reads the item as it is; the delete then reuses it instead of decoding it again.
  const current = condition === undefined ? undefined : table.storage.get(code);
  if (condition !== undefined) assertCondition(condition, current, input.ReturnValuesOnConditionCheckFailure);
  const old = removeItem(table, code, current);
  const oldSize = table.storage.lastItemSize;
  publishItemChange(engine, table, old, undefined);

  const output: DeleteItemOutput = {};
  if (input.ReturnValues === 'ALL_OLD' && old !== undefined) output.Attributes = old;
  if (measuresCapacity(engine, input.ReturnConsumedCapacity)) {
    const units = writeCapacityUnits(oldSize);
    output.ConsumedCapacity = chargedCapacity(engine, input.ReturnConsumedCapacity, input.TableName, units, indexWriteUnits(table, old, undefined));
  }
  if (input.ReturnItemCollectionMetrics === 'SIZE' && table.indexes.length > 0) {
    const metrics = itemCollectionMetrics(table, key);
    if (metrics !== undefined) output.ItemCollectionMetrics = metrics;
  }
  return output;
}
