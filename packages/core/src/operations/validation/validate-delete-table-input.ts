import { validateTableNameOnlyInput } from './common.js';
import { STRING, struct } from './shapes.js';

const DELETE_TABLE_SHAPE = struct('DeleteTableInput', { TableName: STRING });

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateDeleteTableInput(input: Record<string, unknown>): void {
  validateTableNameOnlyInput(input, DELETE_TABLE_SHAPE);
}
