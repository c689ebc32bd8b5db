import {
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  beginConstraints,
} from './constraints.js';
import {
  isMap,
  isOptionalReturnConsumedCapacity,
  isOptionalReturnItemCollectionMetrics,
  isOptionalReturnValuesOnConditionCheckFailure,
  isOptionalString,
  isValidItemTableName,
} from './item-input.js';
import { ATTRIBUTE_MAP, STRING, checkShape, struct } from './shapes.js';

/** The members this validator owns; Expected, ConditionalOperator and the expression members come with the expression work. */
const PUT_ITEM_SHAPE = struct('PutItemInput', {
  TableName: STRING,
  Item: ATTRIBUTE_MAP,
  ReturnValues: STRING,
  ReturnConsumedCapacity: STRING,
  ReturnItemCollectionMetrics: STRING,
  ReturnValuesOnConditionCheckFailure: STRING,
});

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 * ReturnValues' allowed values are checked after the Item (checkOldOnlyReturnValues), as DynamoDB does.
 */
export function validatePutItemInput(input: Record<string, unknown>): void {
  const tableName = input.TableName;
  const item = input.Item;
  const returnValues = input.ReturnValues;
  const returnConsumedCapacity = input.ReturnConsumedCapacity;
  const returnItemCollectionMetrics = input.ReturnItemCollectionMetrics;
  const onFailure = input.ReturnValuesOnConditionCheckFailure;
  // Hot path: a well-formed request passes these tests without allocating.
  if (
    typeof tableName === 'string' &&
    isMap(item) &&
    (returnValues === undefined || returnValues === null || returnValues === 'NONE' || returnValues === 'ALL_OLD') &&
    isOptionalReturnConsumedCapacity(returnConsumedCapacity) &&
    isOptionalReturnItemCollectionMetrics(returnItemCollectionMetrics) &&
    isOptionalReturnValuesOnConditionCheckFailure(onFailure) &&
    isValidItemTableName(tableName)
  ) {
    return;
  }
  if (
    !isOptionalString(tableName) ||
    (item != null && !isMap(item)) ||
    !isOptionalString(returnValues) ||
    !isOptionalString(returnConsumedCapacity) ||
    !isOptionalString(returnItemCollectionMetrics) ||
    !isOptionalString(onFailure)
  ) {
    checkShape(input, PUT_ITEM_SHAPE);
  }
  // DynamoDB's order (dynalite test/putItem.js): returnConsumedCapacity, tableName, item, returnValues,
  // returnItemCollectionMetrics. returnValuesOnConditionCheckFailure's place is unconfirmed.
  const c = beginConstraints();
  c.oneOf('returnConsumedCapacity', returnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  if (c.notNull('tableName', tableName)) c.tableName('tableName', tableName, true);
  c.notNull('item', item);
  c.oneOf('returnValues', returnValues, RETURN_VALUES);
  c.oneOf('returnItemCollectionMetrics', returnItemCollectionMetrics, RETURN_ITEM_COLLECTION_METRICS);
  c.oneOf('returnValuesOnConditionCheckFailure', onFailure, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE);
  c.finish();
}
