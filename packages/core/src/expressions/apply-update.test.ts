import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageOf } from '../../test/support/expect-errors.js';
import { ValidationException } from '../errors.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { validateAttributeValue, validateItem } from '../model/validate-item.js';
import type { PathElement, PathNode, SetOperand, SetValue, UpdateAction, UpdateNode } from './ast.js';
import { applyUpdate } from './apply-update.js';

// ─── builders for resolved trees ─────────────────────────────────────────────────────────────────

function path(text: string): PathNode {
  const elements: PathElement[] = [];
  for (const part of text.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    elements.push(part.startsWith('[') ? { kind: 'index', index: Number(part.slice(1, -1)) } : { kind: 'name', name: part });
  }
  return { kind: 'path', elements };
}
const v = (value: AttributeValue) => ({ kind: 'literal', value }) as const;
const operand = (x: string | SetValue): SetValue => (typeof x === 'string' ? path(x) : x);
const SET = (target: string, value: string | SetValue): UpdateAction => ({ kind: 'set', path: path(target), value: operand(value) });
const REMOVE = (target: string): UpdateAction => ({ kind: 'remove', path: path(target) });
const ADD = (target: string, value: AttributeValue): UpdateAction => ({ kind: 'add', path: path(target), value: v(value) });
const DELETE = (target: string, value: AttributeValue): UpdateAction => ({ kind: 'delete', path: path(target), value: v(value) });
const plus = (l: string | SetOperand, r: string | SetOperand): SetValue => ({ kind: 'arithmetic', operator: '+', left: operand(l) as SetOperand, right: operand(r) as SetOperand });
const minus = (l: string | SetOperand, r: string | SetOperand): SetValue => ({ kind: 'arithmetic', operator: '-', left: operand(l) as SetOperand, right: operand(r) as SetOperand });
const listAppend = (a: string | SetOperand, b: string | SetOperand): SetOperand => ({ kind: 'listAppend', args: [operand(a) as SetOperand, operand(b) as SetOperand] });
const ifNotExists = (p: string, fallback: string | SetOperand): SetOperand => ({ kind: 'ifNotExists', args: [path(p), operand(fallback) as SetOperand] });
const update = (...actions: UpdateAction[]): UpdateNode => ({ kind: 'update', actions });
const N = (n: string) => v({ N: n });
const S = (s: string) => v({ S: s });

const MSG_PATH = 'The document path provided in the update expression is invalid for update';
const MSG_TYPE = 'An operand in the update expression has an incorrect data type';
const MSG_LEGACY_TYPE = 'Type mismatch for attribute to update';
const MSG_MISSING = 'The provided expression refers to an attribute that does not exist in the item';
const MSG_SIZE = 'Item size to update has exceeded the maximum allowed size';
const MSG_OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const MSG_NESTING = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

const key = validateItem({ id: { S: 'k' } });
const old = validateItem({
  id: { S: 'k' },
  n: { N: '1' },
  s: { S: 'str' },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2'] },
  bs: { BS: [Uint8Array.of(1), Uint8Array.of(2)] },
  l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'l3' }] },
  m: { M: { a: { N: '1' }, b: { N: '2' }, c: { N: '3' }, inner: { M: {} } } },
});

/** Applies to the item above, or to the given item (`undefined`: no item yet). */
function apply(u: UpdateNode, ...from: [] | [Item | undefined]): Item {
  return applyUpdate(u, from.length === 0 ? old : from[0], key);
}

