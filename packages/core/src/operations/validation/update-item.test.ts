import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, notNull, failed, PATTERN, RETURN_CONSUMED_CAPACITY_ENUM, RETURN_VALUES_ENUM, RETURN_ITEM_COLLECTION_METRICS_ENUM } from '../../../test/support/messages.js';
import { validateUpdateItemInput as v } from './validate-update-item-input.js';

describe('UpdateItem', () => {
  const key = { id: { S: '1' } };

  it('accepts a valid request, with every ReturnValues', () => {
    for (const rv of ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']) {
      expect(() => v({ TableName: 'abc', Key: key, ReturnValues: rv, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } })).not.toThrow();
    }
    expect(() => v({ TableName: 'abc', Key: key, AttributeUpdates: { a: { Action: 'ADD', Value: { N: '1' } } }, Expected: { a: { Exists: false } } })).not.toThrow();
  });

  it('rejects a missing TableName and Key, tableName first', () => {
    expectValidation(() => v({}), errors(notNull('tableName'), notNull('key')));
  });

  it('reports every constraint in DynamoDB order (dynalite test/updateItem.js)', () => {
    expectValidation(
      () => v({ TableName: 'abc;', ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi', ReturnValues: 'hi' }),
      errors(
        failed('hi', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY_ENUM),
        failed('abc;', 'tableName', PATTERN),
        failed('hi', 'returnItemCollectionMetrics', RETURN_ITEM_COLLECTION_METRICS_ENUM),
        failed('hi', 'returnValues', RETURN_VALUES_ENUM),
        notNull('key'),
      ),
    );
  });

  it('checks ConditionalOperator, Expected comparison operators and AttributeUpdates actions after the Key', () => {
    expectValidation(
      () => v({ TableName: 'abc', ConditionalOperator: 'XOR', Expected: { a: { ComparisonOperator: 'LIKE' } }, AttributeUpdates: { b: { Action: 'SET' } } }),
      errors(
        notNull('key'),
        failed('XOR', 'conditionalOperator', 'Member must satisfy enum value set: [OR, AND]'),
        failed('LIKE', 'expected.a.member.comparisonOperator', 'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]'),
        failed('SET', 'attributeUpdates.b.member.action', 'Member must satisfy enum value set: [ADD, PUT, DELETE]'),
      ),
    );
  });

  it('then the expression parameters, before the Key’s values (dynalite test/updateItem.js)', () => {
    expectValidation(
      () => v({ TableName: 'abc', Key: { a: {} }, Expected: { a: {} }, AttributeUpdates: {}, ExpressionAttributeNames: {}, ConditionExpression: '', UpdateExpression: '' }),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}',
    );
    expectValidation(() => v({ TableName: 'abc', Key: { a: {} }, Expected: { a: {} }, ExpressionAttributeValues: {} }), 'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null');
  });

  it('answers SerializationException for wrongly typed expression members', () => {
    expectSerialization(() => v({ TableName: 'abc', Key: key, UpdateExpression: 5 }), 'NUMBER_VALUE cannot be converted to String');
    expectSerialization(() => v({ TableName: 'abc', Key: key, ExpressionAttributeNames: { '#a': 1 } }), 'NUMBER_VALUE cannot be converted to String');
    expectSerialization(() => v({ TableName: 'abc', Key: key, AttributeUpdates: { a: 'x' } }), 'Unexpected value type in payload');
    expectSerialization(() => v({ TableName: 'abc', Key: key, Expected: { a: { Exists: 'yes' } } }), 'Unexpected token received from parser');
  });
});
