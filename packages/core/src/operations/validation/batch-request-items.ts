import { ValidationException } from '../../errors.js';
import type { Constraints } from './constraints.js';
import { isValidItemTableName } from './item-input.js';

/**
 * What BatchGetItem and BatchWriteItem share about their RequestItems map: its table-name keys are
 * checked as one "Map keys" constraint of the whole map, which DynamoDB prints with all three rules
 * whichever failed (dynalite test/batchGetItem.js, batchWriteItem.js, verified against DynamoDB).
 * A table ARN is accepted as a key, as DynamoDB accepts one wherever it takes a table name.
 */
export const MAP_KEYS_CONSTRAINT =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 255, ' +
  'Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';

/** Whether every key of RequestItems is a valid table name or table ARN. */
export function areTableNameKeysValid(map: Readonly<Record<string, unknown>>): boolean {
  for (const name in map) if (!isValidItemTableName(name)) return false;
  return true;
}

/**
 * RequestItems: not null, valid table-name keys. Returns whether it is present. An empty map is its own
 * error, "The requestItems parameter is required for BatchGetItem" (or BatchWriteItem), as DynamoDB
 * answers today (nubo-db/dynamodb-conformance tier3 batchGetItem, batchWriteItem; dynalite recorded
 * Coral's "Member must have length greater than or equal to 1").
 */
export function requestItemsConstraints(c: Constraints, map: unknown, operation: 'BatchGetItem' | 'BatchWriteItem'): map is Record<string, unknown> {
  if (!c.notNull('requestItems', map)) return false;
  const items = map as Record<string, unknown>;
  let empty = true;
  for (const _ in items) empty = false;
  if (empty) throw new ValidationException(`The requestItems parameter is required for ${operation}`);
  if (!areTableNameKeysValid(items)) c.fail('requestItems', items, MAP_KEYS_CONSTRAINT);
  return true;
}