describe('applyUpdate: SET', () => {
  it('sets top-level attributes, keeping the others and sharing their values', () => {
    const next = apply(update(SET('s', S('new')), SET('x', N('5'))));
    expect(next).toEqual({ ...old, s: { S: 'new' }, x: { N: '5' } });
    expect(next.m).toBe(old.m);
    expect(Object.isFrozen(next)).toBe(true);
  });
  it('reads every operand from the item before the update (SET a = b, b = a swaps)', () => {
    const next = apply(update(SET('n', 's'), SET('s', 'n')));
    expect(next.n).toEqual({ S: 'str' });
    expect(next.s).toEqual({ N: '1' });
  });
  it('adds and subtracts numbers exactly', () => {
    const it = validateItem({ id: { S: 'k' }, a: { N: '0.1' }, big: { N: '99999999999999999999999999999999999999' } });
    expect(apply(update(SET('a', plus('a', N('0.2')))), it).a).toEqual({ N: '0.3' });
    expect(apply(update(SET('a', minus('a', N('0.1')))), it).a).toEqual({ N: '0' });
    expect(apply(update(SET('a', minus('big', N('99999999999999999999999999999999999998')))), it).a).toEqual({ N: '1' });
    expect(apply(update(SET('x', plus(N('1'), N('10000000000000000000000'))))).x).toEqual({ N: '10000000000000000000001' });
    expect(apply(update(SET('x', minus(N('-5'), N('-7.25'))))).x).toEqual({ N: '2.25' });
  });
  it('reports a sum beyond 38 digits or the range with DynamoDB\'s overflow message', () => {
    expect(messageOf(() => apply(update(SET('x', plus(N('1' + '0'.repeat(50)), N('1'))))))).toBe(MSG_OVERFLOW);
    expect(messageOf(() => apply(update(SET('x', plus(N('9' + '0'.repeat(125)), N('9' + '0'.repeat(125)))))))).toBe(MSG_OVERFLOW);
    expect(apply(update(SET('x', plus(N('9' + '0'.repeat(125)), N('9' + '0'.repeat(124)))))).x).toEqual({ N: '99' + '0'.repeat(124) });
  });
  it('rejects arithmetic on non-numbers', () => {
    expect(messageOf(() => apply(update(SET('x', plus('s', N('1'))))))).toBe(MSG_TYPE);
    expect(messageOf(() => apply(update(SET('x', minus(N('1'), 'ns')))))).toBe(MSG_TYPE);
  });
  it('appends lists with list_append, and rejects other types', () => {
    expect(apply(update(SET('l', listAppend('l', v({ L: [{ N: '9' }] }))))).l).toEqual({
      L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }, { S: 'l3' }, { N: '9' }],
    });
    expect(apply(update(SET('x', listAppend(v({ L: [{ N: '0' }] }), 'l')))).x).toMatchObject({ L: { length: 5 } });
    expect(messageOf(() => apply(update(SET('x', listAppend('ns', v({ L: [] }))))))).toBe(MSG_TYPE);
  });
  it('refuses function nodes resolution would have rejected', () => {
    const bad: SetOperand[] = [
      { kind: 'ifNotExists', args: [path('n')] },
      { kind: 'ifNotExists', args: [N('1'), N('2')] },
      { kind: 'listAppend', args: [path('l'), path('l'), path('l')] },
    ];
    for (const operand of bad) expect(() => apply(update(SET('x', operand)))).toThrow(/resolution checks them/);
  });
  it('uses if_not_exists fallback only when the path is missing', () => {
    expect(apply(update(SET('x', ifNotExists('n', N('7'))))).x).toEqual({ N: '1' });
    expect(apply(update(SET('x', ifNotExists('nope', N('7'))))).x).toEqual({ N: '7' });
    expect(apply(update(SET('n', plus(ifNotExists('n', N('0')), N('1'))))).n).toEqual({ N: '2' });
  });
  it('reads operands from the key when the item does not exist yet', () => {
    expect(apply(update(SET('b', ifNotExists('b', 'id'))), undefined)).toEqual({ id: { S: 'k' }, b: { S: 'k' } });
  });
  it('rejects a path operand missing from the item', () => {
    expect(messageOf(() => apply(update(SET('x', 'nope'))))).toBe(MSG_MISSING);
    expect(messageOf(() => apply(update(SET('x', listAppend('l', 'nope')))))).toBe(MSG_MISSING);
    expect(messageOf(() => apply(update(SET('x', 'm.nope'))))).toBe(MSG_MISSING);
  });
  it('sets nested map members and list elements, copying only the changed path', () => {
    const next = apply(update(SET('m.a', N('10')), SET('m.new', N('4')), SET('l[1]', S('L1'))));
    expect(next.m).toEqual({ M: { a: { N: '10' }, b: { N: '2' }, c: { N: '3' }, inner: { M: {} }, new: { N: '4' } } });
    expect(next.l).toEqual({ L: [{ S: 'l0' }, { S: 'L1' }, { S: 'l2' }, { S: 'l3' }] });
    expect((next.m as { M: Item }).M.inner).toBe((old.m as { M: Item }).M.inner);
    expect(Object.isFrozen((next.m as { M: Item }).M)).toBe(true);
    expect(Object.isFrozen((next.l as { L: AttributeValue[] }).L)).toBe(true);
  });
  it('appends when setting list indexes beyond the end, in index order', () => {
    // As DynamoDB answers `set c[1] = a, c[4] = …, c[2] = … add c[8] :s, c[6] :n` (dynalite's updateItem test).
    const it = validateItem({ id: { S: 'k' }, c: { L: [{ N: '1' }, { N: '3' }] } });
    const next = apply(update(SET('c[1]', 'id'), SET('c[4]', N('-1')), SET('c[2]', N('3')), ADD('c[8]', { SS: ['a'] }), ADD('c[6]', { N: '2' })), it);
    expect(next.c).toEqual({ L: [{ N: '1' }, { S: 'k' }, { N: '3' }, { N: '-1' }, { N: '2' }, { SS: ['a'] }] });
  });
  it('rejects a nested target whose parent is missing or of the wrong type', () => {
    expect(messageOf(() => apply(update(SET('nope.a', N('1')))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(SET('nope[0]', N('1')))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(SET('s.a', N('1')))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(SET('m[0]', N('1')))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(SET('l.a', N('1')))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(SET('m.nope.x', N('1')))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(SET('l[9].x', N('1')))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(SET('b.a', 'id')), undefined))).toBe(MSG_PATH);
  });
});

