/**
 * DynamoDB's validation messages, written out independently of the validators that build them, so a
 * test states the exact text a client receives.
 */

/** "N validation error(s) detected: a; b" */
export function errors(...parts: string[]): string {
  return `${parts.length} validation error${parts.length === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}

/** "Value null at 'path' failed to satisfy constraint: Member must not be null" */
export function notNull(path: string): string {
  return `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
}

/** "Value 'value' at 'path' failed to satisfy constraint: constraint" */
export function failed(value: string, path: string, constraint: string): string {
  return `Value '${value}' at '${path}' failed to satisfy constraint: ${constraint}`;
}

export const PATTERN = 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
export const MIN3 = 'Member must have length greater than or equal to 3';
export const MAX255 = 'Member must have length less than or equal to 255';

/** The prefix of DynamoDB's semantic ValidationExceptions. */
export const INVALID = 'One or more parameter values were invalid: ';

/** The enum constraints of the item operations' Return* members, in the order DynamoDB lists the values. */
export const RETURN_CONSUMED_CAPACITY_ENUM = 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]';
export const RETURN_VALUES_ENUM = 'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]';
export const RETURN_ITEM_COLLECTION_METRICS_ENUM = 'Member must satisfy enum value set: [SIZE, NONE]';
export const RETURN_VALUES_ON_CONDITION_CHECK_FAILURE_ENUM = 'Member must satisfy enum value set: [ALL_OLD, NONE]';
