import { ValidationException } from '../../errors.js';
import {
  NAME_PATTERN,
  RETURN_CONSUMED_CAPACITY,
  RETURN_ITEM_COLLECTION_METRICS,
  RETURN_VALUES,
  RETURN_VALUES_ON_CONDITION_CHECK_FAILURE,
  beginConstraints,
  isArnLike,
} from './constraints.js';
import { ATTRIBUTE_MAP, STRING, STRING_MAP, checkShape, struct, type StructShape } from './shapes.js';
import { checkExpressionParameters } from '../../expressions/validate-parameters.js';
import { EXPECTED_SHAPE, areConditionMembersValid, conditionConstraints, hasConditionMemberTypeError } from './expression-members.js';

/**
 * Allocation-free helpers for the item operations' hot path: each validator first checks, with
 * plain `typeof` tests, that the request is well-typed and satisfies every constraint, and only
 * runs the declarative (message-building) checks when that quick test fails.
 */

/** Absent (undefined) or JSON null. */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** A JSON object (not a list, not a binary). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Absent or a string. */
export function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

/** Absent or a boolean. */
export function isOptionalBoolean(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'boolean';
}

/**
 * Whether a TableName satisfies every constraint of the item operations: a table name
 * (`[a-zA-Z0-9_.-]+`, 3..255 characters) or a table ARN (`arn:…`, at most 1024 characters).
 */
export function isValidItemTableName(value: string): boolean {
  // Requests mostly repeat one table name: remember the last valid one (a string compare is
  // usually a pointer compare for the same string).
  if (value === lastValidTableName) return true;
  const n = value.length;
  if ((n >= 3 && n <= 255 && NAME_PATTERN.test(value)) || (n <= 1024 && isArnLike(value))) {
    lastValidTableName = value;
    return true;
  }
  return false;
}

let lastValidTableName = '';

/** Absent, NONE or ALL_OLD: the ReturnValues PutItem and DeleteItem accept. */
export function checkOldOnlyReturnValues(value: unknown): void {
  if (value !== undefined && value !== null && value !== 'NONE' && value !== 'ALL_OLD') {
    throw new ValidationException('ReturnValues can only be ALL_OLD or NONE');
  }
}

/** Absent or a member of the ReturnConsumedCapacity enum. */
export function isOptionalReturnConsumedCapacity(value: unknown): boolean {
  return value === undefined || value === null || value === 'NONE' || value === 'TOTAL' || value === 'INDEXES';
}

/** Absent or a member of the ReturnValues enum. */
export function isOptionalReturnValues(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === 'NONE' ||
    value === 'ALL_OLD' ||
    value === 'ALL_NEW' ||
    value === 'UPDATED_OLD' ||
    value === 'UPDATED_NEW'
  );
}

/** Absent or a member of the ReturnItemCollectionMetrics enum. */
export function isOptionalReturnItemCollectionMetrics(value: unknown): boolean {
  return value === undefined || value === null || value === 'NONE' || value === 'SIZE';
}

/** Absent or a member of the ReturnValuesOnConditionCheckFailure enum. */
export function isOptionalReturnValuesOnConditionCheckFailure(value: unknown): boolean {
  return value === undefined || value === null || value === 'NONE' || value === 'ALL_OLD';
}

/**
 * PutItem and DeleteItem requests differ only in their attribute map (PutItem's Item, DeleteItem's
 * Key) and in where DynamoDB reports that map missing among the other members' failures.
 */
export interface SingleItemWrite {
  /** The operation, for the expression parameter checks. */
  readonly operation: 'PutItem' | 'DeleteItem';
  /** The request's members and their JSON types. */
  readonly shape: StructShape;
  /** The attribute map's path in constraint messages: `item` or `key`. */
  readonly mapPath: string;
  /** The member after whose constraints a null map is reported. */
  readonly mapReportedAfter: 'tableName' | 'returnItemCollectionMetrics';
}

/** Describes a single-item write request: `operation` names its shape (`PutItemInput`), `mapMember` its attribute map. */
export function singleItemWrite(
  operation: 'PutItem' | 'DeleteItem',
  mapMember: 'Item' | 'Key',
  mapReportedAfter: SingleItemWrite['mapReportedAfter'],
): SingleItemWrite {
  return {
    operation,
    shape: struct(`${operation}Input`, {
      TableName: STRING,
      [mapMember]: ATTRIBUTE_MAP,
      Expected: EXPECTED_SHAPE,
      ConditionalOperator: STRING,
      ReturnValues: STRING,
      ReturnConsumedCapacity: STRING,
      ReturnItemCollectionMetrics: STRING,
      ReturnValuesOnConditionCheckFailure: STRING,
      ConditionExpression: STRING,
      ExpressionAttributeNames: STRING_MAP,
      ExpressionAttributeValues: ATTRIBUTE_MAP,
    }),
    mapPath: mapMember === 'Item' ? 'item' : 'key',
    mapReportedAfter,
  };
}

/**
 * Checks a PutItem or DeleteItem request's parameters before the table is looked up, in DynamoDB's
 * order and with its exact messages; `map` is the request's Item or Key. Throws ValidationException
 * (or SerializationException for wrong JSON types). ReturnValues' allowed values are checked after
 * the map's own validation (checkOldOnlyReturnValues), as DynamoDB does.
 */
export function validateSingleItemWrite(input: Record<string, unknown>, map: unknown, request: SingleItemWrite): void {
  const tableName = input.TableName;
  const returnValues = input.ReturnValues;
  const returnConsumedCapacity = input.ReturnConsumedCapacity;
  const returnItemCollectionMetrics = input.ReturnItemCollectionMetrics;
  const onFailure = input.ReturnValuesOnConditionCheckFailure;
  // Hot path: a well-formed request passes these tests without allocating.
  if (
    typeof tableName === 'string' &&
    isMap(map) &&
    (returnValues === undefined || returnValues === null || returnValues === 'NONE' || returnValues === 'ALL_OLD') &&
    isOptionalReturnConsumedCapacity(returnConsumedCapacity) &&
    isOptionalReturnItemCollectionMetrics(returnItemCollectionMetrics) &&
    isOptionalReturnValuesOnConditionCheckFailure(onFailure) &&
    isValidItemTableName(tableName) &&
    areConditionMembersValid(input)
  ) {
    checkExpressionParameters(input, request.operation);
    return;
  }
  if (
    !isOptionalString(tableName) ||
    (map != null && !isMap(map)) ||
    !isOptionalString(returnValues) ||
    !isOptionalString(returnConsumedCapacity) ||
    !isOptionalString(returnItemCollectionMetrics) ||
    !isOptionalString(onFailure) ||
    hasConditionMemberTypeError(input)
  ) {
    checkShape(input, request.shape);
  }
  const c = beginConstraints();
  c.oneOf('returnConsumedCapacity', returnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  if (c.notNull('tableName', tableName)) c.tableName('tableName', tableName, true);
  if (request.mapReportedAfter === 'tableName') {
    c.notNull(request.mapPath, map);
    conditionConstraints(c, input);
  }
  c.oneOf('returnValues', returnValues, RETURN_VALUES);
  c.oneOf('returnItemCollectionMetrics', returnItemCollectionMetrics, RETURN_ITEM_COLLECTION_METRICS);
  if (request.mapReportedAfter === 'returnItemCollectionMetrics') {
    c.notNull(request.mapPath, map);
    conditionConstraints(c, input);
  }
  c.oneOf('returnValuesOnConditionCheckFailure', onFailure, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE);
  c.finish();
  checkExpressionParameters(input, request.operation);
}