describe('applyUpdate: REMOVE', () => {
  it('removes top-level attributes and map members; a missing one is a no-op', () => {
    const next = apply(update(REMOVE('s'), REMOVE('nope'), REMOVE('m.b'), REMOVE('m.nope')));
    expect('s' in next).toBe(false);
    expect(next.m).toEqual({ M: { a: { N: '1' }, c: { N: '3' }, inner: { M: {} } } });
  });
  it('removes several list elements by their original indexes, shifting the rest', () => {
    expect(apply(update(REMOVE('l[1]'), REMOVE('l[2]'))).l).toEqual({ L: [{ S: 'l0' }, { S: 'l3' }] });
    expect(apply(update(REMOVE('l[3]'), REMOVE('l[0]'))).l).toEqual({ L: [{ S: 'l1' }, { S: 'l2' }] });
    expect(apply(update(REMOVE('l[1]'), SET('l[2]', S('two')))).l).toEqual({ L: [{ S: 'l0' }, { S: 'two' }, { S: 'l3' }] });
  });
  it('ignores list indexes beyond the end', () => {
    expect(apply(update(REMOVE('l[10]'))).l).toEqual(old.l);
  });
  it('rejects a nested target whose parent is missing or of the wrong type', () => {
    expect(messageOf(() => apply(update(REMOVE('nope.a'))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(REMOVE('s.a'))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(REMOVE('m[1]'))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(REMOVE('l.x'))))).toBe(MSG_PATH);
  });
});

