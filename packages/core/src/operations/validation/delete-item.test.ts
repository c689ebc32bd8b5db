import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, notNull, failed, PATTERN, MAX255, RETURN_CONSUMED_CAPACITY_ENUM, RETURN_VALUES_ENUM, RETURN_ITEM_COLLECTION_METRICS_ENUM } from '../../../test/support/messages.js';
import { validateDeleteItemInput as v } from './validate-delete-item-input.js';

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
        failed('hi', 'returnConsumedCapacity', RETURN_CONSUMED_CAPACITY_ENUM),
        failed('abc;', 'tableName', PATTERN),
        failed('hi', 'returnValues', RETURN_VALUES_ENUM),
        failed('hi', 'returnItemCollectionMetrics', RETURN_ITEM_COLLECTION_METRICS_ENUM),
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

  it('checks ConditionalOperator after the Key, then the expression parameters', () => {
    expectValidation(
      () => v({ TableName: 'abc', ConditionalOperator: 'XOR' }),
      errors(notNull('key'), failed('XOR', 'conditionalOperator', 'Member must satisfy enum value set: [OR, AND]')),
    );
    expectValidation(
      () => v({ TableName: 'abc', Key: { id: { S: '1' } }, ExpressionAttributeNames: { '#a': 'a' } }),
      'ExpressionAttributeNames can only be specified when using expressions',
    );
  });
});
