import { describe, expect, it } from 'vitest';
import { expectValidation } from '../../test/support/expect-errors.js';
import { translateAttributeUpdates } from './legacy-updates.js';
import { translateAttributesToGet } from './legacy-projection.js';

const INVALID = 'One or more parameter values were invalid: ';
const a = { kind: 'path', elements: [{ kind: 'name', name: 'a' }] };

describe('translateAttributeUpdates', () => {
  it('rejects what dynalite’s verified tests reject (test/updateItem.js)', () => {
    expectValidation(() => translateAttributeUpdates({ AttributeUpdates: { a: { x: 'whatever' } } }), `${INVALID}Only DELETE action is allowed when no attribute value is specified`);
    for (const value of [{ S: '1' }, { N: '1' }, { B: new Uint8Array([1]) }, { NULL: true }, { BOOL: true }, { M: {} }, { L: [] }]) {
      expectValidation(
        () => translateAttributeUpdates({ AttributeUpdates: { a: { Action: 'DELETE', Value: value } } }),
        `${INVALID}DELETE action with value is not supported for the type ${Object.keys(value)[0]}`,
      );
    }
    for (const value of [{ S: '1' }, { B: new Uint8Array([1]) }, { NULL: true }, { BOOL: true }, { M: {} }]) {
      expectValidation(
        () => translateAttributeUpdates({ AttributeUpdates: { a: { Action: 'ADD', Value: value } } }),
        `${INVALID}ADD action is not supported for the type ${Object.keys(value)[0]}`,
      );
    }
    expectValidation(() => translateAttributeUpdates({ AttributeUpdates: { a: { Value: {} } } }), 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  });

  it('translates PUT, DELETE and ADD', () => {
    expect(
      translateAttributeUpdates({
        AttributeUpdates: {
          a: { Value: { S: 'x' } },
          b: { Action: 'DELETE' },
          c: { Action: 'DELETE', Value: { SS: ['x'] } },
          d: { Action: 'ADD', Value: { N: '1' } },
        },
      })?.actions.map((x) => x.kind),
    ).toEqual(['set', 'remove', 'delete', 'add']);
    expect(translateAttributeUpdates({ AttributeUpdates: { a: { Action: 'ADD', Value: { L: [{ S: 'x' }] } } } })?.actions[0]).toEqual({
      kind: 'set',
      path: a,
      value: {
        kind: 'listAppend',
        args: [
          { kind: 'ifNotExists', args: [a, { kind: 'literal', value: { L: [] } }] },
          { kind: 'literal', value: { L: [{ S: 'x' }] } },
        ],
      },
    });
    // Marked legacy, for the legacy type-mismatch message when applied.
    expect(translateAttributeUpdates({ AttributeUpdates: { a: { Action: 'ADD', Value: { N: '1' } } } })?.legacy).toBe(true);
    expect(translateAttributeUpdates({ AttributeUpdates: {} })).toBeUndefined();
  });
});

describe('translateAttributesToGet', () => {
  it('projects the names and rejects a duplicate (dynalite validations/getItem.js)', () => {
    expect(translateAttributesToGet({ AttributesToGet: ['a'] })).toEqual({ kind: 'projection', paths: [a] });
    expectValidation(() => translateAttributesToGet({ AttributesToGet: ['a', 'b', 'a'] }), `${INVALID}Duplicate value in attribute name: a`);
  });
});
