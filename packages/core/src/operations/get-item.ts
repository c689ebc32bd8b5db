import type { Engine } from '../engine.js';
import { prepareCheckedExpressions } from '../expressions/prepare.js';
import { projectItem } from '../expressions/project-item.js';
import type { Item, Key } from '../model/attribute-value.js';
import { readCapacityUnits } from '../model/capacity.js';
import { checkKeySchema, validateKeyValues } from '../model/validate-key.js';
import { primaryKeyCodeOf } from '../storage/storage-key.js';
import { chargedCapacity, measuresCapacity, type ConsumedCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { attributesDecoder } from './read-attributes.js';
import { validateGetItemInput } from './validation/validate-get-item-input.js';

export interface GetItemInput {
  TableName: string;
  Key: Key;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  /** Legacy projection: prefer ProjectionExpression. */
  AttributesToGet?: string[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}
export interface GetItemOutput {
  /** The item (or its projection), if one has the key. Read-only: stored items are frozen and shared. */
  Item?: Item;
  ConsumedCapacity?: ConsumedCapacity | undefined;
}

/**
 * GetItem: the item with the given primary key, or the parts a projection names. Every read here is
 * strongly consistent; ConsistentRead only changes the charge (4 KB read units of the whole item,
 * halved for eventually consistent reads, minimum one half unit).
 *
 * @internal
 */
export function getItem(engine: Engine, input: GetItemInput): GetItemOutput {
  const request = input as unknown as Record<string, unknown>;
  validateGetItemInput(request);
  const key = validateKeyValues(input.Key as Record<string, unknown>);
  const { projection } = prepareCheckedExpressions(request, 'GetItem');
  const table = engine.itemTable(input.TableName);
  checkKeySchema(key, table.keySchema);
  let item = table.storage.get(primaryKeyCodeOf(key, table.keySchema), projection === undefined ? undefined : attributesDecoder({ projection }, engine.visibilityFilters.length > 0));
  const size = table.storage.lastItemSize;
  // A module may hide the item (ModuleContext.addVisibilityFilter): then it reads as absent.
  if (item !== undefined && engine.visibilityFilters.length > 0 && engine.visibilityOf(table)?.(item) === false) item = undefined;

  const output: GetItemOutput = {};
  if (item !== undefined) output.Item = projection === undefined ? item : projectItem(item, projection);
  if (measuresCapacity(engine, input.ReturnConsumedCapacity)) {
    const units = readCapacityUnits(item === undefined ? 0 : size, input.ConsistentRead === true);
    output.ConsumedCapacity = chargedCapacity(engine, input.ReturnConsumedCapacity, input.TableName, units);
  }
  return output;
}
