import { ValidationException } from '../../errors.js';
import { NAME_PATTERN, isArnLike } from './constraints.js';

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
