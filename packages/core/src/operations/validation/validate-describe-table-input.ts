import { validateTableNameOnlyInput } from './common.js';
import { STRING, struct } from './shapes.js';

const DESCRIBE_TABLE_SHAPE = struct('DescribeTableInput', { TableName: STRING });

/**
 * Checks a request's parameters before the table is looked up, in DynamoDB's order and with its
 * exact messages. Throws ValidationException (or SerializationException for wrong JSON types).
 */
export function validateDescribeTableInput(input: Record<string, unknown>): void {
  validateTableNameOnlyInput(input, DESCRIBE_TABLE_SHAPE);
}
