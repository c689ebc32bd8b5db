import { describe, expect, it } from 'vitest';
import { expectSerialization, expectValidation } from '../../../test/support/expect-errors.js';
import { errors, failed, notNull } from '../../../test/support/messages.js';
import { validateQueryInput as q } from './validate-query-input.js';
import { checkSegments, validateScanInput as s } from './validate-scan-input.js';

const OPS = 'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]';

describe('Query input', () => {
  it('accepts well-formed requests', () => {
    expect(() => q({ TableName: 'abc', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } }, Limit: 1, Select: 'COUNT' })).not.toThrow();
    expect(() => q({ TableName: 'abc', KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'x' }] } }, IndexName: 'idx' })).not.toThrow();
  });

  it('reports JSON type errors first', () => {
    expectSerialization(() => q({ TableName: 'abc', Limit: 'x' }), 'STRING_VALUE cannot be converted to Integer');
    expectSerialization(() => q({ TableName: 'abc', ScanIndexForward: 1 }), 'NUMBER_VALUE cannot be converted to Boolean');
    expectSerialization(() => q({ TableName: 'abc', KeyConditions: { a: 'x' } }), 'Unexpected value type in payload');
    expectSerialization(() => q({ TableName: 'abc', KeyConditions: [] }), 'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.Condition>');
  });

  it('reports constraints in DynamoDB order, Condition operators included', () => {
    expectValidation(() => q({}), errors(notNull('tableName')));
    expectValidation(
      () => q({ TableName: 'abc', IndexName: 'a;', KeyConditions: { a: {}, b: { ComparisonOperator: '' } }, QueryFilter: { c: {} } }),
      errors(
        failed('a;', 'indexName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+'),
        failed('a;', 'indexName', 'Member must have length greater than or equal to 3'),
        notNull('queryFilter.c.member.comparisonOperator'),
        notNull('keyConditions.a.member.comparisonOperator'),
        failed('', 'keyConditions.b.member.comparisonOperator', OPS),
      ),
    );
  });

  it('checks Select with the constraint prefix', () => {
    expectValidation(
      () => q({ TableName: 'abc', Select: 'ALL_ATTRIBUTES', AttributesToGet: ['a'] }),
      '1 validation error detected: Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES',
    );
    expectValidation(
      () => q({ TableName: 'abc', IndexName: 'idx', Select: 'ALL_PROJECTED_ATTRIBUTES', ProjectionExpression: 'a' }),
      '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES',
    );
  });

  it('checks expression and legacy parameters mixed, KeyConditions only next to KeyConditionExpression', () => {
    expect(() => q({ TableName: 'abc', KeyConditions: {}, FilterExpression: 'a = :a' })).not.toThrow();
    expectValidation(
      () => q({ TableName: 'abc', QueryFilter: {}, FilterExpression: 'x' }),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {QueryFilter} Expression parameters: {FilterExpression}',
    );
    expectValidation(
      () => q({ TableName: 'abc', ExpressionAttributeValues: {} }),
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    );
  });
});

describe('Scan input', () => {
  it('accepts well-formed requests', () => {
    expect(() => s({ TableName: 'abc', Segment: 999_999, TotalSegments: 1_000_000, Limit: 5 })).not.toThrow();
  });

  it('reports constraints in DynamoDB order', () => {
    expectValidation(
      () => s({ TableName: 'abc', Select: 'x', TotalSegments: 0, ScanFilter: { a: {} }, Segment: 1_000_000, AttributesToGet: [] }),
      errors(
        failed('x', 'select', 'Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]'),
        failed('0', 'totalSegments', 'Member must have value greater than or equal to 1'),
        notNull('scanFilter.a.member.comparisonOperator'),
        failed('1000000', 'segment', 'Member must have value less than or equal to 999999'),
        failed('[]', 'attributesToGet', 'Member must have length greater than or equal to 1'),
      ),
    );
    expectValidation(() => s({ TableName: 'abc', ExpressionAttributeValues: {} }), 'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null');
  });

  it('checks segments: both or neither, Segment below TotalSegments', () => {
    expect(() => checkSegments({ Segment: 0, TotalSegments: 1 })).not.toThrow();
    expectValidation(() => checkSegments({ Segment: 0 }), 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    expectValidation(() => checkSegments({ TotalSegments: 3 }), 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    expectValidation(() => checkSegments({ Segment: 3, TotalSegments: 3 }), 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3');
  });
});
