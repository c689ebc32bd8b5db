import type { Engine } from '../engine.js';
import { applyUpdate, removesOnly } from '../expressions/apply-update.js';
import type { ProjectionNode, UpdateNode } from '../expressions/ast.js';
import { prepareCheckedExpressions } from '../expressions/prepare.js';
import { projectItem } from '../expressions/project-item.js';
import { checkUpdateKeyAttributes } from '../expressions/validate-update-keys.js';
import type { Item, Key } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity.js';
import { itemSize, knownItemSize } from '../model/item-size.js';
import { checkKeySchema, validateKeyValues } from '../model/validate-key.js';
import { primaryKeyCodeOf, withHash } from '../storage/storage-key.js';
import { chargedCapacity, indexWriteUnits, measuresCapacity, type ConsumedCapacity } from './consumed-capacity.js';
import { itemCollectionMetrics, type ItemCollectionMetrics } from '../tables/item-collections.js';
import { writeItemReplacing } from '../tables/write-item.js';
import { assertCondition, publishItemChange, type ItemWriteParameters } from './item-write.js';
import { validateUpdateItemInput } from './validation/validate-update-item-input.js';

export type UpdateItemReturnValues = 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export interface UpdateItemInput extends ItemWriteParameters {
  Key: Key;
  UpdateExpression?: string;
  /** Legacy updates: prefer UpdateExpression. */
  AttributeUpdates?: Record<string, unknown>;
  ReturnValues?: UpdateItemReturnValues;
}
export interface UpdateItemOutput {
  Attributes?: Item;
  ConsumedCapacity?: ConsumedCapacity | undefined;
  ItemCollectionMetrics?: ItemCollectionMetrics;
}

/**
 * UpdateItem: edits an item's attributes, creating the item (from its key) when it does not exist yet,
 * if its condition holds. Charged for the larger of the old and the new item, in 1 KB write units.
 *
 * An update that only removes (REMOVE, DELETE from a set; AttributeUpdates DELETE) leaves a missing item
 * missing: nothing is written or published, no Attributes are returned even for ALL_NEW, and its paths
 * are not checked against the absent item (`REMOVE x.y`, `REMOVE x[0]` succeed) — alternator
 * test_update_item_non_existent, test_update_item_returnvalues_all_new,
 * test_nested_attribute_remove_from_missing_item, all passing on DynamoDB. On an existing item those
 * paths are checked as usual. An update with no action at all (no UpdateExpression, or AttributeUpdates
 * {}) still creates the key-only item.
 *
 * @internal
 */
export function updateItem(engine: Engine, input: UpdateItemInput): UpdateItemOutput {
  // 1. validate the request, its key and its expressions; then the key and the updated paths against the table
  const request = input as unknown as Record<string, unknown>;
  validateUpdateItemInput(request);
  const key = validateKeyValues(input.Key as Record<string, unknown>);
  const { condition, update } = prepareCheckedExpressions(request, 'UpdateItem');
  const table = engine.itemTable(input.TableName);
  const schema = table.keySchema;
  checkKeySchema(key, schema);
  if (update !== undefined) checkUpdateKeyAttributes(update, schema);

  // 2. read, check the condition, compute the new item from the old one (never mutating it), write
  const code = primaryKeyCodeOf(key, schema);
  const current = table.storage.get(code);
  const currentSize = table.storage.lastItemSize;
  assertCondition(condition, current, input.ReturnValuesOnConditionCheckFailure);
  if (current === undefined && update !== undefined && removesOnly(update)) return nothingWritten(engine, input, key);
  const next = update === undefined ? (current ?? key) : applyUpdate(update, current, key, currentSize);
  // The item read above is the one replaced (nothing ran in between): index maintenance reuses it.
  writeItemReplacing(table, code, current, next, (c) => withHash(c, next, schema));
  const old = current;
  const oldSize = table.storage.lastItemSize;
  publishItemChange(engine, table, old, next);

  // 3. answer
  const output: UpdateItemOutput = {};
  const attributes = returnedAttributes(input.ReturnValues, update, old, next);
  if (attributes !== undefined) output.Attributes = attributes;
  if (measuresCapacity(engine, input.ReturnConsumedCapacity)) {
    const bytes = Math.max(knownItemSize(next), oldSize);
    const indexUnits = table.indexes.length > 0 ? indexWriteUnits(table, old, next) : undefined;
    output.ConsumedCapacity = chargedCapacity(engine, input.ReturnConsumedCapacity, input.TableName, writeCapacityUnits(bytes), indexUnits);
  }
  if (input.ReturnItemCollectionMetrics === 'SIZE' && table.indexes.length > 0) {
    const metrics = itemCollectionMetrics(table, next);
    if (metrics !== undefined) output.ItemCollectionMetrics = metrics;
  }
  return output;
}

/** The answer to an update that wrote nothing (a removal from a missing item): at most the capacity, as for the key-only item. */
function nothingWritten(engine: Engine, input: UpdateItemInput, key: Item): UpdateItemOutput {
  const output: UpdateItemOutput = {};
  if (measuresCapacity(engine, input.ReturnConsumedCapacity)) {
    output.ConsumedCapacity = chargedCapacity(engine, input.ReturnConsumedCapacity, input.TableName, writeCapacityUnits(itemSize(key)));
  }
  return output;
}

/**
 * What ReturnValues asks for: the whole item before or after, or only the attributes the update
 * touched (UPDATED_OLD / UPDATED_NEW, in the nested shape of their paths). Nothing when empty.
 */
function returnedAttributes(
  returnValues: UpdateItemReturnValues | undefined,
  update: UpdateNode | undefined,
  old: Item | undefined,
  next: Item,
): Item | undefined {
  let attributes: Item | undefined;
  switch (returnValues) {
    case 'ALL_OLD':
      attributes = old;
      break;
    case 'ALL_NEW':
      attributes = next;
      break;
    case 'UPDATED_OLD':
      attributes = old && update && projectItem(old, updatedPaths(update));
      break;
    case 'UPDATED_NEW':
      attributes = update && projectItem(next, updatedPaths(update));
      break;
    default:
      return undefined;
  }
  if (attributes === undefined) return undefined;
  for (const _ in attributes) return attributes;
  return undefined;
}

function updatedPaths(update: UpdateNode): ProjectionNode {
  return { kind: 'projection', paths: update.actions.map((action) => action.path) };
}
