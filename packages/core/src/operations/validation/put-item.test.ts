import { describe, expect, it } from 'vitest';
import { SerializationException, ValidationException } from '../../errors.js';
import { validatePutItemInput as v } from './validate-put-item-input.js';

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
const MIN3 = 'Member must have length greater than or equal to 3';

describe('PutItem', () => {
  const item = { id: { S: '1' } };

  it('accepts a valid request with every enum member', () => {
    expect(() => v({ TableName: 'abc', Item: item })).not.toThrow();
    expect(() =>
      v({
        TableName: 'abc',
        Item: item,
        ReturnValues: 'ALL_OLD',
        ReturnConsumedCapacity: 'INDEXES',
        ReturnItemCollectionMetrics: 'SIZE',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    ).not.toThrow();
  });

  it('rejects a missing TableName and Item, tableName first', () => {
    expectValidation(() => v({}), errors(notNull('tableName'), notNull('item')));
  });

  it('rejects a table name shorter than 3 characters', () => {
    expectValidation(
      () => v({ TableName: 'a;' }),
      errors(failed('a;', 'tableName', PATTERN), failed('a;', 'tableName', MIN3), notNull('item')),
    );
  });

  it('reports every constraint in DynamoDB order', () => {
    expectValidation(
      () => v({ TableName: 'abc;', ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi', ReturnValues: 'hi' }),
      errors(
        failed('hi', 'returnConsumedCapacity', 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]'),
        failed('abc;', 'tableName', PATTERN),
        notNull('item'),
        failed('hi', 'returnValues', 'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]'),
        failed('hi', 'returnItemCollectionMetrics', 'Member must satisfy enum value set: [SIZE, NONE]'),
      ),
    );
  });

  it('rejects an invalid ReturnValuesOnConditionCheckFailure', () => {
    expectValidation(
      () => v({ TableName: 'abc', Item: item, ReturnValuesOnConditionCheckFailure: 'ALL_NEW' }),
      errors(failed('ALL_NEW', 'returnValuesOnConditionCheckFailure', 'Member must satisfy enum value set: [ALL_OLD, NONE]')),
    );
  });

  it('leaves ReturnValues other than NONE and ALL_OLD to PutItem itself, which checks them after the Item', () => {
    for (const rv of ['UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']) expect(() => v({ TableName: 'abc', Item: {}, ReturnValues: rv })).not.toThrow();
  });

  it('answers SerializationException for an Item that is not a map', () => {
    expectSerialization(() => v({ TableName: 'abc', Item: true }), 'Unexpected field type');
  });

  it('answers SerializationException for a ReturnValues that is not a string', () => {
    expectSerialization(() => v({ TableName: 'abc', Item: item, ReturnValues: 1 }), 'NUMBER_VALUE cannot be converted to String');
  });
});
