import { RETURN_CONSUMED_CAPACITY, beginConstraints } from './constraints.js';
import { isMap, isOptionalBoolean, isOptionalReturnConsumedCapacity, isOptionalString, isValidItemTableName } from './item-input.js';
import { ATTRIBUTE_MAP, BOOLEAN, STRING, checkShape, struct } from './shapes.js';

/** The members this validator owns; AttributesToGet, ProjectionExpression and ExpressionAttributeNames come with the expression work. */
const GET_ITEM_SHAPE = struct('GetItemInput', {
  TableName: STRING,
  Key: ATTRIBUTE_MAP,
  ConsistentRead: BOOLEAN,
  ReturnConsumedCapacity: STRING,
});

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateGetItemInput(input: Record<string, unknown>): void {
  const tableName = input.TableName;
  const key = input.Key;
  const returnConsumedCapacity = input.ReturnConsumedCapacity;
  // Hot path: a well-formed request passes these tests without allocating.
  if (
    typeof tableName === 'string' &&
    isMap(key) &&
    isOptionalBoolean(input.ConsistentRead) &&
    isOptionalReturnConsumedCapacity(returnConsumedCapacity) &&
    isValidItemTableName(tableName)
  ) {
    return;
  }
  if (!isOptionalString(tableName) || !isOptionalBoolean(input.ConsistentRead) || !isOptionalString(returnConsumedCapacity) || (key != null && !isMap(key))) {
    checkShape(input, GET_ITEM_SHAPE);
  }
  // DynamoDB's order (dynalite test/getItem.js): [attributesToGet,] returnConsumedCapacity, key, tableName.
  const c = beginConstraints();
  c.oneOf('returnConsumedCapacity', returnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  c.notNull('key', key);
  if (c.notNull('tableName', tableName)) c.tableName('tableName', tableName, true);
  c.finish();
}