describe('applyUpdate: ADD', () => {
  it('adds to numbers, treating a missing attribute as 0', () => {
    expect(apply(update(ADD('n', { N: '2.5' }))).n).toEqual({ N: '3.5' });
    expect(apply(update(ADD('x', { N: '-3' }))).x).toEqual({ N: '-3' });
    expect(apply(update(ADD('m.a', { N: '1' }))).m).toEqual({ M: { a: { N: '2' }, b: { N: '2' }, c: { N: '3' }, inner: { M: {} } } });
  });
  it('unites sets, keeping existing members first and dropping duplicates; a missing set is created', () => {
    expect(apply(update(ADD('ss', { SS: ['b', 'c'] }))).ss).toEqual({ SS: ['a', 'b', 'c'] });
    expect(apply(update(ADD('ns', { NS: ['2', '3'] }))).ns).toEqual({ NS: ['1', '2', '3'] });
    expect(apply(update(ADD('bs', { BS: [Uint8Array.of(2), Uint8Array.of(3)] }))).bs).toEqual({
      BS: [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)],
    });
    expect(apply(update(ADD('x', { SS: ['z'] }))).x).toEqual({ SS: ['z'] });
  });
  it('appends lists (the legacy AttributeUpdates ADD)', () => {
    expect(apply(update(ADD('l', { L: [{ N: '9' }] }))).l).toMatchObject({ L: { length: 5 } });
  });
  it('rejects a type mismatch with the operand', () => {
    expect(messageOf(() => apply(update(ADD('ns', { N: '1' }))))).toBe(MSG_TYPE);
    expect(messageOf(() => apply(update(ADD('n', { NS: ['1'] }))))).toBe(MSG_TYPE);
    expect(messageOf(() => apply(update(ADD('ss', { NS: ['1'] }))))).toBe(MSG_TYPE);
    expect(messageOf(() => apply(update(ADD('m', { SS: ['1'] }))))).toBe(MSG_TYPE);
    expect(messageOf(() => apply(update(ADD('x', { S: '1' }))))).toBe(MSG_TYPE);
  });
  it('rejects a nested target whose parent is missing or of the wrong type', () => {
    expect(messageOf(() => apply(update(ADD('nope.a', { N: '1' }))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(ADD('s[1]', { N: '1' }))))).toBe(MSG_PATH);
  });
});

describe('applyUpdate: the legacy AttributeUpdates', () => {
  const legacy = (...actions: UpdateAction[]): UpdateNode => ({ kind: 'update', actions, legacy: true });
  it("reports a type mismatch with DynamoDB's legacy message (dynalite test/updateItem.js, verified against DynamoDB)", () => {
    // dynalite's cases: DELETE NS or BS from a SS, DELETE NS from a N, ADD NS to a SS, ADD N to a NS.
    expect(messageOf(() => apply(legacy(DELETE('ss', { NS: ['1'] }))))).toBe(MSG_LEGACY_TYPE);
    expect(messageOf(() => apply(legacy(DELETE('ss', { BS: [Uint8Array.of(1)] }))))).toBe(MSG_LEGACY_TYPE);
    expect(messageOf(() => apply(legacy(DELETE('n', { NS: ['1'] }))))).toBe(MSG_LEGACY_TYPE);
    expect(messageOf(() => apply(legacy(ADD('ss', { NS: ['1'] }))))).toBe(MSG_LEGACY_TYPE);
    expect(messageOf(() => apply(legacy(ADD('ns', { N: '1' }))))).toBe(MSG_LEGACY_TYPE);
    // ADD of a list to a non-list (translated to list_append(if_not_exists(…), …)).
    expect(messageOf(() => apply(legacy(SET('n', listAppend(ifNotExists('n', v({ L: [] })), v({ L: [{ N: '1' }] }))))))).toBe(MSG_LEGACY_TYPE);
    // The expression message for the same trees without the mark.
    expect(messageOf(() => apply(update(DELETE('ss', { NS: ['1'] }))))).toBe(MSG_TYPE);
  });
  it('keeps its other messages, and applies as an expression would', () => {
    expect(messageOf(() => apply(legacy(SET('x', { kind: 'literal', value: { S: 'x'.repeat(400 * 1024) } }))))).toBe(MSG_SIZE);
    expect(apply(legacy(ADD('ns', { NS: ['3'] }), REMOVE('s'))).ns).toEqual({ NS: ['1', '2', '3'] });
  });
});

