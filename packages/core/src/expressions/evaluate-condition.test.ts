import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { validateItem } from '../model/validate-item.js';
import type { Comparator, ConditionFunctionName, ConditionNode, Operand, PathElement, PathNode } from './ast.js';
import { evaluateCondition } from './evaluate-condition.js';

// ─── builders for resolved trees ─────────────────────────────────────────────────────────────────

/** `a.b[1].c` → a resolved path. */
function path(text: string): PathNode {
  const elements: PathElement[] = [];
  for (const part of text.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    elements.push(part.startsWith('[') ? { kind: 'index', index: Number(part.slice(1, -1)) } : { kind: 'name', name: part });
  }
  return { kind: 'path', elements };
}
const v = (value: AttributeValue): Operand => ({ kind: 'literal', value });
const size = (text: string): Operand => ({ kind: 'size', operand: path(text) });
const op = (x: string | Operand): Operand => (typeof x === 'string' ? path(x) : x);
const cmp = (left: string | Operand, operator: Comparator, right: string | Operand): ConditionNode => ({
  kind: 'comparison',
  operator,
  left: op(left),
  right: op(right),
});
const fn = (name: ConditionFunctionName, ...args: (string | Operand)[]): ConditionNode => ({ kind: 'function', name, args: args.map(op) });
const between = (x: string | Operand, low: string | Operand, high: string | Operand): ConditionNode => ({
  kind: 'between',
  operand: op(x),
  low: op(low),
  high: op(high),
});
const isIn = (x: string | Operand, ...candidates: (string | Operand)[]): ConditionNode => ({ kind: 'in', operand: op(x), candidates: candidates.map(op) });
const N = (n: string): Operand => v({ N: n });
const S = (s: string): Operand => v({ S: s });
const B = (...bytes: number[]): Operand => v({ B: Uint8Array.from(bytes) });

const item: Item = validateItem({
  n: { N: '10' },
  big: { N: '12345678901234567890123456789012345678' },
  neg: { N: '-0.5' },
  s: { S: 'hello' },
  e: { S: 'é€😀' },
  b: { B: Uint8Array.of(1, 200, 3) },
  t: { BOOL: true },
  z: { NULL: true },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2.5'] },
  bs: { BS: [Uint8Array.of(1), Uint8Array.of(255)] },
  l: { L: [{ S: 'x' }, { N: '2' }, { M: { k: { S: 'v' } } }] },
  m: { M: { inner: { M: { deep: { N: '1' } } }, list: { L: [{ N: '5' }] } } },
});

/** Evaluates against the item above, or against the given item (`undefined`: no item). */
const holds = (c: ConditionNode, ...on: [] | [Item | undefined]): boolean => evaluateCondition(c, on.length === 0 ? item : on[0]);

describe('evaluateCondition: = and <>', () => {
  it('compares numbers by value, not by text', () => {
    expect(holds(cmp('n', '=', N('10')))).toBe(true);
    expect(holds(cmp('neg', '=', N('-0.50')))).toBe(false); // literals arrive normalized: -0.50 is not
    expect(holds(cmp('neg', '=', N('-0.5')))).toBe(true);
  });
  it('is false between values of different types', () => {
    expect(holds(cmp('n', '=', S('10')))).toBe(false);
    expect(holds(cmp('ss', '=', v({ L: [{ S: 'a' }, { S: 'b' }] })))).toBe(false);
  });
  it('compares sets regardless of order and lists and maps deeply', () => {
    expect(holds(cmp('ss', '=', v({ SS: ['b', 'a'] })))).toBe(true);
    expect(holds(cmp('bs', '=', v({ BS: [Uint8Array.of(255), Uint8Array.of(1)] })))).toBe(true);
    expect(holds(cmp('l', '=', v({ L: [{ S: 'x' }, { N: '2' }, { M: { k: { S: 'v' } } }] })))).toBe(true);
    expect(holds(cmp('l', '=', v({ L: [{ N: '2' }, { S: 'x' }, { M: { k: { S: 'v' } } }] })))).toBe(false);
    expect(holds(cmp('m.inner', '=', v({ M: { deep: { N: '1' } } })))).toBe(true);
  });
  it('is false when either side is missing, even two missing attributes', () => {
    expect(holds(cmp('nope', '=', N('1')))).toBe(false);
    expect(holds(cmp('nope', '=', 'other'))).toBe(false);
    expect(holds(cmp('n', '=', N('10')), undefined)).toBe(false);
  });
  it('makes <> true when types differ or a side is missing, even two missing attributes', () => {
    expect(holds(cmp('n', '<>', N('11')))).toBe(true);
    expect(holds(cmp('n', '<>', N('10')))).toBe(false);
    expect(holds(cmp('n', '<>', S('10')))).toBe(true);
    expect(holds(cmp('nope', '<>', N('1')))).toBe(true);
    expect(holds(cmp('nope', '<>', 'other'))).toBe(true);
    expect(holds(cmp('n', '<>', N('1')), undefined)).toBe(true);
  });
  it('compares two attributes of the item', () => {
    expect(holds(cmp('m.list[0]', '=', N('5')))).toBe(true);
    expect(holds(cmp('n', '<>', 'big'))).toBe(true);
  });
});

