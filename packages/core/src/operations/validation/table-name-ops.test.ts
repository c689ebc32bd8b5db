import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, failed, PATTERN } from '../../../test/support/messages.js';
import { validateDeleteTableInput } from './validate-delete-table-input.js';
import { validateDescribeTableInput } from './validate-describe-table-input.js';

for (const [op, v] of [
  ['DeleteTable', validateDeleteTableInput],
  ['DescribeTable', validateDescribeTableInput],
] as const) {
  describe(op, () => {
    it('accepts a valid table name and a table ARN', () => {
      expect(() => v({ TableName: 'abc' })).not.toThrow();
      expect(() => v({ TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc' })).not.toThrow();
    });

    it('rejects a missing TableName with the required-parameter message', () => {
      expectValidation(() => v({}), "The parameter 'TableName' is required but was not present in the request");
    });

    it('rejects a table name shorter than 3 characters before checking its pattern', () => {
      expectValidation(() => v({ TableName: 'a;' }), 'TableName must be at least 3 characters long and at most 255 characters long');
    });

    it('rejects a table name longer than 255 characters', () => {
      expectValidation(() => v({ TableName: 'a'.repeat(256) }), 'TableName must be at least 3 characters long and at most 255 characters long');
    });

    it('rejects a table name with a character outside [a-zA-Z0-9_.-]', () => {
      expectValidation(() => v({ TableName: 'abc;' }), errors(failed('abc;', 'tableName', PATTERN)));
    });

    it('answers SerializationException for a TableName that is not a string', () => {
      expectSerialization(() => v({ TableName: false }), 'FALSE_VALUE cannot be converted to String');
    });
  });
}
