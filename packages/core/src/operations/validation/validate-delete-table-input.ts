import { beginConstraints } from './constraints.js';
import { checkTableLevelName } from './common.js';
import { STRING, checkShape, struct } from './shapes.js';

const DELETE_TABLE_SHAPE = struct('DeleteTableInput', { TableName: STRING });

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateDeleteTableInput(input: Record<string, unknown>): void {
  if (typeof input.TableName !== 'string') checkShape(input, DELETE_TABLE_SHAPE);
  checkTableLevelName(input.TableName, true);
  const c = beginConstraints();
  c.tableName('tableName', input.TableName, true);
  c.finish();
}
