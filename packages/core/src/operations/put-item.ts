import type { Engine } from '../engine.js';
import { prepareCheckedExpressions } from '../expressions/prepare.js';
import type { Item } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity.js';
import { validateItem } from '../model/validate-item.js';
import { validateItemKey } from '../model/validate-key.js';
import { decodeItem } from '../storage/item-codec.js';
import { primaryKeyCodeOf, withHash, type PrimaryKeyCode } from '../storage/storage-key.js';
import { checkIndexKeys } from '../tables/index-key-checks.js';
import { itemCollectionMetrics, type ItemCollectionMetrics } from '../tables/item-collections.js';
import { writeItemReplacing } from '../tables/write-item.js';
import { chargedCapacity, indexWriteUnits, measuresCapacity, type ConsumedCapacity } from './consumed-capacity.js';
import { assertCondition, publishItemChange, type ItemWriteParameters } from './item-write.js';
import { checkOldOnlyReturnValues } from './validation/item-input.js';
import { validatePutItemInput } from './validation/validate-put-item-input.js';

export interface PutItemInput extends ItemWriteParameters {
  Item: Item;
  ReturnValues?: 'NONE' | 'ALL_OLD';
}
export interface PutItemOutput {
  Attributes?: Item;
  ConsumedCapacity?: ConsumedCapacity | undefined;
  ItemCollectionMetrics?: ItemCollectionMetrics;
}

/** Receives the size validateItem measures (reused: operations never nest). */
const measured = { size: 0 };

/**
 * PutItem: creates an item or replaces the whole item with the same key, if its condition holds.
 * Charged for the larger of the old and the new item, in 1 KB write units.
 *
 * @internal
 */
export function putItem(engine: Engine, input: PutItemInput): PutItemOutput {
  // 1. validate the request, its item and its expressions, then the item against the table's key schema
  const request = input as unknown as Record<string, unknown>;
  validatePutItemInput(request);
  const item = validateItem(input.Item as Record<string, unknown>, measured);
  const size = measured.size;
  checkOldOnlyReturnValues(input.ReturnValues);
  const { condition } = prepareCheckedExpressions(request, 'PutItem');
  const table = engine.itemTable(input.TableName);
  const schema = table.keySchema;
  validateItemKey(item, schema);
  const indexed = table.indexes.length > 0;
  if (indexed) checkIndexKeys(table, item);

  // 2. check the condition against the item as it is, then write. Only a new item's partition key is
  // hashed: one that replaces another reuses its storage key. Indexes are written with the table.
  const code = primaryKeyCodeOf(item, schema);
  const place = (c: PrimaryKeyCode) => withHash(c, item, schema);
  let old: Item | undefined;
  if (condition !== undefined || indexed) {
    // The condition and index maintenance read the item as it is: read (decode) it once.
    old = table.storage.get(code);
    assertCondition(condition, old, input.ReturnValuesOnConditionCheckFailure);
    writeItemReplacing(table, code, old, item, place, true, size);
  } else {
    const replaced = table.storage.write(code, item, place, size);
    // The replaced item is decoded only for whoever reads it: listeners, ALL_OLD.
    if (replaced !== undefined && (engine.hasChangeListeners || input.ReturnValues === 'ALL_OLD')) old = decodeItem(replaced);
  }
  const oldSize = table.storage.lastItemSize;
  publishItemChange(engine, table, old, item);

  // 3. answer
  const output: PutItemOutput = {};
  if (input.ReturnValues === 'ALL_OLD' && old !== undefined) output.Attributes = old;
  if (measuresCapacity(engine, input.ReturnConsumedCapacity)) {
    const bytes = Math.max(size, oldSize);
    const indexUnits = indexed ? indexWriteUnits(table, old, item) : undefined;
    output.ConsumedCapacity = chargedCapacity(engine, input.ReturnConsumedCapacity, input.TableName, writeCapacityUnits(bytes), indexUnits);
  }
  if (input.ReturnItemCollectionMetrics === 'SIZE' && indexed) {
    const metrics = itemCollectionMetrics(table, item);
    if (metrics !== undefined) output.ItemCollectionMetrics = metrics;
  }
  return output;
}
