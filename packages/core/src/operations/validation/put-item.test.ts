import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, notNull, failed, PATTERN, MIN3, RETURN_CONSUMED_CAPACITY_ENUM, RETURN_VALUES_ENUM, RETURN_ITEM_COLLECTION_METRICS_ENUM, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE_ENUM } from '../../../test/support/messages.js';
import { validatePutItemInput as v } from './validate-put-item-input.js';

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
        failed('hi', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY_ENUM),
        failed('abc;', 'tableName', PATTERN),
        notNull('item'),
        failed('hi', 'returnValues', RETURN_VALUES_ENUM),
        failed('hi', 'returnItemCollectionMetrics', RETURN_ITEM_COLLECTION_METRICS_ENUM),
      ),
    );
  });

  it('rejects an invalid ReturnValuesOnConditionCheckFailure', () => {
    expectValidation(
      () => v({ TableName: 'abc', Item: item, ReturnValuesOnConditionCheckFailure: 'ALL_NEW' }),
      errors(failed('ALL_NEW', 'returnValuesOnConditionCheckFailure', RETURN_VALUES_ON_CONDITION_CHECK_FAILURE_ENUM)),
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

  it('checks ConditionalOperator and Expected after the Item, before ReturnValues (dynalite validations/putItem.js)', () => {
    expectValidation(
      () => v({ TableName: 'abc', ReturnValues: 'hi', ConditionalOperator: 'XOR', Expected: { a: { ComparisonOperator: 'LIKE' } } }),
      errors(
        notNull('item'),
        failed('XOR', 'conditionalOperator', 'Member must satisfy enum value set: [OR, AND]'),
        failed('LIKE', 'expected.a.member.comparisonOperator', 'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]'),
        failed('hi', 'returnValues', RETURN_VALUES_ENUM),
      ),
    );
  });

  it('then the expression parameter checks', () => {
    expectValidation(
      () => v({ TableName: 'abc', Item: item, Expected: { a: { Exists: false } }, ConditionExpression: 'attribute_exists(a)' }),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    );
    expectValidation(
      () => v({ TableName: 'abc', Item: item, ExpressionAttributeValues: { ':a': { S: 'a' } } }),
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    expect(() => v({ TableName: 'abc', Item: item, ConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, ExpressionAttributeNames: { '#a': 'a' } })).not.toThrow();
  });

  it('answers SerializationException for a ConditionExpression that is not a string', () => {
    expectSerialization(() => v({ TableName: 'abc', Item: item, ConditionExpression: true }), 'TRUE_VALUE cannot be converted to String');
  });
});