describe('evaluateCondition: < <= > >=', () => {
  it('orders numbers exactly, beyond JS double precision', () => {
    expect(holds(cmp('big', '<', N('12345678901234567890123456789012345679')))).toBe(true);
    expect(holds(cmp('big', '>', N('12345678901234567890123456789012345677')))).toBe(true);
    expect(holds(cmp('big', '<=', N('12345678901234567890123456789012345678')))).toBe(true);
    expect(holds(cmp('neg', '<', N('0')))).toBe(true);
    expect(holds(cmp('neg', '>=', N('-0.5')))).toBe(true);
    expect(holds(cmp('neg', '>', N('-0.5')))).toBe(false);
  });
  it('orders strings by UTF-8 bytes (code points), not UTF-16 units', () => {
    // U+FF5E (one UTF-16 unit, 0xEF… in UTF-8) sorts before U+1F600 (a surrogate pair, 0xF0… in UTF-8).
    const it = validateItem({ a: { S: '\uff5e' } });
    expect(holds(cmp('a', '<', S('😀')), it)).toBe(true);
    expect('\uff5e' < '😀').toBe(false); // what naive JS comparison says
    expect(holds(cmp('s', '<', S('hellp')))).toBe(true);
    expect(holds(cmp('s', '>', S('hell')))).toBe(true);
  });
  it('orders binary values as unsigned bytes', () => {
    expect(holds(cmp('b', '>', B(1, 127)))).toBe(true);
    expect(holds(cmp('b', '<', B(1, 201)))).toBe(true);
    expect(holds(cmp('b', '>', B(1, 200)))).toBe(true); // a longer value with the same prefix is larger
  });
  it('is false for types other than N, S and B, for mixed types, and for missing operands', () => {
    expect(holds(cmp('ss', '<', v({ SS: ['z'] })))).toBe(false);
    expect(holds(cmp('t', '<=', v({ BOOL: true })))).toBe(false);
    expect(holds(cmp('l', '>=', 'l'))).toBe(false);
    expect(holds(cmp('n', '<', S('17')))).toBe(false);
    expect(holds(cmp('nope', '<', N('1')))).toBe(false);
    expect(holds(cmp(N('1'), '<', 'nope'))).toBe(false);
    for (const o of ['<', '<=', '>', '>='] as const) expect(holds(cmp('nope', o, 'other'))).toBe(false);
  });
});

describe('evaluateCondition: BETWEEN and IN', () => {
  it('makes BETWEEN inclusive at both ends', () => {
    expect(holds(between('n', N('10'), N('10')))).toBe(true);
    expect(holds(between('n', N('9.99'), N('10.01')))).toBe(true);
    expect(holds(between('s', S('hello'), S('help')))).toBe(true);
    expect(holds(between('n', N('11'), N('20')))).toBe(false);
  });
  it('makes BETWEEN false when the bounds are reversed (read from the item), of another type, or missing', () => {
    expect(holds(between('n', N('20'), N('1')))).toBe(false);
    expect(holds(between('n', S('1'), S('9')))).toBe(false);
    expect(holds(between('n', N('1'), S('9')))).toBe(false);
    expect(holds(between('nope', N('1'), N('9')))).toBe(false);
    expect(holds(between('n', 'nope', N('11')))).toBe(false);
  });
  it('makes IN true when any candidate equals the operand, whatever the candidates types', () => {
    expect(holds(isIn('n', S('dog'), N('10')))).toBe(true);
    expect(holds(isIn('ss', v({ SS: ['b', 'a'] })))).toBe(true);
    expect(holds(isIn('n', S('10'), N('11')))).toBe(false);
    expect(holds(isIn('nope', N('1'), 'other'))).toBe(false);
  });
});

