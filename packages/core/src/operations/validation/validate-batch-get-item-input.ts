import { RETURN_CONSUMED_CAPACITY, beginConstraints } from './constraints.js';
import { areTableNameKeysValid, requestItemsConstraints } from './batch-request-items.js';
import { ATTRIBUTES_TO_GET_SHAPE, isOptionalStringMap, isValidAttributesToGet } from './expression-members.js';
import { isMap, isOptionalBoolean, isOptionalReturnConsumedCapacity, isOptionalString } from './item-input.js';
import { ATTRIBUTE_MAP, BOOLEAN, STRING, STRING_MAP, checkShape, listOf, struct, type Shape } from './shapes.js';

const DDB = 'com.amazonaws.dynamodb.v20120810.';

const KEYS_AND_ATTRIBUTES_SHAPE = struct('KeysAndAttributes', {
  Keys: listOf(ATTRIBUTE_MAP),
  AttributesToGet: ATTRIBUTES_TO_GET_SHAPE,
  ConsistentRead: BOOLEAN,
  ProjectionExpression: STRING,
  ExpressionAttributeNames: STRING_MAP,
});
const REQUEST_ITEMS_SHAPE: Shape = { kind: 'map', value: KEYS_AND_ATTRIBUTES_SHAPE, valueClass: `${DDB}KeysAndAttributes` };
const BATCH_GET_ITEM_SHAPE = struct('BatchGetItemInput', { RequestItems: REQUEST_ITEMS_SHAPE, ReturnConsumedCapacity: STRING });

/** The most keys of one call, over all its tables. */
export const MAX_BATCH_GET_KEYS = 100;

function isValidKeys(keys: unknown): boolean {
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > MAX_BATCH_GET_KEYS) return false;
  for (let i = 0; i < keys.length; i++) if (!isMap(keys[i])) return false;
  return true;
}

function isValidKeysAndAttributes(entry: unknown): boolean {
  return (
    isMap(entry) &&
    isValidKeys(entry.Keys) &&
    isOptionalBoolean(entry.ConsistentRead) &&
    isOptionalString(entry.ProjectionExpression) &&
    isValidAttributesToGet(entry.AttributesToGet) &&
    isOptionalStringMap(entry.ExpressionAttributeNames)
  );
}

function isValidRequestItems(map: Record<string, unknown>): boolean {
  let tables = 0;
  for (const name in map) {
    if (!isValidKeysAndAttributes(map[name])) return false;
    tables++;
  }
  return tables > 0 && areTableNameKeysValid(map);
}

/**
 * Checks a BatchGetItem request's parameters before its keys' AttributeValues, expressions and tables,
 * in DynamoDB's order and with its messages (dynalite test/batchGetItem.js, verified against DynamoDB):
 * the JSON types, then the member constraints: requestItems (not null, not empty, its table-name keys);
 * per table keys (not null, 1..100) and attributesToGet (1..255); then returnConsumedCapacity.
 */
export function validateBatchGetItemInput(input: Record<string, unknown>): void {
  const items = input.RequestItems;
  const rcc = input.ReturnConsumedCapacity;
  if (isMap(items) && isOptionalReturnConsumedCapacity(rcc) && isValidRequestItems(items)) return;

  checkShape(input, BATCH_GET_ITEM_SHAPE);
  const c = beginConstraints();
  if (requestItemsConstraints(c, items, 'BatchGetItem', (map) => JSON.stringify(map))) {
    for (const name in items) {
      const entry = items[name];
      // A null map value is a KeysAndAttributes that is not there.
      if (!c.notNull(() => `requestItems.${name}.member`, entry) || !isMap(entry)) continue;
      const keys = `requestItems.${name}.member.keys`;
      if (c.notNull(keys, entry.Keys) && Array.isArray(entry.Keys)) {
        // DynamoDB prints no value and this path capitalised (paritysuite/dynamodb-conformance tier3 batchGetItem).
        const length = entry.Keys.length;
        if (length < 1) c.failShown(() => `RequestItems.${name}.member.Keys`, undefined, 'Member must have length greater than or equal to 1');
        if (length > MAX_BATCH_GET_KEYS) {
          c.failShown(() => `RequestItems.${name}.member.Keys`, undefined, `Member must have length less than or equal to ${MAX_BATCH_GET_KEYS}`);
        }
      }
      c.length(`requestItems.${name}.member.attributesToGet`, entry.AttributesToGet, 1, 255);
    }
  }
  // After RequestItems' constraints: DynamoDB reports a bad table name first (validation-ordering batchOperations).
  c.oneOf('returnConsumedCapacity', rcc, RETURN_CONSUMED_CAPACITY);
  c.finish();
}
