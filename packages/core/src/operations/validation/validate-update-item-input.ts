import { checkExpressionParameters } from '../../expressions/validate-parameters.js';
import {
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  beginConstraints,
} from './constraints.js';
import {
  ATTRIBUTE_UPDATES_SHAPE,
  EXPECTED_SHAPE,
  areConditionMembersValid,
  attributeUpdatesConstraints,
  conditionConstraints,
  hasConditionMemberTypeError,
  isValidAttributeUpdates,
} from './expression-members.js';
import {
  isMap,
  isOptionalReturnConsumedCapacity,
  isOptionalReturnItemCollectionMetrics,
  isOptionalReturnValues,
  isOptionalReturnValuesOnConditionCheckFailure,
  isOptionalString,
  isValidItemTableName,
} from './item-input.js';
import { ATTRIBUTE_MAP, STRING, STRING_MAP, checkShape, struct } from './shapes.js';

const UPDATE_ITEM_SHAPE = struct('UpdateItemInput', {
  TableName: STRING,
  Key: ATTRIBUTE_MAP,
  AttributeUpdates: ATTRIBUTE_UPDATES_SHAPE,
  Expected: EXPECTED_SHAPE,
  ConditionalOperator: STRING,
  ReturnValues: STRING,
  ReturnConsumedCapacity: STRING,
  ReturnItemCollectionMetrics: STRING,
  UpdateExpression: STRING,
  ConditionExpression: STRING,
  ExpressionAttributeNames: STRING_MAP,
  ExpressionAttributeValues: ATTRIBUTE_MAP,
  ReturnValuesOnConditionCheckFailure: STRING,
});

/**
 * Checks an UpdateItem request's parameters before the table is looked up, in DynamoDB's order and with
 * its exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 *
 * Member constraints in DynamoDB's order (dynalite test/updateItem.js "incorrect attributes":
 * returnConsumedCapacity, tableName, returnItemCollectionMetrics, returnValues, key; then, per
 * validations/updateItem.js, conditionalOperator, expected.*.comparisonOperator, attributeUpdates.*.action;
 * returnValuesOnConditionCheckFailure's place is unconfirmed), then the expression parameter checks
 * (mixing, ExpressionAttributeNames/Values without expressions), which DynamoDB runs before it checks the
 * Key's values. UpdateItem accepts all five ReturnValues.
 */
export function validateUpdateItemInput(input: Record<string, unknown>): void {
  const tableName = input.TableName;
  const key = input.Key;
  const returnValues = input.ReturnValues;
  const returnConsumedCapacity = input.ReturnConsumedCapacity;
  const returnItemCollectionMetrics = input.ReturnItemCollectionMetrics;
  const onFailure = input.ReturnValuesOnConditionCheckFailure;
  const update = input.UpdateExpression;
  // Hot path: a well-formed request passes these tests without allocating.
  if (
    typeof tableName === 'string' &&
    isMap(key) &&
    isOptionalReturnValues(returnValues) &&
    isOptionalReturnConsumedCapacity(returnConsumedCapacity) &&
    isOptionalReturnItemCollectionMetrics(returnItemCollectionMetrics) &&
    isOptionalReturnValuesOnConditionCheckFailure(onFailure) &&
    isOptionalString(update) &&
    areConditionMembersValid(input) &&
    isValidAttributeUpdates(input.AttributeUpdates) &&
    isValidItemTableName(tableName)
  ) {
    checkExpressionParameters(input, 'UpdateItem');
    return;
  }
  if (
    !isOptionalString(tableName) ||
    (key != null && !isMap(key)) ||
    !isOptionalString(returnValues) ||
    !isOptionalString(returnConsumedCapacity) ||
    !isOptionalString(returnItemCollectionMetrics) ||
    !isOptionalString(onFailure) ||
    !isOptionalString(update) ||
    hasConditionMemberTypeError(input) ||
    input.AttributeUpdates != null
  ) {
    checkShape(input, UPDATE_ITEM_SHAPE);
  }
  const c = beginConstraints();
  c.oneOf('returnConsumedCapacity', returnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  if (c.notNull('tableName', tableName)) c.tableName('tableName', tableName, true);
  c.oneOf('returnItemCollectionMetrics', returnItemCollectionMetrics, RETURN_ITEM_COLLECTION_METRICS);
  c.oneOf('returnValues', returnValues, RETURN_VALUES);
  c.notNull('key', key);
  conditionConstraints(c, input);
  attributeUpdatesConstraints(c, input.AttributeUpdates);
  c.oneOf('returnValuesOnConditionCheckFailure', onFailure, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE);
  c.finish();
  checkExpressionParameters(input, 'UpdateItem');
}