describe('evaluateCondition: AND, OR, NOT', () => {
  const t = cmp('n', '=', N('10'));
  const f = cmp('n', '=', N('11'));
  const boom: ConditionNode = cmp({ kind: 'valuePlaceholder', token: ':unresolved' }, '=', N('1'));
  it('combines with AND, OR and NOT', () => {
    expect(holds({ kind: 'and', left: t, right: t })).toBe(true);
    expect(holds({ kind: 'and', left: t, right: f })).toBe(false);
    expect(holds({ kind: 'or', left: f, right: t })).toBe(true);
    expect(holds({ kind: 'or', left: f, right: f })).toBe(false);
    expect(holds({ kind: 'not', operand: f })).toBe(true);
    expect(holds({ kind: 'not', operand: { kind: 'not', operand: t } })).toBe(true);
  });
  it('short-circuits AND and OR', () => {
    expect(holds({ kind: 'and', left: f, right: boom })).toBe(false);
    expect(holds({ kind: 'or', left: t, right: boom })).toBe(true);
  });
  it('throws an internal error on an unresolved placeholder', () => {
    expect(() => holds(boom)).toThrow(/unresolved/);
  });
});

describe('evaluateCondition: attribute_exists, attribute_not_exists, attribute_type', () => {
  it('finds top-level and nested attributes and list elements', () => {
    expect(holds(fn('attribute_exists', 'n'))).toBe(true);
    expect(holds(fn('attribute_exists', 'm.inner.deep'))).toBe(true);
    expect(holds(fn('attribute_exists', 'm.list[0]'))).toBe(true);
    expect(holds(fn('attribute_exists', 'l[2].k'))).toBe(true);
    expect(holds(fn('attribute_exists', 'm.list[1]'))).toBe(false);
    expect(holds(fn('attribute_exists', 'm.inner.nope'))).toBe(false);
    expect(holds(fn('attribute_exists', 's.x'))).toBe(false); // a step into a non-map
    expect(holds(fn('attribute_exists', 'm[0]'))).toBe(false); // an index into a map
    expect(holds(fn('attribute_exists', 'n'), undefined)).toBe(false);
  });
  it('is the negation for attribute_not_exists, including for a missing item', () => {
    expect(holds(fn('attribute_not_exists', 'nope'))).toBe(true);
    expect(holds(fn('attribute_not_exists', 'n'))).toBe(false);
    expect(holds(fn('attribute_not_exists', 'n'), undefined)).toBe(true);
  });
  it('does not mistake Object.prototype members for attributes', () => {
    expect(holds(fn('attribute_exists', 'constructor'))).toBe(false);
    expect(holds(fn('attribute_exists', 'm.toString'))).toBe(false);
    expect(holds(fn('attribute_exists', '__proto__'))).toBe(false);
  });
  it('checks each of the ten types with attribute_type', () => {
    const cases: [string, string][] = [
      ['s', 'S'], ['n', 'N'], ['b', 'B'], ['t', 'BOOL'], ['z', 'NULL'],
      ['ss', 'SS'], ['ns', 'NS'], ['bs', 'BS'], ['l', 'L'], ['m', 'M'],
    ];
    for (const [name, type] of cases) {
      expect(holds(fn('attribute_type', name, S(type)))).toBe(true);
      expect(holds(fn('attribute_type', name, S(type === 'S' ? 'N' : 'S')))).toBe(false);
    }
    expect(holds(fn('attribute_type', 'nope', S('S')))).toBe(false);
    expect(holds(fn('attribute_type', N('0'), S('N')))).toBe(true); // a value operand works too
  });
});

