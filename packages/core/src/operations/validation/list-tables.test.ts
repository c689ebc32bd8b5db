import { describe, expect, it } from 'vitest';
import { SerializationException, ValidationException } from '../../errors.js';
import { validateListTablesInput as v } from './validate-list-tables-input.js';

/** Asserts `fn` throws a ValidationException with exactly `message`. */
function expectValidation(fn: () => void, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(ValidationException);
  expect((thrown as Error).message).toBe(message);
}

/** Asserts `fn` throws a SerializationException with exactly `message`. */
function expectSerialization(fn: () => void, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(SerializationException);
  expect((thrown as Error).message).toBe(message);
}

/** "N validation error(s) detected: a; b" */
function errors(...parts: string[]): string {
  return `${parts.length} validation error${parts.length === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}


function failed(value: string, path: string, constraint: string): string {
  return `Value '${value}' at '${path}' failed to satisfy constraint: ${constraint}`;
}

const PATTERN = 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
const MIN3 = 'Member must have length greater than or equal to 3';

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