describe('applyUpdate: DELETE', () => {
  it('removes members from a set', () => {
    expect(apply(update(DELETE('ss', { SS: ['a', 'zz'] }))).ss).toEqual({ SS: ['b'] });
    expect(apply(update(DELETE('ns', { NS: ['2'] }))).ns).toEqual({ NS: ['1'] });
    expect(apply(update(DELETE('bs', { BS: [Uint8Array.of(1)] }))).bs).toEqual({ BS: [Uint8Array.of(2)] });
  });
  it('removes a set it empties, and ignores a missing set', () => {
    const next = apply(update(DELETE('ss', { SS: ['a', 'b'] }), DELETE('nope', { SS: ['a'] })));
    expect('ss' in next).toBe(false);
    expect('nope' in next).toBe(false);
  });
  it('rejects a type mismatch with the operand', () => {
    expect(messageOf(() => apply(update(DELETE('ns', { SS: ['1'] }))))).toBe(MSG_TYPE);
    expect(messageOf(() => apply(update(DELETE('n', { NS: ['1'] }))))).toBe(MSG_TYPE);
    expect(messageOf(() => apply(update(DELETE('m', { NS: ['1'] }))))).toBe(MSG_TYPE);
  });
  it('rejects a nested target whose parent is missing, even when the set is missing too', () => {
    expect(messageOf(() => apply(update(DELETE('nope.a', { SS: ['a'] }))))).toBe(MSG_PATH);
    expect(messageOf(() => apply(update(DELETE('l.x', { SS: ['a'] }))))).toBe(MSG_PATH);
  });
});

describe('applyUpdate: the new item', () => {
  it('starts from the key when the item does not exist', () => {
    expect(apply(update(SET('a', N('1')), ADD('c', { N: '5' }), REMOVE('b'), DELETE('d', { SS: ['x'] })), undefined)).toEqual({
      id: { S: 'k' },
      a: { N: '1' },
      c: { N: '5' },
    });
  });
  it('is limited to 400 KB', () => {
    const big = 'x'.repeat(409600 - 'id'.length - 1 - 'a'.length);
    expect(apply(update(SET('a', S(big))), undefined).a).toEqual({ S: big });
    expect(messageOf(() => apply(update(SET('a', S(big + 'x'))), undefined))).toBe(MSG_SIZE);
  });
  it('is limited to 31 levels of nesting', () => {
    let deep: AttributeValue = { N: '1' };
    for (let i = 0; i < 31; i++) deep = { L: [deep] }; // containers at depths 0–30: the most an attribute may nest
    const it = validateItem({ id: { S: 'k' }, a: { M: {} } });
    expect(() => validateItem({ x: deep })).not.toThrow();
    expect(messageOf(() => apply(update(SET('a.b', v(validateItem({ x: deep }).x!))), it))).toBe(MSG_NESTING);
    expect(() => apply(update(SET('a.b', v(validateItem({ x: (deep as { L: AttributeValue[] }).L[0]! }).x!))), it)).not.toThrow();
  });
});

// ─── properties ──────────────────────────────────────────────────────────────────────────────────

const names = fc.constantFrom('a', 'b', 'c', 'd');
const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map((n) => ({ N: String(n) })),
  fc.constantFrom('0.5', '-2.25', '1e20', '99999999999999999999999999999999999999').map((n) => ({ N: n })),
  fc.string({ maxLength: 4 }).map((s) => ({ S: s })),
  fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { minLength: 1 }).map((ss) => ({ SS: ss })),
  fc.uniqueArray(fc.constantFrom('1', '2', '3'), { minLength: 1 }).map((ns) => ({ NS: ns })),
  fc.boolean().map((b) => ({ BOOL: b })),
);
const value: fc.Arbitrary<AttributeValue> = fc
  .letrec<{ v: AttributeValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('v'), { maxLength: 3 }).map((l) => ({ L: l })),
      fc.dictionary(names, tie('v'), { maxKeys: 3 }).map((m) => ({ M: m })),
    ),
  }))
  .v.map(validateAttributeValue); // resolved literals are validated (normalized, frozen)
const pathText = fc
  .tuple(names, fc.array(fc.oneof(names.map((n) => '.' + n), fc.nat({ max: 3 }).map((i) => `[${i}]`)), { maxLength: 2, depthIdentifier: 'path' }))
  .map(([first, rest]) => first + rest.join(''));
