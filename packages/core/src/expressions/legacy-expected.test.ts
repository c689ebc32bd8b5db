import { describe, expect, it } from 'vitest';
import { expectValidation } from '../../test/support/expect-errors.js';
import { checkArguments, translateExpected } from './legacy-expected.js';

const INVALID = 'One or more parameter values were invalid: ';
const a = { kind: 'path', elements: [{ kind: 'name', name: 'a' }] };
const b = { kind: 'path', elements: [{ kind: 'name', name: 'b' }] };

describe('translateExpected', () => {
  it('checks each entry with dynalite’s verified messages (test/putItem.js)', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, `${INVALID}Value must be provided when Exists is null for Attribute: a`],
      [{ Exists: true }, `${INVALID}Value must be provided when Exists is true for Attribute: a`],
      [{ Exists: false, Value: { S: 'a' } }, `${INVALID}Value cannot be used when Exists is false for Attribute: a`],
      [{ ComparisonOperator: 'LT' }, `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a`],
      [{ Exists: true, ComparisonOperator: 'LT' }, `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: a`],
      [{ AttributeValueList: [{ S: 'a' }], Value: { S: 'a' }, ComparisonOperator: 'LT' }, `${INVALID}Value and AttributeValueList cannot be used together for Attribute: a`],
      [{ AttributeValueList: [{ S: 'a' }] }, `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`],
      [{ Exists: true, AttributeValueList: [{ S: 'a' }] }, `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: a`],
      [{ AttributeValueList: [], ComparisonOperator: 'EQ' }, `${INVALID}Invalid number of argument(s) for the EQ ComparisonOperator`],
      [{ AttributeValueList: [{ S: 'a' }], ComparisonOperator: 'NULL' }, `${INVALID}Invalid number of argument(s) for the NULL ComparisonOperator`],
      [{ AttributeValueList: [], ComparisonOperator: 'IN' }, `${INVALID}Invalid number of argument(s) for the IN ComparisonOperator`],
      [{ AttributeValueList: [{ N: '1' }, { N: '10' }, { N: '12' }], ComparisonOperator: 'BETWEEN' }, `${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
      [{ Value: { S: 'a' }, ComparisonOperator: 'NULL' }, `${INVALID}Invalid number of argument(s) for the NULL ComparisonOperator`],
      [{ Value: { S: 'a' }, ComparisonOperator: 'BETWEEN' }, `${INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator`],
      [{ AttributeValueList: [{ N: '1' }, { S: '1' }], ComparisonOperator: 'IN' }, `${INVALID}AttributeValues inside AttributeValueList must be of same type`],
      [{ AttributeValueList: [{ N: '10' }, { N: '9' }], ComparisonOperator: 'BETWEEN' }, 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound'],
      [{ Value: { SS: ['a'] }, ComparisonOperator: 'LT' }, `${INVALID}ComparisonOperator LT is not valid for SS AttributeValue type`],
      [{ Value: {} }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
      [{ Value: { NS: ['1', '1'] } }, 'Input collection contains duplicates'],
    ];
    for (const [entry, message] of cases) expectValidation(() => translateExpected({ Expected: { a: entry } }), message);
  });

  it('checks entries one at a time, in request order', () => {
    expectValidation(
      () => translateExpected({ Expected: { a: { Value: {} }, b: {} } }),
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  });

  it('translates each form into a condition, joined by ConditionalOperator (AND by default)', () => {
    expect(translateExpected({ Expected: { a: { Exists: false } } })).toEqual({ kind: 'function', name: 'attribute_not_exists', args: [a] });
    expect(translateExpected({ Expected: { a: { Value: { S: 'x' } } } })).toEqual({ kind: 'comparison', operator: '=', left: a, right: { kind: 'literal', value: { S: 'x' } } });
    expect(translateExpected({ Expected: { a: { ComparisonOperator: 'NOT_NULL' }, b: { ComparisonOperator: 'NULL' } }, ConditionalOperator: 'OR' })).toEqual({
      kind: 'or',
      left: { kind: 'function', name: 'attribute_exists', args: [a] },
      right: { kind: 'function', name: 'attribute_not_exists', args: [b] },
    });
    expect(translateExpected({ Expected: { a: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'x' }] } } })).toEqual({
      kind: 'not',
      operand: { kind: 'function', name: 'contains', args: [a, { kind: 'literal', value: { S: 'x' } }] },
    });
    expect(translateExpected({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '2' }] } } })).toEqual({
      kind: 'between',
      operand: a,
      low: { kind: 'literal', value: { N: '1' } },
      high: { kind: 'literal', value: { N: '2' } },
    });
    expect(translateExpected({})).toBeUndefined();
  });

  it('rejects ConditionalOperator without Expected or with a single entry (DynamoDB Local’s messages, unconfirmed)', () => {
    expectValidation(() => translateExpected({ ConditionalOperator: 'AND' }), 'ConditionalOperator cannot be used without Filter or Expected');
    expectValidation(
      () => translateExpected({ ConditionalOperator: 'AND', Expected: { a: { Exists: false } } }),
      'ConditionalOperator can only be used when Filter or Expected has two or more elements',
    );
  });
});

describe('checkArguments: BETWEEN bounds', () => {
  it('orders strings by UTF-8 bytes (U+FFFD below U+1F600), not UTF-16 code units', () => {
    expect(() => checkArguments('BETWEEN', [{ S: '\ufffd' }, { S: '😀' }])).not.toThrow();
    expect(() => checkArguments('BETWEEN', [{ S: '😀' }, { S: '\ufffd' }])).toThrow('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  });
});
