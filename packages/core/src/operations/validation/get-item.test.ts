import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, notNull, failed, PATTERN, MIN3, MAX255, RETURN_CONSUMED_CAPACITY_ENUM } from '../../../test/support/messages.js';
import { validateGetItemInput as v } from './validate-get-item-input.js';

describe('GetItem', () => {
  const key = { id: { S: '1' } };

  it('accepts a minimal valid request', () => {
    expect(() => v({ TableName: 'abc', Key: key })).not.toThrow();
    expect(() => v({ TableName: 'a.b_c-9', Key: {}, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })).not.toThrow();
  });

  it('accepts a table ARN up to 1024 characters as TableName', () => {
    expect(() => v({ TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc', Key: key })).not.toThrow();
  });

  it('rejects a missing TableName and Key, key first', () => {
    expectValidation(() => v({}), errors(notNull('key'), notNull('tableName')));
  });

  it('rejects an empty table name with the pattern and length constraints', () => {
    expectValidation(() => v({ TableName: '' }), errors(notNull('key'), failed('', 'tableName', PATTERN), failed('', 'tableName', MIN3)));
  });

  it('rejects a table name shorter than 3 characters', () => {
    expectValidation(() => v({ TableName: 'ab', Key: key }), errors(failed('ab', 'tableName', MIN3)));
  });

  it('rejects a table name longer than 255 characters', () => {
    const name = 'a'.repeat(256);
    expectValidation(() => v({ TableName: name, Key: key }), errors(failed(name, 'tableName', MAX255)));
  });

  it('rejects a table ARN longer than 1024 characters', () => {
    const arn = `arn:${'a'.repeat(1021)}`;
    expectValidation(
      () => v({ TableName: arn, Key: key }),
      errors(failed(arn, 'tableName', 'Member must have length less than or equal to 1024')),
    );
  });

  it('reports returnConsumedCapacity, key and tableName in that order', () => {
    expectValidation(
      () => v({ TableName: 'abc;', ReturnConsumedCapacity: 'hi' }),
      errors(
        failed('hi', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY_ENUM),
        notNull('key'),
        failed('abc;', 'tableName', PATTERN),
      ),
    );
  });

  it('treats null members as absent', () => {
    expectValidation(() => v({ TableName: null, Key: null, ReturnConsumedCapacity: null }), errors(notNull('key'), notNull('tableName')));
  });

  it('answers SerializationException for a TableName that is not a string', () => {
    expectSerialization(() => v({ TableName: 5, Key: key }), 'NUMBER_VALUE cannot be converted to String');
    expectSerialization(() => v({ TableName: 3.5, Key: key }), 'DECIMAL_VALUE cannot be converted to String');
    expectSerialization(() => v({ TableName: true, Key: key }), 'TRUE_VALUE cannot be converted to String');
    expectSerialization(() => v({ TableName: [], Key: key }), 'Unrecognized collection type class java.lang.String');
    expectSerialization(() => v({ TableName: {}, Key: key }), 'Start of structure or map found where not expected');
  });

  it('answers SerializationException for a Key that is not a map', () => {
    expectSerialization(() => v({ TableName: 'abc', Key: 'x' }), 'Unexpected field type');
    expectSerialization(
      () => v({ TableName: 'abc', Key: [] }),
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
  });

  it('answers SerializationException for a ConsistentRead that is not a boolean', () => {
    expectSerialization(() => v({ TableName: 'abc', Key: key, ConsistentRead: 1 }), 'NUMBER_VALUE cannot be converted to Boolean');
    expectSerialization(() => v({ TableName: 'abc', Key: key, ConsistentRead: 'yes' }), 'Unexpected token received from parser');
  });

  it('reports the first wrongly typed member in document order', () => {
    expectSerialization(() => v({ ConsistentRead: 'x', TableName: 5 }), 'Unexpected token received from parser');
    expectSerialization(() => v({ TableName: 5, ConsistentRead: 'x' }), 'NUMBER_VALUE cannot be converted to String');
  });

  it('checks JSON types before any constraint', () => {
    expectSerialization(() => v({ TableName: 'a;', Key: 5 }), 'Unexpected field type');
  });

  it('reports attributesToGet first', () => {
    expectValidation(
      () => v({ TableName: 'abc;', AttributesToGet: [], ReturnConsumedCapacity: 'hi' }),
      errors(
        failed('[]', 'attributesToGet', 'Member must have length greater than or equal to 1'),
        failed('hi', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY_ENUM),
        notNull('key'),
        failed('abc;', 'tableName', PATTERN),
      ),
    );
  });

  it('then the expression parameter checks', () => {
    expectValidation(
      () => v({ TableName: 'abc', Key: key, AttributesToGet: ['a'], ProjectionExpression: 'a' }),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
    expectValidation(() => v({ TableName: 'abc', Key: key, ExpressionAttributeNames: { '#a': 'a' } }), 'ExpressionAttributeNames can only be specified when using expressions');
    expect(() => v({ TableName: 'abc', Key: key, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'a' } })).not.toThrow();
    expect(() => v({ TableName: 'abc', Key: key, AttributesToGet: ['a', 'b'] })).not.toThrow();
  });

  it('answers SerializationException for an AttributesToGet that is not a list of strings', () => {
    expectSerialization(() => v({ TableName: 'abc', Key: key, AttributesToGet: 'a' }), 'Unexpected field type');
    expectSerialization(() => v({ TableName: 'abc', Key: key, AttributesToGet: [1] }), 'NUMBER_VALUE cannot be converted to String');
  });
});