const literal = value.map(v);
const number = fc.integer({ min: -99, max: 99 }).map((n) => v({ N: String(n) }));
const list = fc.array(value, { maxLength: 2 }).map((l) => v(validateAttributeValue({ L: l })));
const setOperand: fc.Arbitrary<string | SetOperand> = fc.oneof(
  { arbitrary: literal, weight: 3 },
  pathText,
  fc.tuple(pathText, value).map(([p, x]) => ifNotExists(p, v(x))),
);
const numeric = fc.oneof({ arbitrary: number, weight: 2 }, pathText, fc.tuple(pathText, number).map(([p, x]) => ifNotExists(p, x)));
const listy = fc.oneof({ arbitrary: list, weight: 2 }, pathText);
const set = fc.oneof(
  fc.uniqueArray(fc.constantFrom('x', 'y', 'z'), { minLength: 1 }).map((ss): AttributeValue => ({ SS: ss })),
  fc.uniqueArray(fc.constantFrom('1', '2', '3'), { minLength: 1 }).map((ns): AttributeValue => ({ NS: ns })),
);
const action: fc.Arbitrary<UpdateAction> = fc.oneof(
  { arbitrary: fc.tuple(pathText, setOperand).map(([p, o]) => SET(p, o)), weight: 4 },
  fc.tuple(pathText, numeric, numeric).map(([p, l, r]) => SET(p, plus(l, r))),
  fc.tuple(pathText, listy, listy).map(([p, l, r]) => SET(p, listAppend(l, r))),
  { arbitrary: pathText.map(REMOVE), weight: 3 },
  fc.tuple(pathText, fc.oneof(set, fc.integer().map((n): AttributeValue => ({ N: String(n) })))).map(([p, x]) => ADD(p, x)),
  fc.tuple(pathText, set).map(([p, x]) => DELETE(p, x)),
);
/** Items where most paths lead somewhere: b a map, c a list. */
const item = fc.record(
  {
    a: value,
    b: fc.record({ a: value, b: value, c: value, d: value }, { requiredKeys: ['a', 'b'] }).map((m) => ({ M: m })),
    c: fc.array(value, { minLength: 2, maxLength: 4 }).map((l) => ({ L: l })),
    d: value,
  },
  { requiredKeys: ['a', 'b', 'c'] },
);
/** Actions with non-overlapping targets, as the expression validation guarantees. */
const actions = fc.array(action, { maxLength: 4 }).map((list) => {
  const kept: UpdateAction[] = [];
  const text = (a: UpdateAction) => a.path.elements.map((e) => (e.kind === 'index' ? `[${e.index}]` : `.${(e as { name: string }).name}`)).join('');
  for (const a of list) {
    const t = text(a);
    if (kept.every((k) => !t.startsWith(text(k)) && !text(k).startsWith(t))) kept.push(a);
  }
  return kept;
});

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !ArrayBuffer.isView(x)) {
    for (const k of Object.keys(x)) deepFreeze((x as Record<string, unknown>)[k]);
    Object.freeze(x);
  }
  return x;
}

describe('applyUpdate: properties', () => {
  it('never mutates its input and always returns a valid item (validateItem round-trips it)', () => {
    let failures = 0;
    fc.assert(
      fc.property(item, actions, fc.integer({ min: 0, max: 4 }), (raw, acts, absent) => {
        const exists = absent !== 0;
        const before = validateItem({ ...raw, id: { S: 'k' } });
        const snapshot = structuredClone(before);
        deepFreeze(before);
        let result: Item;
        try {
          result = applyUpdate(update(...acts), exists ? before : undefined, key);
        } catch (e) {
          if (e instanceof ValidationException) return void failures++;
          throw e;
        }
        expect(before).toEqual(snapshot);
        expect(validateItem(result)).toEqual(result);
        expect(Object.isFrozen(result)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(failures).toBeLessThan(1800); // a good share (about a third) of runs gets through to a new item
  });
});
