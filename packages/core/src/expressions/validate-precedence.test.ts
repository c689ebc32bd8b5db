import { describe, expect, it } from 'vitest';
import { expectValidation } from '../../test/support/expect-errors.js';
import { prepareExpressions } from './prepare.js';

// Which error wins when a request has several: prepareExpressions end to end, with the real parser.
describe('prepareExpressions: precedence', () => {
  it('mixing, then names/values without expressions, before anything else', () => {
    expectValidation(
      () => prepareExpressions({ Expected: { a: {} }, ConditionExpression: 'a = :zz', ExpressionAttributeNames: {} }, 'PutItem'),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    );
    expectValidation(() => prepareExpressions({ Expected: { a: {} }, ExpressionAttributeNames: {} }, 'DeleteItem'), 'ExpressionAttributeNames can only be specified when using expressions');
  });

  it('legacy entries are checked before nothing else can fail: AttributeUpdates before Expected', () => {
    expectValidation(
      () => prepareExpressions({ AttributeUpdates: { a: { Action: 'ADD', Value: { S: 'x' } } }, Expected: { a: {} } }, 'UpdateItem'),
      'One or more parameter values were invalid: ADD action is not supported for the type S',
    );
  });

  it('substitution maps before any expression is parsed', () => {
    expectValidation(
      () => prepareExpressions({ UpdateExpression: 'whatever', ConditionExpression: '', ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }, 'UpdateItem'),
      'ExpressionAttributeNames must not be empty',
    );
    expectValidation(
      () => prepareExpressions({ UpdateExpression: 'whatever', ExpressionAttributeValues: { ':b': { SS: [] } } }, 'UpdateItem'),
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b',
    );
  });

  it('UpdateExpression completely (syntax and resolution) before ConditionExpression', () => {
    expectValidation(
      () => prepareExpressions({ UpdateExpression: 'SET a = :zz', ConditionExpression: 'a = = b' }, 'UpdateItem'),
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :zz',
    );
    expectValidation(
      () => prepareExpressions({ UpdateExpression: 'SET a = :v', ConditionExpression: '#zz = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'UpdateItem'),
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz',
    );
  });

  it('unused names, then unused values, only after every expression resolved', () => {
    expectValidation(
      () =>
        prepareExpressions(
          {
            UpdateExpression: 'remove a set b = list_append(b, if_not_exists(a, :a))',
            ConditionExpression: 'a = :b',
            ExpressionAttributeValues: { ':a': { L: [] }, ':b': { S: 'a' }, ':c': { S: 'c' } },
            ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
          },
          'UpdateItem',
        ),
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
    );
    expectValidation(
      () => prepareExpressions({ UpdateExpression: 'remove a', ConditionExpression: 'a = :b', ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'a' }, ':c': { S: 'a' } } }, 'UpdateItem'),
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}',
    );
    expectValidation(
      () => prepareExpressions({ UpdateExpression: 'SET a = :a', ConditionExpression: 'b = :zz', ExpressionAttributeValues: { ':a': { S: 'a' }, ':c': { S: 'a' } } }, 'UpdateItem'),
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz',
    );
  });

  it('returns resolved trees, and nothing for a request without expressions', () => {
    expect(prepareExpressions({ TableName: 't', Key: {} }, 'GetItem')).toEqual({});
    const prepared = prepareExpressions({ ProjectionExpression: 'a, #b.c[1]', ExpressionAttributeNames: { '#b': 'b' } }, 'GetItem');
    expect(prepared.projection?.paths[1]).toEqual({
      kind: 'path',
      elements: [{ kind: 'name', name: 'b' }, { kind: 'name', name: 'c' }, { kind: 'index', index: 1 }],
    });
    expect(prepareExpressions({ AttributesToGet: ['a'] }, 'GetItem').projection?.paths).toHaveLength(1);
    expect(prepareExpressions({ Expected: { a: { Exists: false } } }, 'PutItem').condition?.kind).toBe('function');
  });

  // dynalite's requests, verified against DynamoDB: the parser leaves operand counts, "requires a document
  // path" and size's operand type to the validation walk, which meets undefined names and values, and the
  // actions (from the last), first.
  const dynaliteUpdate = (UpdateExpression: string, values: Record<string, unknown> = { ':a': { S: 'a' }, ':b': { S: 'a' } }) => () =>
    prepareExpressions({ UpdateExpression, ExpressionAttributeValues: values, ExpressionAttributeNames: { '#a': 'a', '#b': 'b' } }, 'UpdateItem');

  it("dynalite: 'set b = list_append(:a, a), c = if_not_exists(a) add a.b :a' answers the ADD operand type", () => {
    expectValidation(
      () => prepareExpressions({ UpdateExpression: 'set b = list_append(:a, a), c = if_not_exists(a) add a.b :a', ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'a' } } }, 'UpdateItem'),
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND',
    );
  });

  it("dynalite: 'SET #c = if_not_exists(:c)' answers the undefined #c", () => {
    expectValidation(dynaliteUpdate('SET #c = if_not_exists(:c)'), 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #c');
    expectValidation(dynaliteUpdate('SET #a = if_not_exists(:c)'), 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c');
  });

  it('dynalite: if_not_exists/list_append operand counts, and if_not_exists of a non-path, in the validation walk', () => {
    expectValidation(
      dynaliteUpdate('set a = if_not_exists(c)'),
      'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1',
    );
    expectValidation(
      dynaliteUpdate('set a = list_append(c)'),
      'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1',
    );
    for (const text of ['set a = if_not_exists(:a, c)', 'set a = if_not_exists(if_not_exists(a, b), c)']) {
      expectValidation(dynaliteUpdate(text), 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists');
    }
    // the last action is checked first
    expectValidation(
      dynaliteUpdate('set a = if_not_exists(c), b = list_append(d)'),
      'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1',
    );
    // an operand's undefined value beats the count; the count beats the operand types
    expectValidation(dynaliteUpdate('set a = list_append(:zz)'), 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :zz');
    expectValidation(
      dynaliteUpdate('set a = list_append(:a)'),
      'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1',
    );
    // syntax and placement (the parser's) still come first
    expectValidation(dynaliteUpdate('set a = if_not_exists(:zz) set b = c'), 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
  });

  it('size() of a value is valid; of a Number (size(size(a)), size(:n)), BOOL or NULL it fails after the names and values', () => {
    const condition = (ConditionExpression: string, values: Record<string, unknown>, names?: Record<string, string>) => () =>
      prepareExpressions({ ConditionExpression, ExpressionAttributeValues: values, ...(names === undefined ? {} : { ExpressionAttributeNames: names }) }, 'PutItem');
    expect(condition('size(:s) = :n', { ':s': { S: 'abc' }, ':n': { N: '3' } })().condition).toEqual({
      kind: 'comparison',
      operator: '=',
      left: { kind: 'size', operand: { kind: 'literal', value: { S: 'abc' } } },
      right: { kind: 'literal', value: { N: '3' } },
    });
    expectValidation(
      condition('size(size(a)) > :v', { ':v': { N: '1' } }),
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
    expectValidation(
      condition('size(:v) > :v', { ':v': { N: '1' } }),
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
    expectValidation(
      condition('size(:t) > :v', { ':t': { BOOL: true }, ':v': { N: '1' } }),
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: BOOL',
    );
    expectValidation(
      condition('size(size(#zz)) > :v', { ':v': { N: '1' } }, { '#a': 'a' }),
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz',
    );
  });

  it('IN with more than 100 candidates fails in the validation walk, after an undefined value', () => {
    const list = Array.from({ length: 101 }, (_, i) => `:v${i}`);
    const values = Object.fromEntries(list.map((k) => [k, { N: '1' }]));
    expectValidation(
      () => prepareExpressions({ ConditionExpression: `a IN (${list.join(',')})`, ExpressionAttributeValues: values }, 'PutItem'),
      'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101',
    );
    expectValidation(
      () => prepareExpressions({ ConditionExpression: `a IN (${list.join(',')}, :zz)`, ExpressionAttributeValues: values }, 'PutItem'),
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz',
    );
  });
});
