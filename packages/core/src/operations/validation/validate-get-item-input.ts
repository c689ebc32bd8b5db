import { checkExpressionParameters } from '../../expressions/validate-parameters.js';
import { RETURN_CONSUMED_CAPACITY, beginConstraints } from './constraints.js';
import { ATTRIBUTES_TO_GET_SHAPE, attributesToGetConstraints, isOptionalStringMap, isValidAttributesToGet } from './expression-members.js';
import { isMap, isOptionalBoolean, isOptionalReturnConsumedCapacity, isOptionalString, isValidItemTableName } from './item-input.js';
import { ATTRIBUTE_MAP, BOOLEAN, STRING, STRING_MAP, checkShape, struct } from './shapes.js';

const GET_ITEM_SHAPE = struct('GetItemInput', {
  TableName: STRING,
  Key: ATTRIBUTE_MAP,
  AttributesToGet: ATTRIBUTES_TO_GET_SHAPE,
  ConsistentRead: BOOLEAN,
  ReturnConsumedCapacity: STRING,
  ProjectionExpression: STRING,
  ExpressionAttributeNames: STRING_MAP,
});

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 * Ends with the expression parameter checks (AttributesToGet with ProjectionExpression,
 * ExpressionAttributeNames without it), which DynamoDB runs before it checks the Key's values.
 */
export function validateGetItemInput(input: Record<string, unknown>): void {
  const tableName = input.TableName;
  const key = input.Key;
  const returnConsumedCapacity = input.ReturnConsumedCapacity;
  const projection = input.ProjectionExpression;
  // Hot path: a well-formed request passes these tests without allocating.
  if (
    typeof tableName === 'string' &&
    isMap(key) &&
    isOptionalBoolean(input.ConsistentRead) &&
    isOptionalReturnConsumedCapacity(returnConsumedCapacity) &&
    isOptionalString(projection) &&
    isValidAttributesToGet(input.AttributesToGet) &&
    isOptionalStringMap(input.ExpressionAttributeNames) &&
    isValidItemTableName(tableName)
  ) {
    checkExpressionParameters(input, 'GetItem');
    return;
  }
  if (
    !isOptionalString(tableName) ||
    !isOptionalBoolean(input.ConsistentRead) ||
    !isOptionalString(returnConsumedCapacity) ||
    (key != null && !isMap(key)) ||
    !isOptionalString(projection) ||
    (input.AttributesToGet != null && !Array.isArray(input.AttributesToGet)) ||
    !isOptionalStringMap(input.ExpressionAttributeNames) ||
    Array.isArray(input.AttributesToGet)
  ) {
    checkShape(input, GET_ITEM_SHAPE);
  }
  // DynamoDB's order (dynalite test/getItem.js): attributesToGet, returnConsumedCapacity, key, tableName.
  const c = beginConstraints();
  attributesToGetConstraints(c, input.AttributesToGet);
  c.oneOf('returnConsumedCapacity', returnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  c.notNull('key', key);
  if (c.notNull('tableName', tableName)) c.tableName('tableName', tableName, true);
  c.finish();
  checkExpressionParameters(input, 'GetItem');
}
