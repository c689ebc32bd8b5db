import { describe, expect, it } from 'vitest';
import { messageOf } from '../../test/support/expect-errors.js';
import { validateAttributeValue, validateItem } from './validate-item.js';

function isDeepFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return true;
  if (!Object.isFrozen(v)) return false;
  return Object.values(v).every(isDeepFrozen);
}

describe('validateItem', () => {
  it('returns a normalized, deeply frozen copy', () => {
    const input = {
      id: { S: 'a' },
      n: { N: '001.500' },
      m: { M: { inner: { L: [{ N: '1e2' }, { NS: ['-0', '2'] }] } } },
      b: { B: Uint8Array.of(1) },
    };
    const item = validateItem(input);
    expect(item).toEqual({
      id: { S: 'a' },
      n: { N: '1.5' },
      m: { M: { inner: { L: [{ N: '100' }, { NS: ['0', '2'] }] } } },
      b: { B: Uint8Array.of(1) },
    });
    expect(isDeepFrozen(item)).toBe(true);
    expect(item).not.toBe(input);
    expect(input.n.N).toBe('001.500');
  });

  it('copies binary values so later changes to the request do not reach the item', () => {
    const bytes = Uint8Array.of(1, 2);
    const item = validateItem({ b: { B: bytes } });
    bytes[0] = 9;
    expect((item.b as { B: Uint8Array }).B[0]).toBe(1);
  });

  it('allows empty strings and binary values', () => {
    expect(validateItem({ s: { S: '' }, b: { B: new Uint8Array(0) } })).toEqual({ s: { S: '' }, b: { B: new Uint8Array(0) } });
  });

  it('keeps an attribute named __proto__ as an own attribute', () => {
    const item = validateItem(JSON.parse('{"__proto__": {"S": "x"}}') as Record<string, unknown>);
    expect(Object.keys(item)).toEqual(['__proto__']);
  });

  it('rejects an empty AttributeValue with DynamoDB\'s message', () => {
    expect(messageOf(() => validateItem({ a: {} }))).toBe(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  });

  it('rejects an AttributeValue with two data types with DynamoDB\'s message', () => {
    expect(messageOf(() => validateItem({ a: { S: 'x', BOOL: true } }))).toBe(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  });

  it('reports an invalid number before there being two data types', () => {
    expect(messageOf(() => validateItem({ a: { S: 'a', N: 'b' } }))).toBe('The parameter cannot be converted to a numeric value: b');
  });

  it('rejects empty sets with DynamoDB\'s per-type wording', () => {
    expect(messageOf(() => validateItem({ a: { SS: [] } }))).toBe('One or more parameter values were invalid: An string set  may not be empty');
    expect(messageOf(() => validateItem({ a: { NS: [] } }))).toBe('One or more parameter values were invalid: An number set  may not be empty');
    expect(messageOf(() => validateItem({ a: { BS: [] } }))).toBe('One or more parameter values were invalid: Binary sets should not be empty');
  });

  it('rejects duplicate set members with DynamoDB\'s per-type wording', () => {
    expect(messageOf(() => validateItem({ a: { SS: ['a', 'a'] } }))).toBe(
      'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    );
    expect(messageOf(() => validateItem({ a: { NS: ['1', '1.0'] } }))).toBe('Input collection contains duplicates');
    expect(messageOf(() => validateItem({ a: { BS: [Uint8Array.of(98), Uint8Array.of(98)] } }))).toBe(
      'One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.',
    );
  });

  it('accepts number set members whose values differ', () => {
    expect(validateItem({ a: { NS: ['1', '10', '0.1'] } })).toEqual({ a: { NS: ['1', '10', '0.1'] } });
  });

  it('rejects NULL false with DynamoDB\'s message', () => {
    expect(messageOf(() => validateItem({ a: { NULL: false } }))).toBe(
      'One or more parameter values were invalid: Null attribute value types must have the value of true',
    );
  });

  function nest(levels: number): unknown {
    let v: unknown = { S: 'leaf' };
    for (let i = 0; i < levels; i++) v = i % 2 ? { M: { k: v } } : { L: [v] };
    return v;
  }

  it('accepts 31 levels of nested lists and maps (a scalar at level 32, counting the attribute)', () => {
    expect(() => validateItem({ a: nest(31) })).not.toThrow();
  });

  it('rejects 32 levels of nesting with DynamoDB\'s message', () => {
    expect(messageOf(() => validateItem({ a: nest(32) }))).toBe(
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
  });

  it('accepts an item of exactly 409,600 bytes and rejects one byte more', () => {
    const at = { pk: { S: 'x' }, p: { S: 'y'.repeat(409600 - 4) } };
    expect(() => validateItem(at)).not.toThrow();
    const over = { pk: { S: 'x' }, p: { S: 'y'.repeat(409600 - 3) } };
    expect(messageOf(() => validateItem(over))).toBe('Item size has exceeded the maximum allowed size');
  });

  it('reports the first invalid value in document order', () => {
    expect(messageOf(() => validateItem({ a: { N: 'x' }, b: { SS: [] } }))).toBe(
      'The parameter cannot be converted to a numeric value: x',
    );
  });
});

describe('validateAttributeValue', () => {
  it('returns a frozen normalized value', () => {
    const v = validateAttributeValue({ N: '+7' });
    expect(v).toEqual({ N: '7' });
    expect(Object.isFrozen(v)).toBe(true);
  });
});
