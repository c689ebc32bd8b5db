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

    // Coral's constraint messages, as on every operation (docs/FIDELITY.md): dynalite recorded
    // "TableName must be at least 3 characters long and at most 255 characters long" here.
    it('rejects a table name shorter than 3 characters with the pattern and length constraints', () => {
      expectValidation(() => v({ TableName: 'a;' }), errors(failed('a;', 'tableName', PATTERN), failed('a;', 'tableName', 'Member must have length greater than or equal to 3')));
    });

    it('rejects a table name longer than 255 characters', () => {
      const name = 'a'.repeat(256);
      expectValidation(() => v({ TableName: name }), errors(failed(name, 'tableName', 'Member must have length less than or equal to 255')));
    });

    it('rejects a table ARN longer than 1024 characters', () => {
      const arn = `arn:${'a'.repeat(1021)}`;
      expectValidation(() => v({ TableName: arn }), errors(failed(arn, 'tableName', 'Member must have length less than or equal to 1024')));
    });

    it('rejects a table name with a character outside [a-zA-Z0-9_.-]', () => {
      expectValidation(() => v({ TableName: 'abc;' }), errors(failed('abc;', 'tableName', PATTERN)));
    });

    it('answers SerializationException for a TableName that is not a string', () => {
      expectSerialization(() => v({ TableName: false }), 'FALSE_VALUE cannot be converted to String');
    });
  });
}
