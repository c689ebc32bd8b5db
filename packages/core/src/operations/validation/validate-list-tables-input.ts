import { beginConstraints } from './constraints.js';
import { INTEGER, STRING, checkShape, struct } from './shapes.js';

const LIST_TABLES_SHAPE = struct('ListTablesInput', { ExclusiveStartTableName: STRING, Limit: INTEGER });

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateListTablesInput(input: Record<string, unknown>): void {
  checkShape(input, LIST_TABLES_SHAPE);
  const c = beginConstraints();
  // DynamoDB lists limit before exclusiveStartTableName (dynalite test/listTables.js).
  c.min('limit', input.Limit, 1);
  c.max('limit', input.Limit, 100);
  c.tableName('exclusiveStartTableName', input.ExclusiveStartTableName);
  c.finish();
}
