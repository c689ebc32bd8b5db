import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectValidation } from '../../test/support/expect-errors.js';
import { validateAttributeValue } from '../model/validate-item.js';
import { checkExpressionParameters, prepareSubstitutions } from './validate-parameters.js';

describe('checkExpressionParameters', () => {
  it('rejects expression and legacy parameters together, members in DynamoDB order (dynalite test/updateItem.js)', () => {
    expectValidation(
      () =>
        checkExpressionParameters(
          { Expected: { a: {} }, AttributeUpdates: {}, ExpressionAttributeNames: {}, ConditionExpression: '', UpdateExpression: '' },
          'UpdateItem',
        ),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}',
    );
    expectValidation(
      () => checkExpressionParameters({ ConditionalOperator: 'OR', ConditionExpression: 'a = :a' }, 'PutItem'),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ConditionalOperator} Expression parameters: {ConditionExpression}',
    );
    expectValidation(
      () => checkExpressionParameters({ AttributesToGet: ['a'], ProjectionExpression: 'a' }, 'GetItem'),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
  });

  it('lets Query pair KeyConditions with a FilterExpression, not with a KeyConditionExpression', () => {
    expect(() => checkExpressionParameters({ KeyConditions: {}, FilterExpression: 'a = :a', ExpressionAttributeValues: { ':a': {} } }, 'Query')).not.toThrow();
    expectValidation(
      () => checkExpressionParameters({ KeyConditions: {}, KeyConditionExpression: 'a = :a' }, 'Query'),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}',
    );
  });

  it('rejects ExpressionAttributeNames, then ExpressionAttributeValues, without expressions', () => {
    expectValidation(
      () => checkExpressionParameters({ Expected: { a: {} }, ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }, 'UpdateItem'),
      'ExpressionAttributeNames can only be specified when using expressions',
    );
    expectValidation(
      () => checkExpressionParameters({ Expected: { a: {} }, ExpressionAttributeValues: {} }, 'UpdateItem'),
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    );
    expectValidation(
      () => checkExpressionParameters({ ExpressionAttributeValues: { ':a': { S: 'a' } } }, 'PutItem'),
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    expectValidation(
      () => checkExpressionParameters({ ProjectionExpression: 'a', ExpressionAttributeValues: {} }, 'Scan'),
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null',
    );
    // GetItem has no ExpressionAttributeValues member: a stray one is ignored.
    expect(() => checkExpressionParameters({ ExpressionAttributeValues: {} }, 'GetItem')).not.toThrow();
    expect(() => checkExpressionParameters({ ProjectionExpression: 'a', ExpressionAttributeNames: { '#a': 'a' } }, 'GetItem')).not.toThrow();
  });
});

