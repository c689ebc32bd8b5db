import { ValidationException } from '../../errors.js';
import { checkExpressionParameters } from '../../expressions/validate-parameters.js';
import { CONDITIONAL_OPERATOR, RETURN_CONSUMED_CAPACITY, beginConstraints } from './constraints.js';
import { ATTRIBUTES_TO_GET_SHAPE, attributesToGetConstraints } from './expression-members.js';
import { isOptionalBoolean, isOptionalString } from './item-input.js';
import { CONDITION_MAP_SHAPE, SELECT, areSharedReadMembersValid, checkSelect, conditionMapConstraints, isValidConditionMap } from './read-request.js';
import { ATTRIBUTE_MAP, BOOLEAN, INTEGER, STRING, STRING_MAP, checkShape, struct } from './shapes.js';

const QUERY_SHAPE = struct('QueryInput', {
  TableName: STRING,
  IndexName: STRING,
  Select: STRING,
  AttributesToGet: ATTRIBUTES_TO_GET_SHAPE,
  Limit: INTEGER,
  ConsistentRead: BOOLEAN,
  KeyConditions: CONDITION_MAP_SHAPE,
  QueryFilter: CONDITION_MAP_SHAPE,
  ConditionalOperator: STRING,
  ScanIndexForward: BOOLEAN,
  ExclusiveStartKey: ATTRIBUTE_MAP,
  ReturnConsumedCapacity: STRING,
  ProjectionExpression: STRING,
  FilterExpression: STRING,
  KeyConditionExpression: STRING,
  ExpressionAttributeNames: STRING_MAP,
  ExpressionAttributeValues: ATTRIBUTE_MAP,
});

/**
 * Checks a Query request's parameters before anything else, in DynamoDB's order and with its messages:
 * JSON types (SerializationException), the member constraints (dynalite test/query.js "incorrect
 * attributes": select, indexName, returnConsumedCapacity, queryFilter, tableName, conditionalOperator,
 * attributesToGet, limit, keyConditions), Select's rules ("1 validation error detected: …", AWS-verified),
 * then expression and legacy parameters mixed. The hot path allocates nothing.
 */
export function validateQueryInput(input: Record<string, unknown>): void {
  const tableName = input.TableName;
  const limit = input.Limit;
  const op = input.ConditionalOperator;
  if (
    areSharedReadMembersValid(input) &&
    (limit === undefined || limit === null || (typeof limit === 'number' && limit >= 1)) &&
    isOptionalString(input.KeyConditionExpression) &&
    isOptionalBoolean(input.ScanIndexForward) &&
    isValidConditionMap(input.KeyConditions) &&
    isValidConditionMap(input.QueryFilter)
  ) {
    if (input.Select !== undefined && input.Select !== null) checkSelect(input, '1 validation error detected: ');
    checkExpressionParameters(input, 'Query');
    return;
  }
  checkShape(input, QUERY_SHAPE);
  const c = beginConstraints();
  c.oneOf('select', input.Select, SELECT);
  c.tableName('indexName', input.IndexName);
  c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  conditionMapConstraints(c, 'queryFilter', input.QueryFilter);
  if (c.notNull('tableName', tableName)) c.tableName('tableName', tableName, true);
  c.oneOf('conditionalOperator', op, CONDITIONAL_OPERATOR);
  attributesToGetConstraints(c, input.AttributesToGet);
  // Query's answer prints no value and capitalises the member (nubo-db/dynamodb-conformance tier3 query,
  // against DynamoDB); Scan's and ExecuteStatement's keep Coral's "Value '0' at 'limit'".
  if (typeof limit === 'number' && limit < 1) c.failShown('Limit', undefined, 'Member must have value greater than or equal to 1');
  conditionMapConstraints(c, 'keyConditions', input.KeyConditions);
  c.finish();
  checkSelect(input, '1 validation error detected: ');
  checkExpressionParameters(input, 'Query');
}

/** Query needs one of KeyConditions or KeyConditionExpression (checked after the ExclusiveStartKey's values). */
export function checkKeyConditionsPresent(input: Readonly<Record<string, unknown>>): void {
  const legacy = input.KeyConditions;
  const expression = input.KeyConditionExpression;
  if ((legacy === undefined || legacy === null) && (expression === undefined || expression === null)) {
    throw new ValidationException('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
}
