import { ValidationException } from '../../errors.js';
import { checkExpressionParameters } from '../../expressions/validate-parameters.js';
import { CONDITIONAL_OPERATOR, RETURN_CONSUMED_CAPACITY, beginConstraints } from './constraints.js';
import { ATTRIBUTES_TO_GET_SHAPE, attributesToGetConstraints } from './expression-members.js';
import { CONDITION_MAP_SHAPE, SELECT, areSharedReadMembersValid, conditionMapConstraints, isValidConditionMap } from './read-request.js';
import { ATTRIBUTE_MAP, BOOLEAN, INTEGER, STRING, STRING_MAP, checkShape, struct } from './shapes.js';

const SCAN_SHAPE = struct('ScanInput', {
  TableName: STRING,
  IndexName: STRING,
  AttributesToGet: ATTRIBUTES_TO_GET_SHAPE,
  Limit: INTEGER,
  Select: STRING,
  ScanFilter: CONDITION_MAP_SHAPE,
  ConditionalOperator: STRING,
  ExclusiveStartKey: ATTRIBUTE_MAP,
  ReturnConsumedCapacity: STRING,
  TotalSegments: INTEGER,
  Segment: INTEGER,
  ProjectionExpression: STRING,
  FilterExpression: STRING,
  ExpressionAttributeNames: STRING_MAP,
  ExpressionAttributeValues: ATTRIBUTE_MAP,
  ConsistentRead: BOOLEAN,
});

/** DynamoDB's bounds on a parallel Scan: up to 1,000,000 segments. */
export const MAX_TOTAL_SEGMENTS = 1_000_000;

function inRange(value: unknown, min: number, max: number): boolean {
  return value === undefined || value === null || (typeof value === 'number' && value >= min && value <= max);
}

/**
 * Checks a Scan request's parameters before anything else: JSON types, then the member constraints in
 * DynamoDB's order (dynalite test/scan.js "incorrect attributes": select, indexName, totalSegments,
 * returnConsumedCapacity, tableName, conditionalOperator, scanFilter, segment, limit, attributesToGet),
 * then expression and legacy parameters mixed. The hot path allocates nothing.
 */
export function validateScanInput(input: Record<string, unknown>): void {
  const tableName = input.TableName;
  const op = input.ConditionalOperator;
  if (
    areSharedReadMembersValid(input) &&
    inRange(input.Limit, 1, Infinity) &&
    inRange(input.Segment, 0, MAX_TOTAL_SEGMENTS - 1) &&
    inRange(input.TotalSegments, 1, MAX_TOTAL_SEGMENTS) &&
    isValidConditionMap(input.ScanFilter)
  ) {
    checkExpressionParameters(input, 'Scan');
    return;
  }
  checkShape(input, SCAN_SHAPE);
  const c = beginConstraints();
  c.oneOf('select', input.Select, SELECT);
  c.tableName('indexName', input.IndexName);
  c.min('totalSegments', input.TotalSegments, 1);
  c.max('totalSegments', input.TotalSegments, MAX_TOTAL_SEGMENTS);
  c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  if (c.notNull('tableName', tableName)) c.tableName('tableName', tableName, true);
  c.oneOf('conditionalOperator', op, CONDITIONAL_OPERATOR);
  conditionMapConstraints(c, 'scanFilter', input.ScanFilter);
  c.min('segment', input.Segment, 0);
  c.max('segment', input.Segment, MAX_TOTAL_SEGMENTS - 1);
  c.min('limit', input.Limit, 1);
  attributesToGetConstraints(c, input.AttributesToGet);
  c.finish();
  checkExpressionParameters(input, 'Scan');
}

/**
 * Segment and TotalSegments: both or neither, Segment below TotalSegments (dynalite validations/scan.js,
 * verified against DynamoDB). Checked after the ExclusiveStartKey's values, before the expressions.
 */
export function checkSegments(input: Readonly<Record<string, unknown>>): void {
  const segment = input.Segment;
  const total = input.TotalSegments;
  const hasSegment = segment !== undefined && segment !== null;
  const hasTotal = total !== undefined && total !== null;
  if (hasSegment && !hasTotal) {
    throw new ValidationException('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (hasTotal && !hasSegment) {
    throw new ValidationException('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (hasSegment && (segment as number) >= (total as number)) {
    throw new ValidationException(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment as number} is not less than TotalSegments: ${total as number}`,
    );
  }
}
