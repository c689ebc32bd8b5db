import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, failed, PATTERN, MIN3 } from '../../../test/support/messages.js';
import { validateListTablesInput as v } from './validate-list-tables-input.js';

describe('ListTables', () => {
  it('accepts no parameters, nulls and valid values', () => {
    expect(() => v({})).not.toThrow();
    expect(() => v({ ExclusiveStartTableName: null, Limit: null })).not.toThrow();
    expect(() => v({ ExclusiveStartTableName: 'aaa', Limit: 100 })).not.toThrow();
  });

  it('reports limit before exclusiveStartTableName', () => {
    expectValidation(
      () => v({ ExclusiveStartTableName: 'a;', Limit: 500 }),
      errors(
        failed('500', 'limit', 'Member must have value less than or equal to 100'),
        failed('a;', 'exclusiveStartTableName', PATTERN),
        failed('a;', 'exclusiveStartTableName', MIN3),
      ),
    );
  });

  it('rejects an empty ExclusiveStartTableName', () => {
    expectValidation(
      () => v({ ExclusiveStartTableName: '' }),
      errors(failed('', 'exclusiveStartTableName', PATTERN), failed('', 'exclusiveStartTableName', MIN3)),
    );
  });

  it('rejects a Limit below 1', () => {
    expectValidation(() => v({ Limit: 0 }), errors(failed('0', 'limit', 'Member must have value greater than or equal to 1')));
  });

  it('answers SerializationException for a Limit that is not a number', () => {
    expectSerialization(() => v({ Limit: '23' }), 'STRING_VALUE cannot be converted to Integer');
    expectSerialization(() => v({ Limit: [] }), 'Unrecognized collection type class java.lang.Integer');
  });
});