describe('evaluateCondition: begins_with and contains', () => {
  it('tests prefixes of strings and binaries only', () => {
    expect(holds(fn('begins_with', 's', S('hell')))).toBe(true);
    expect(holds(fn('begins_with', 's', S('')))).toBe(true);
    expect(holds(fn('begins_with', 's', S('dog')))).toBe(false);
    expect(holds(fn('begins_with', 'b', B(1, 200)))).toBe(true);
    expect(holds(fn('begins_with', 'b', B(200)))).toBe(false);
    expect(holds(fn('begins_with', 'b', S('\u0001')))).toBe(false);
    expect(holds(fn('begins_with', 'ss', S('a')))).toBe(false);
    expect(holds(fn('begins_with', 'nope', S('a')))).toBe(false);
    expect(holds(fn('begins_with', S('hellohi'), 's'))).toBe(true);
  });
  it('finds substrings of strings and runs of bytes of binaries', () => {
    expect(holds(fn('contains', 's', S('ell')))).toBe(true);
    expect(holds(fn('contains', 's', S('elo')))).toBe(false);
    expect(holds(fn('contains', 'e', S('😀')))).toBe(true);
    expect(holds(fn('contains', 'b', B(200, 3)))).toBe(true);
    expect(holds(fn('contains', 'b', B(3, 200)))).toBe(false);
    expect(holds(fn('contains', 'b', S('x')))).toBe(false);
  });
  it('finds members of sets only with an operand of the element type', () => {
    expect(holds(fn('contains', 'ss', S('a')))).toBe(true);
    expect(holds(fn('contains', 'ss', S('c')))).toBe(false);
    expect(holds(fn('contains', 'ns', N('2.5')))).toBe(true);
    expect(holds(fn('contains', 'ns', S('1')))).toBe(false);
    expect(holds(fn('contains', 'bs', B(255)))).toBe(true);
    expect(holds(fn('contains', 'bs', B(254)))).toBe(false);
    expect(holds(fn('contains', 'ss', v({ SS: ['a'] })))).toBe(false);
  });
  it('finds elements of lists of any type, compared deeply', () => {
    expect(holds(fn('contains', 'l', N('2')))).toBe(true);
    expect(holds(fn('contains', 'l', v({ M: { k: { S: 'v' } } })))).toBe(true);
    expect(holds(fn('contains', 'l', S('2')))).toBe(false);
  });
  it('is false for a missing attribute or operand, and for other types', () => {
    expect(holds(fn('contains', 'nope', S('a')))).toBe(false);
    expect(holds(fn('contains', 's', 'nope'))).toBe(false);
    expect(holds(fn('contains', 'n', N('1')))).toBe(false);
    expect(holds(fn('contains', 'm', S('inner')))).toBe(false);
  });
});

describe('evaluateCondition: size()', () => {
  it('measures strings in UTF-8 bytes, binaries in bytes, sets, lists and maps in elements', () => {
    expect(holds(cmp(size('s'), '=', N('5')))).toBe(true);
    expect(holds(cmp(size('e'), '=', N('9')))).toBe(true); // é 2 + € 3 + 😀 4
    expect(holds(cmp(size('b'), '=', N('3')))).toBe(true);
    expect(holds(cmp(size('ss'), '=', N('2')))).toBe(true);
    expect(holds(cmp(size('ns'), '=', N('2')))).toBe(true);
    expect(holds(cmp(size('bs'), '=', N('2')))).toBe(true);
    expect(holds(cmp(size('l'), '=', N('3')))).toBe(true);
    expect(holds(cmp(size('m'), '=', N('2')))).toBe(true);
    expect(holds(cmp(size('m.list'), '>', N('0')))).toBe(true);
  });
  it('has no size for numbers, booleans, nulls or missing attributes: comparisons are false', () => {
    for (const name of ['n', 't', 'z', 'nope']) {
      expect(holds(cmp(size(name), '=', N('1')))).toBe(false);
      expect(holds(cmp(size(name), '>=', N('0')))).toBe(false);
    }
  });
  it('measures a value (size(:v)) as it measures an attribute', () => {
    const sizeOf = (operand: Operand): Operand => ({ kind: 'size', operand });
    expect(holds(cmp(sizeOf(S('héllo')), '=', N('6')))).toBe(true);
    expect(holds(cmp(sizeOf(B(1, 2, 3)), '=', N('3')))).toBe(true);
    expect(holds(cmp(sizeOf(v({ SS: ['a', 'b', 'c'] })), '=', N('3')))).toBe(true);
    expect(holds(cmp(sizeOf(v({ L: [{ N: '1' }] })), '=', N('1')))).toBe(true);
    expect(holds(cmp(sizeOf(v({ M: {} })), '=', N('0')))).toBe(true);
    expect(holds(cmp(sizeOf(v({ M: {} })), '=', size('nope')))).toBe(false);
    expect(holds(cmp(sizeOf(N('12')), '>=', N('0')))).toBe(false);
    expect(holds(cmp(sizeOf(v({ BOOL: true })), '>=', N('0')))).toBe(false);
  });
  it('compares to numbers only, and to item attributes too', () => {
    expect(holds(cmp(size('s'), '=', S('5')))).toBe(false);
    const it = validateItem({ s: { S: 'hello' }, f: { N: '5' } });
    expect(holds(cmp(size('s'), '=', 'f'), it)).toBe(true);
    expect(holds(between(size('s'), N('1'), 'f'), it)).toBe(true);
  });
});