describe('prepareSubstitutions', () => {
  it('checks names (empty, keys) before values (empty, keys, values) (dynalite test/updateItem.js)', () => {
    expectValidation(() => prepareSubstitutions({ ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }, true), 'ExpressionAttributeNames must not be empty');
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeNames: { a: 'a' }, ExpressionAttributeValues: {} }, true),
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    );
    expectValidation(() => prepareSubstitutions({ ExpressionAttributeValues: {} }, true), 'ExpressionAttributeValues must not be empty');
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeValues: { ':b': { a: '' }, b: { S: 'a' } } }, true),
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    );
    expectValidation(() => prepareSubstitutions({ ExpressionAttributeNames: { '#': 'a' } }, true), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#"');
    expectValidation(() => prepareSubstitutions({ ExpressionAttributeNames: { '#a-b': 'a' } }, true), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"');
  });

  it('rejects a key over 255 UTF-16 code units, key by key before its syntax (extenddb test_expression_attribute_map_validation.py)', () => {
    const NAME_TOO_LONG = 'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: ';
    const VALUE_TOO_LONG = 'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;';
    // 255 is the limit: '#' + 254 letters passes, '#' + 255 does not.
    expect(() => prepareSubstitutions({ ExpressionAttributeNames: { [`#${'a'.repeat(254)}`]: 'a' } }, true)).not.toThrow();
    expectValidation(() => prepareSubstitutions({ ExpressionAttributeNames: { [`#${'a'.repeat(255)}`]: 'a' } }, true), `${NAME_TOO_LONG}256`);
    // Length before syntax: a long key with an invalid character reports its length.
    expectValidation(() => prepareSubstitutions({ ExpressionAttributeNames: { [`#${'a'.repeat(255)}-x`]: 'a' } }, true), `${NAME_TOO_LONG}258`);
    // Key by key: an earlier key's syntax error wins over a later key's length.
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeNames: { '#a-b': 'a', [`#${'a'.repeat(300)}`]: 'a' } }, true),
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"',
    );
    // Counted in UTF-16 code units (Java's String.length()), not UTF-8 bytes: 200 '€' (600 bytes) is a syntax error.
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeNames: { [`#${'€'.repeat(200)}`]: 'a' } }, true),
      `ExpressionAttributeNames contains invalid key: Syntax error; key: "#${'€'.repeat(200)}"`,
    );
    // The values variant carries no size; names' keys are checked before values' keys.
    expect(() => prepareSubstitutions({ ExpressionAttributeValues: { [`:${'v'.repeat(254)}`]: { N: '1' } } }, true)).not.toThrow();
    expectValidation(() => prepareSubstitutions({ ExpressionAttributeValues: { ':v': { N: '1' }, [`:${'v'.repeat(255)}`]: { N: '1' } } }, true), VALUE_TOO_LONG);
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { [`:${'v'.repeat(255)}-x`]: {} } }, true),
      VALUE_TOO_LONG,
    );
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeNames: { [`#${'a'.repeat(255)}`]: 'a' }, ExpressionAttributeValues: { [`:${'v'.repeat(255)}`]: { N: '1' } } }, true),
      `${NAME_TOO_LONG}256`,
    );
  });

  it('wraps an invalid value as DynamoDB does', () => {
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeValues: { ':b': {} } }, true),
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :b',
    );
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeValues: { ':b': { SS: [] } } }, true),
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b',
    );
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeValues: { ':b': { NS: ['1', '1'] } } }, true),
      'ExpressionAttributeValues contains invalid value: Input collection contains duplicates for key :b',
    );
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeValues: { ':b': { S: 'a', N: '1' } } }, true),
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes for key :b',
    );
  });

  it('checks the values before the names’ values (empty attribute name)', () => {
    expectValidation(
      () => prepareSubstitutions({ ExpressionAttributeNames: { '#a': '' }, ExpressionAttributeValues: { ':b': {} } }, true),
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :b',
    );
    expectValidation(() => prepareSubstitutions({ ExpressionAttributeNames: { '#a': '' } }, true), 'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a');
  });

  it('returns validated, frozen values', () => {
    const s = prepareSubstitutions({ ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: { ':n': { N: '01.50' } } }, true);
    expect(s.names).toEqual({ '#a': 'a' });
    expect(s.values?.get(':n')).toEqual({ N: '1.5' });
    expect(Object.isFrozen(s.values?.get(':n'))).toBe(true);
    expect(prepareSubstitutions({ ExpressionAttributeValues: { ':n': {} } }, false).values).toBeUndefined();
  });

  it('reports the first failure in the documented order (4-7) whatever the maps hold (fast-check against a phase-by-phase model)', () => {
    const LONG = 'k'.repeat(255);
    const VALUE_TOO_LONG = 'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;';
    const syntax = (map: string, key: string) => `${map} contains invalid key: Syntax error; key: "${key}"`;
    /** Each check over a whole map before the next, as the comment above prepareSubstitutions lists them. */
    function model(names: Record<string, unknown> | undefined, values: Record<string, unknown> | undefined): string {
      const defined = (map: Record<string, unknown>) => Object.keys(map).filter((key) => map[key] !== undefined);
      if (names !== undefined) {
        if (defined(names).length === 0) return 'ExpressionAttributeNames must not be empty';
        for (const key of defined(names)) {
          if (key.length > 255) return `ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: ${key.length}`;
          if (!/^#[0-9A-Za-z_]+$/.test(key)) return syntax('ExpressionAttributeNames', key);
        }
      }
      if (values !== undefined) {
        if (defined(values).length === 0) return 'ExpressionAttributeValues must not be empty';
        for (const key of defined(values)) {
          if (key.length > 255) return VALUE_TOO_LONG;
          if (!/^:[0-9A-Za-z_]+$/.test(key)) return syntax('ExpressionAttributeValues', key);
        }
        for (const key of defined(values)) {
          try {
            validateAttributeValue(values[key]);
          } catch (error) {
            return error instanceof Error && error.name === 'ValidationException' ? `ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}` : String(error);
          }
        }
      }
      if (names !== undefined) {
        for (const key of defined(names)) {
          if (names[key] === '') return `ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`;
          if (names[key] === 'x'.repeat(65536)) return `ExpressionAttributeNames contains invalid value: Attribute name is too large, must be less than 65536 bytes for key ${key}`;
        }
      }
      return 'ok';
    }
    const answer = (run: () => unknown) => {
      try {
        run();
        return 'ok';
      } catch (error) {
        return error instanceof Error && error.name === 'ValidationException' ? error.message : String(error);
      }
    };
    const names = fc.option(
      fc.dictionary(fc.constantFrom('#a', '#b', 'c', '#d-e', `#${LONG}`), fc.constantFrom('a', 'b', '', 'x'.repeat(65536), undefined), { maxKeys: 4 }),
      { nil: undefined },
    );
    const value = fc.constantFrom({ S: 'a' }, { N: '01' }, {}, { SS: [] }, { S: 5 }, { NS: ['1', '1'] }, undefined);
    const values = fc.option(fc.dictionary(fc.constantFrom(':a', ':b', 'c', ':d-e', `:${LONG}`), value, { maxKeys: 4 }), { nil: undefined });
    fc.assert(
      fc.property(names, values, (n, v) => {
        expect(answer(() => prepareSubstitutions({ ExpressionAttributeNames: n, ExpressionAttributeValues: v }, true))).toBe(model(n, v));
      }),
      { numRuns: 2000 },
    );
  });
});
