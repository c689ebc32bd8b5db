import { describe, expect, it } from 'vitest';
import { ValidationException } from '../../errors.js';
import { NAME_PATTERN, RETURN_VALUES, beginConstraints, printValue } from './constraints.js';

describe('Constraints', () => {
  it('passes silently when nothing failed', () => {
    const c = beginConstraints();
    c.notNull('tableName', 'abc');
    c.tableName('tableName', 'abc');
    expect(() => c.finish()).not.toThrow();
  });

  it('reports one failure with the singular prefix', () => {
    const c = beginConstraints();
    c.notNull('tableName', undefined);
    expect(() => c.finish()).toThrow(
      new ValidationException("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"),
    );
  });

  it('joins several failures in call order with the plural prefix', () => {
    const c = beginConstraints();
    c.oneOf('returnValues', 'hi', RETURN_VALUES);
    c.min('limit', 0, 1);
    expect(() => c.finish()).toThrow(
      "2 validation errors detected: Value 'hi' at 'returnValues' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; ' +
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('stops collecting after 10 failures', () => {
    const c = beginConstraints();
    for (let i = 0; i < 15; i++) c.notNull(`m${i}`, null);
    expect(() => c.finish()).toThrow(/^10 validation errors detected: /);
  });

  it('starts each pass empty, even after a pass that was not finished', () => {
    beginConstraints().notNull('a', null);
    expect(() => beginConstraints().finish()).not.toThrow();
  });

  it('builds a lazy path only when the check fails', () => {
    let built = 0;
    const c = beginConstraints();
    c.notNull(() => (built++, 'a.1.member'), 'x');
    expect(built).toBe(0);
    c.notNull(() => (built++, 'a.1.member'), null);
    expect(built).toBe(1);
    expect(() => c.finish()).toThrow("Value null at 'a.1.member'");
  });

  it('accepts exactly the characters of [a-zA-Z0-9_.-]+', () => {
    const allowed = /^[a-zA-Z0-9_.-]+$/;
    for (let code = 0; code < 0x3000; code++) {
      const s = `ab${String.fromCharCode(code)}`;
      expect(NAME_PATTERN.test(s)).toBe(allowed.test(s));
    }
    expect(NAME_PATTERN.test('')).toBe(false);
  });

  it('prints lists Java-style and strings as they are', () => {
    expect(printValue([])).toBe('[]');
    expect(printValue(['a', 'b'])).toBe('[a, b]');
    expect(printValue('x y')).toBe('x y');
    expect(printValue(-1)).toBe('-1');
    expect(printValue(null)).toBe('null');
  });
});
