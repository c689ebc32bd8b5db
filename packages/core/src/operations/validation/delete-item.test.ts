import { describe, expect, it } from 'vitest';
import { SerializationException, ValidationException } from '../../errors.js';
import { validateDeleteItemInput as v } from './validate-delete-item-input.js';

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

function notNull(path: string): string {
  return `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
}

function failed(value: string, path: string, constraint: string): string {
  return `Value '${value}' at '${path}' failed to satisfy constraint: ${constraint}`;
}

const PATTERN = 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
const MAX255 = 'Member must have length less than or equal to 255';

describe('DeleteItem', () => {
  const key = { id: { S: '1' } };

  it('accepts a valid request', () => {
    expect(() => v({ TableName: 'abc', Key: key, ReturnValues: 'NONE' })).not.toThrow();
  });

  it('rejects a missing TableName and Key, tableName first', () => {
    expectValidation(() => v({}), errors(notNull('tableName'), notNull('key')));
  });

  it('rejects a table name longer than 255 characters', () => {
    const name = 'a'.repeat(256);
    expectValidation(() => v({ TableName: name }), errors(failed(name, 'tableName', MAX255), notNull('key')));
  });

  it('reports every constraint in DynamoDB order', () => {
    expectValidation(
      () => v({ TableName: 'abc;', ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi', ReturnValues: 'hi' }),
      errors(
        failed('hi', 'returnConsumedCapacity', 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]'),
        failed('abc;', 'tableName', PATTERN),
        failed('hi', 'returnValues', 'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]'),
        failed('hi', 'returnItemCollectionMetrics', 'Member must satisfy enum value set: [SIZE, NONE]'),
        notNull('key'),
      ),
    );
  });

  it('leaves ReturnValues other than NONE and ALL_OLD to DeleteItem itself, which checks them after the Key', () => {
    expect(() => v({ TableName: 'abc', Key: key, ReturnValues: 'ALL_NEW' })).not.toThrow();
  });

  it('answers SerializationException for a Key that is a list', () => {
    expectSerialization(
      () => v({ TableName: 'abc', Key: [] }),
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
  });
});
