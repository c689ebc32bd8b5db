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
 * RequestItems: not null, not empty, valid table-name keys. Returns whether it is present. Captured against
 * DynamoDB (paritysuite/dynamodb-conformance tier3 batchGetItem, batchWriteItem, validation-ordering
 * batchOperations, us-east-1 and eu-west-2): an empty map is BatchWriteItem's own error, "The requestItems
 * parameter is required for BatchWriteItem", but for BatchGetItem the generic "Value at 'RequestItems' …
 * length greater than or equal to 1"; BatchGetItem echoes the map as JSON beside a bad table name, where
 * BatchWriteItem prints it as Java does (`{table=[…]}`, `printJavaMap`) and leaves the table names
 * unchecked when another member constraint (an enum) already failed.
 */
export function requestItemsConstraints(
  c: Constraints,
  map: unknown,
  operation: 'BatchGetItem' | 'BatchWriteItem',
  printMap?: (map: Record<string, unknown>) => string,
): map is Record<string, unknown> {
  if (!c.notNull('requestItems', map)) return false;
  const items = map as Record<string, unknown>;
  let empty = true;
  for (const _ in items) empty = false;
  if (empty) {
    if (operation === 'BatchWriteItem') throw new ValidationException(`The requestItems parameter is required for ${operation}`);
    c.failShown('RequestItems', undefined, 'Member must have length greater than or equal to 1');
    return false;
  }
  if (operation === 'BatchWriteItem' && c.failed) return true;
  if (!areTableNameKeysValid(items)) {
    if (printMap === undefined) c.fail('requestItems', items, MAP_KEYS_CONSTRAINT);
    else c.failShown('requestItems', `'${printMap(items)}'`, MAP_KEYS_CONSTRAINT);
  }
  return true;
}
