import { describe, expect, it } from 'vitest';
import { expectValidation } from '../../test/support/expect-errors.js';
import type { AttributeValue } from '../model/attribute-value.js';
import type { ConditionNode, FunctionNode, Operand, PathNode, SetOperand, SetValue, UpdateAction, UpdateNode } from './ast.js';
import { Resolver } from './resolve-expressions.js';
import { renderPath } from './resolve-paths.js';

// Hand-built unresolved trees: `p('a', 1, '#b')` is a.b[1].#b's shape (strings starting with # are placeholders).
function p(...elements: (string | number)[]): PathNode {
  return {
    kind: 'path',
    elements: elements.map((e) =>
      typeof e === 'number' ? { kind: 'index', index: e } : e.startsWith('#') ? { kind: 'namePlaceholder', token: e } : { kind: 'name', name: e },
    ),
  };
}
const v = (token: string) => ({ kind: 'valuePlaceholder', token }) as const;
const cmp = (operator: '=' | '<>' | '<' | '<=' | '>' | '>=', left: Operand, right: Operand): ConditionNode => ({ kind: 'comparison', operator, left, right });
const fn = (name: FunctionNode['name'], ...args: Operand[]): ConditionNode => ({ kind: 'function', name, args });
const and = (left: ConditionNode, right: ConditionNode): ConditionNode => ({ kind: 'and', left, right });
const set = (path: PathNode, value: SetValue): UpdateAction => ({ kind: 'set', path, value });
const remove = (path: PathNode): UpdateAction => ({ kind: 'remove', path });
const add = (path: PathNode, token: string): UpdateAction => ({ kind: 'add', path, value: v(token) });
const del = (path: PathNode, token: string): UpdateAction => ({ kind: 'delete', path, value: v(token) });
const upd = (...actions: UpdateAction[]): UpdateNode => ({ kind: 'update', actions });
const plus = (left: SetOperand, right: SetOperand): SetValue => ({ kind: 'arithmetic', operator: '+', left, right });
const append = (...args: SetOperand[]): SetOperand => ({ kind: 'listAppend', args });
const ine = (...args: SetOperand[]): SetOperand => ({ kind: 'ifNotExists', args });
const size = (operand: Operand): Operand => ({ kind: 'size', operand });

function resolver(names?: Record<string, string>, values?: Record<string, AttributeValue>): Resolver {
  return new Resolver({ names, values: values === undefined ? undefined : new Map(Object.entries(values)) });
}
const VALUES: Record<string, AttributeValue> = {
  ':s': { S: 'a' },
  ':n': { N: '1' },
  ':n5': { N: '5' },
  ':b': { B: new Uint8Array([97]) },
  ':bool': { BOOL: true },
  ':null': { NULL: true },
  ':ss': { SS: ['a'] },
  ':ns': { NS: ['1'] },
  ':bs': { BS: [new Uint8Array([97])] },
  ':m': { M: {} },
  ':l': { L: [] },
};
const C = 'Invalid ConditionExpression: ';
const U = 'Invalid UpdateExpression: ';
const P = 'Invalid ProjectionExpression: ';

describe('Resolver: conditions', () => {
  it('swaps names and values for what the request gives', () => {
    const r = resolver({ '#a': 'x.y' }, { ':v': { S: 'q' } });
    expect(r.condition(cmp('=', p('#a', 2, 'b'), v(':v')), 'ConditionExpression')).toEqual({
      kind: 'comparison',
      operator: '=',
      left: { kind: 'path', elements: [{ kind: 'name', name: 'x.y' }, { kind: 'index', index: 2 }, { kind: 'name', name: 'b' }] },
      right: { kind: 'literal', value: { S: 'q' } },
    });
    expect(() => r.checkUnused()).not.toThrow();
  });

  it('reports the first undefined name or value in post-order, left to right', () => {
    expectValidation(
      () => resolver({}, {}).condition(and(cmp('=', p('#a'), v(':x')), cmp('=', p('b'), v(':y'))), 'ConditionExpression'),
      `${C}An expression attribute name used in the document path is not defined; attribute name: #a`,
    );
    expectValidation(
      () => resolver({ '#a': 'a' }, {}).condition(and(cmp('=', p('#a'), v(':x')), cmp('=', p('#b'), v(':y'))), 'FilterExpression'),
      'Invalid FilterExpression: An expression attribute value used in expression is not defined; attribute value: :x',
    );
  });

  it("checks an operator's operands before the operator itself: an undefined value on the right beats the left's type", () => {
    // begins_with(a, :n) AND #x = :s — the begins_with fails first: its subtree is complete before #x is met.
    expectValidation(
      () => resolver({}, VALUES).condition(and(fn('begins_with', p('a'), v(':n')), cmp('=', p('#x'), v(':s'))), 'ConditionExpression'),
      `${C}Incorrect operand type for operator or function; operator or function: begins_with, operand type: N`,
    );
    // … but an undefined value inside the same call is met before its operator is checked.
    expectValidation(
      () => resolver({}, VALUES).condition(fn('begins_with', v(':n'), v(':zz')), 'ConditionExpression'),
      `${C}An expression attribute value used in expression is not defined; attribute value: :zz`,
    );
  });

  it('rejects values of unordered types in <, <=, >, >= and BETWEEN, not in = and <>', () => {
    for (const [token, type] of [[':bool', 'BOOL'], [':ss', 'SS'], [':m', 'M'], [':l', 'L'], [':null', 'NULL']] as const) {
      expectValidation(
        () => resolver({}, VALUES).condition(cmp('<', p('a'), v(token)), 'ConditionExpression'),
        `${C}Incorrect operand type for operator or function; operator or function: <, operand type: ${type}`,
      );
      expectValidation(
        () => resolver({}, VALUES).condition({ kind: 'between', operand: p('a'), low: v(token), high: v(token) }, 'ConditionExpression'),
        `${C}Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: ${type}`,
      );
      expect(() => resolver({}, VALUES).condition(cmp('=', p('a'), v(token)), 'ConditionExpression')).not.toThrow();
    }
    expect(() => resolver({}, VALUES).condition(cmp('>=', size(p('a')), v(':n')), 'ConditionExpression')).not.toThrow();
  });

  it('accepts comparing two values (:a = :b)', () => {
    expect(() => resolver({}, VALUES).condition(cmp('=', v(':s'), v(':n')), 'ConditionExpression')).not.toThrow();
    expect(() => resolver({}, VALUES).condition(cmp('>', v(':n'), v(':n')), 'ConditionExpression')).not.toThrow();
  });

  it('rejects a path compared with itself, after resolution (dynalite test/scan.js "non-distinct expressions")', () => {
    const msg = (op: string, path: string) =>
      `${C}The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${path}`;
    const names = { '#a': 'a' };
    expectValidation(() => resolver(names).condition(cmp('=', p('a'), p('#a')), 'ConditionExpression'), msg('=', '[a]'));
    expectValidation(() => resolver(names).condition(cmp('<>', p('#a'), p('a')), 'ConditionExpression'), msg('<>', '[a]'));
    expectValidation(() => resolver(names).condition(fn('contains', p('ab', 'bc', 1, 'a'), p('ab', 'bc', 1, '#a')), 'ConditionExpression'), msg('contains', '[ab, bc, [1], a]'));
    expectValidation(() => resolver(names).condition(fn('begins_with', p('a'), p('#a')), 'ConditionExpression'), msg('begins_with', '[a]'));
    expectValidation(
      () => resolver(names).condition({ kind: 'between', operand: p('a'), low: p('b'), high: p('#a') }, 'ConditionExpression'),
      msg('BETWEEN', '[a]'),
    );
    expectValidation(() => resolver(names).condition({ kind: 'in', operand: p('a'), candidates: [p('b'), p('#a')] }, 'ConditionExpression'), msg('IN', '[a]'));
  });

  it('checks begins_with operand types: S and B only', () => {
    expectValidation(
      () => resolver({}, VALUES).condition(fn('begins_with', p('a'), v(':ss')), 'ConditionExpression'),
      `${C}Incorrect operand type for operator or function; operator or function: begins_with, operand type: SS`,
    );
    expectValidation(
      () => resolver({}, VALUES).condition(fn('begins_with', size(p('a')), v(':s')), 'ConditionExpression'),
      `${C}Incorrect operand type for operator or function; operator or function: begins_with, operand type: N`,
    );
    expect(() => resolver({}, VALUES).condition(fn('begins_with', p('a'), v(':b')), 'ConditionExpression')).not.toThrow();
  });

  it("checks attribute_type's second operand and its type name", () => {
    expectValidation(
      () => resolver({}, VALUES).condition(fn('attribute_type', p('a'), v(':n')), 'ConditionExpression'),
      `${C}Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N`,
    );
    expectValidation(
      () => resolver({}, VALUES).condition(fn('attribute_type', p('a'), p('b')), 'ConditionExpression'),
      `${C}Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}`,
    );
    expectValidation(
      () => resolver({}, { ':t': { S: 'X' } }).condition(fn('attribute_type', p('a'), v(':t')), 'ConditionExpression'),
      `${C}Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
    );
    expect(() => resolver({}, { ':t': { S: 'NULL' } }).condition(fn('attribute_type', p('a'), v(':t')), 'ConditionExpression')).not.toThrow();
  });

  it('requires a document path in attribute_exists and attribute_not_exists, and the right number of operands', () => {
    expectValidation(
      () => resolver({}, VALUES).condition(fn('attribute_exists', v(':s')), 'ConditionExpression'),
      `${C}Operator or function requires a document path; operator or function: attribute_exists`,
    );
    expectValidation(
      () => resolver({}, VALUES).condition(fn('contains', p('a')), 'ConditionExpression'),
      `${C}Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1`,
    );
  });

  it('takes size() of a path or of a value with a size; rejects a Number (size(size(a))), BOOL or NULL operand', () => {
    const r = resolver({ '#a': 'a' }, VALUES);
    expect(r.condition(cmp('>', size(v(':s')), size(p('#a'))), 'ConditionExpression')).toEqual({
      kind: 'comparison',
      operator: '>',
      left: { kind: 'size', operand: { kind: 'literal', value: { S: 'a' } } },
      right: { kind: 'size', operand: { kind: 'path', elements: [{ kind: 'name', name: 'a' }] } },
    });
    for (const token of [':s', ':b', ':ss', ':ns', ':bs', ':l', ':m']) {
      expect(() => resolver({}, VALUES).condition(cmp('=', size(v(token)), v(':n')), 'ConditionExpression')).not.toThrow();
    }
    for (const [operand, type] of [[size(p('a')), 'N'], [v(':n'), 'N'], [v(':bool'), 'BOOL'], [v(':null'), 'NULL']] as const) {
      expectValidation(
        () => resolver({}, VALUES).condition(cmp('=', size(operand), v(':n')), 'ConditionExpression'),
        `${C}Incorrect operand type for operator or function; operator or function: size, operand type: ${type}`,
      );
    }
    // Its operand is resolved first: an undefined name or value inside wins.
    expectValidation(
      () => resolver({}, VALUES).condition(cmp('=', size(size(p('#zz'))), v(':n')), 'ConditionExpression'),
      `${C}An expression attribute name used in the document path is not defined; attribute name: #zz`,
    );
    expectValidation(
      () => resolver({}, VALUES).condition(fn('contains', p('a'), size(v(':zz'))), 'ConditionExpression'),
      `${C}An expression attribute value used in expression is not defined; attribute value: :zz`,
    );
  });

  it("checks BETWEEN's literal bounds: same type, then low ≤ high", () => {
    expectValidation(
      () => resolver({}, VALUES).condition({ kind: 'between', operand: p('a'), low: v(':n5'), high: v(':n') }, 'ConditionExpression'),
      `${C}The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}`,
    );
    expectValidation(
      () => resolver({}, VALUES).condition({ kind: 'between', operand: p('a'), low: v(':n'), high: v(':s') }, 'ConditionExpression'),
      `${C}The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}`,
    );
    expect(() => resolver({}, { ':a': { N: '1' }, ':b': { N: '1' } }).condition({ kind: 'between', operand: p('a'), low: v(':a'), high: v(':b') }, 'ConditionExpression')).not.toThrow();
  });

  it('limits IN to 100 candidates and an expression to 300 operators', () => {
    const candidates = Array.from({ length: 101 }, () => v(':n'));
    expectValidation(
      () => resolver({}, VALUES).condition({ kind: 'in', operand: p('a'), candidates }, 'ConditionExpression'),
      `${C}The IN operator is provided with too many operands; number of operands: 101`,
    );
    let tree: ConditionNode = cmp('=', p('a'), v(':n'));
    for (let i = 0; i < 150; i++) tree = and(tree, cmp('=', p('a'), v(':n')));
    // 151 comparisons + 150 ANDs = 301 operators
    expectValidation(() => resolver({}, VALUES).condition(tree, 'ConditionExpression'), `${C}The expression contains too many operators; operator count: 301`);
  });
});

describe('Resolver: update expressions', () => {
  it('resolves every action, keeping their order', () => {
    const r = resolver({ '#a': 'a' }, VALUES);
    const out = r.update(upd(set(p('#a'), plus(p('a'), v(':n'))), remove(p('b')), add(p('c'), ':ns'), del(p('d'), ':ss')));
    expect(out.actions.map((a) => a.kind)).toEqual(['set', 'remove', 'add', 'delete']);
    expect(out.actions[0]).toEqual({
      kind: 'set',
      path: { kind: 'path', elements: [{ kind: 'name', name: 'a' }] },
      value: { kind: 'arithmetic', operator: '+', left: { kind: 'path', elements: [{ kind: 'name', name: 'a' }] }, right: { kind: 'literal', value: { N: '1' } } },
    });
  });

  it("reports overlapping paths as dynalite's verified cases do (paths added in reverse order)", () => {
    const names = { '#c': 'c', '#d': '[3]' };
    const overlap = (one: string, two: string) =>
      `${U}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;
    // set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a, a2): the overlap wins over the earlier conflict
    expectValidation(
      () => resolver(names).update(upd(set(p('d', 1), p('a')), set(p('d', 'b'), p('a')), set(p('c', 1, 'a'), p('a')), set(p('#c'), ine(p('a'), p('a2'))))),
      overlap('[c, [1], a]', '[c]'),
    );
    // set #c[3].#d = a, #c[3] = a
    expectValidation(() => resolver(names).update(upd(set(p('#c', 3, '#d'), p('a')), set(p('#c', 3), p('a')))), overlap('[c, [3], [3]]', '[c, [3]]'));
    // remove a, #c, a, #d — path two walks the tree's first branch ("[[3]]", as DynamoDB answers today)
    expectValidation(() => resolver(names).update(upd(remove(p('a')), remove(p('#c')), remove(p('a')), remove(p('#d')))), overlap('[a]', '[[3]]'));
    // set a = :x, a = :y
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), v(':s')), set(p('a'), v(':n')))), overlap('[a]', '[a]'));
    // remove c, #c.a
    expectValidation(() => resolver(names).update(upd(remove(p('c')), remove(p('#c', 'a')))), overlap('[c]', '[c, a]'));
  });

  it('reports conflicting paths', () => {
    const names = { '#b': 'b', '#c': 'c', '#d': '[3]' };
    const conflict = (one: string, two: string) =>
      `${U}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`;
    expectValidation(() => resolver(names).update(upd(remove(p('a', '#c')), set(p('a', 1), p('#b')))), conflict('[a, c]', '[a, [1]]'));
    expectValidation(
      () => resolver(names).update(upd(set(p('#c', 3, '#d'), p('a')), set(p('#c', '#d', 3), ine(p('a'), p('#b'))))),
      conflict('[c, [3], [3]]', '[c, [3], [3]]'),
    );
  });

  it('checks target paths (names, overlaps) before any value: an overlap beats an undefined value', () => {
    expectValidation(
      () => resolver({}, {}).update(upd(set(p('a'), v(':x')), remove(p('a')))),
      `${U}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]`,
    );
    expectValidation(
      () => resolver({}, {}).update(upd(set(p('#a'), v(':x')))),
      `${U}An expression attribute name used in the document path is not defined; attribute name: #a`,
    );
  });

  it('walks the actions in reverse order: the last action fails first (dynalite: ADD beats an earlier list_append)', () => {
    // set b = list_append(:a, a) add a.b :a, with :a a string
    expectValidation(
      () => resolver({}, { ':a': { S: 'a' } }).update(upd(set(p('b'), append(v(':a'), p('a'))), add(p('a', 'b'), ':a'))),
      `${U}Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND`,
    );
    expectValidation(
      () => resolver({}, {}).update(upd(set(p('a'), v(':x')), set(p('b'), v(':y')))),
      `${U}An expression attribute value used in expression is not defined; attribute value: :y`,
    );
  });

  it('checks ADD and DELETE operand types', () => {
    const cases: [string, 'add' | 'delete', string][] = [
      [':s', 'delete', 'STRING'],
      [':null', 'add', 'NULL'],
      [':bool', 'delete', 'BOOLEAN'],
      [':b', 'add', 'BINARY'],
      [':m', 'delete', 'MAP'],
      [':l', 'add', 'LIST'],
      [':n', 'delete', 'NUMBER'],
    ];
    for (const [token, kind, type] of cases) {
      const op = kind === 'add' ? 'ADD' : 'DELETE';
      expectValidation(
        () => resolver({}, VALUES).update(upd(kind === 'add' ? add(p('a', 'b'), token) : del(p('a', 'b'), token))),
        `${U}Incorrect operand type for operator or function; operator: ${op}, operand type: ${type}, typeSet: ALLOWED_FOR_${op}_OPERAND`,
      );
    }
    for (const token of [':n', ':ss', ':ns', ':bs']) expect(() => resolver({}, VALUES).update(upd(add(p('a'), token)))).not.toThrow();
    for (const token of [':ss', ':ns', ':bs']) expect(() => resolver({}, VALUES).update(upd(del(p('a'), token)))).not.toThrow();
  });

  it('checks + and - operands are numbers and list_append operands lists (dynalite "incorrect types to functions")', () => {
    const cases: [SetValue, string, string][] = [
      [plus(p('a'), v(':s')), '+', 'S'],
      [plus(v(':s'), v(':b')), '+', 'S'],
      [plus(v(':b'), p('a')), '+', 'B'],
      [plus(p('a'), v(':ns')), '+', 'NS'],
      [plus(p('a'), v(':l')), '+', 'L'],
      [plus(append(p('a'), p('b')), v(':n')), '+', 'L'],
      [append(v(':s'), p('a')), 'list_append', 'S'],
      [append(p('a'), v(':n')), 'list_append', 'N'],
      [append(v(':m'), p('a')), 'list_append', 'M'],
    ];
    for (const [value, op, type] of cases) {
      expectValidation(
        () => resolver({}, VALUES).update(upd(set(p('x'), value))),
        `${U}Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`,
      );
    }
    expect(() => resolver({}, VALUES).update(upd(set(p('x'), append(ine(p('x'), v(':l')), v(':l')))))).not.toThrow();
    expect(() => resolver({}, VALUES).update(upd(set(p('x'), plus(ine(p('x'), v(':n')), v(':n')))))).not.toThrow();
  });

  it('checks the operand counts of if_not_exists and list_append after their operands, before their types', () => {
    const count = (name: string, n: number) => `${U}Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${n}`;
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), ine(p('c'))))), count('if_not_exists', 1));
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), ine(p('c'), v(':n'), v(':s'))))), count('if_not_exists', 3));
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), append(p('c'))))), count('list_append', 1));
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), append(v(':s'))))), count('list_append', 1));
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), append(v(':l'), v(':l'), v(':s'))))), count('list_append', 3));
    // dynalite: 'SET #a = if_not_exists(:c)' answers the undefined :c
    expectValidation(
      () => resolver({ '#a': 'a' }, VALUES).update(upd(set(p('#a'), ine(v(':c'))))),
      `${U}An expression attribute value used in expression is not defined; attribute value: :c`,
    );
    // dynalite: 'SET #c = if_not_exists(:c)' answers the undefined #c (targets first)
    expectValidation(
      () => resolver({ '#a': 'a' }, VALUES).update(upd(set(p('#c'), ine(v(':c'))))),
      `${U}An expression attribute name used in the document path is not defined; attribute name: #c`,
    );
    // the last action first: a later action's count beats an earlier one's
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), ine(p('c'))), set(p('b'), append(p('d'))))), count('list_append', 1));
  });

  it('requires a document path as if_not_exists\'s first operand (dynalite "incorrect operand path type")', () => {
    const msg = `${U}Operator or function requires a document path; operator or function: if_not_exists`;
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), ine(v(':s'), p('c'))))), msg);
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), ine(ine(p('a'), p('b')), p('c'))))), msg);
    expectValidation(() => resolver({}, VALUES).update(upd(set(p('a'), append(ine(append(p('a'), p('b')), v(':l')), v(':l'))))), msg);
    expect(resolver({ '#x': 'x' }, VALUES).update(upd(set(p('a'), ine(p('#x'), ine(p('y'), v(':n')))))).actions[0]).toEqual({
      kind: 'set',
      path: p('a'),
      value: {
        kind: 'ifNotExists',
        args: [p('x'), { kind: 'ifNotExists', args: [p('y'), { kind: 'literal', value: { N: '1' } }] }],
      },
    });
  });

  it("rejects if_not_exists with its own path as fallback", () => {
    expectValidation(
      () => resolver({}, VALUES).update(upd(set(p('x'), ine(p('a'), p('a'))))),
      `${U}The first operand must be distinct from the remaining operands for this operator or function; operator: if_not_exists, first operand: [a]`,
    );
    expect(() => resolver({ '#b': 'b' }, VALUES).update(upd(set(p('x'), ine(p('a'), p('#b')))))).not.toThrow();
  });
});

describe('Resolver: projections and unused substitutions', () => {
  it("reports overlaps and conflicts as dynalite's verified cases do", () => {
    const names = { '#a': 'a', '#b': '[3]' };
    const proj = (...paths: PathNode[]) => ({ kind: 'projection', paths }) as const;
    expectValidation(
      () => resolver(names).projection(proj(p('b', 1), p('b', 'a'), p('#a', 'b'), p('a'))),
      `${P}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]`,
    );
    expectValidation(
      () => resolver(names).projection(proj(p('a'), p('#a', 1))),
      `${P}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, [1]]`,
    );
    expectValidation(
      () => resolver(names).projection(proj(p('a', 'b'), p('#a', 1), p('#b'))),
      `${P}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]`,
    );
    expectValidation(
      () => resolver(names).projection(proj(p('a', 3, 'b'), p('#a', '#b', 'b'))),
      `${P}Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [3], b], path two: [a, [3], b]`,
    );
    expectValidation(
      () => resolver({ '#x': 'a' }).projection(proj(p('#a'))),
      `${P}An expression attribute name used in the document path is not defined; attribute name: #a`,
    );
  });

  it('resolves a projection again for other names, reuses the last resolution for the same names, and marks its names used each time', () => {
    const parsed = { kind: 'projection', paths: [p('#a', 'x'), p('b')] } as const;
    const first = resolver({ '#a': 'a' }).projection(parsed);
    expect(first.paths.map((path) => renderPath(path.elements))).toEqual(['[a, x]', '[b]']);
    expect(Object.isFrozen(first) && Object.isFrozen(first.paths) && Object.isFrozen(first.paths[0]!.elements[0])).toBe(true);
    const other = resolver({ '#a': 'c' });
    expect(other.projection(parsed).paths.map((path) => renderPath(path.elements))).toEqual(['[c, x]', '[b]']);
    const again = resolver({ '#a': 'a', '#u': 'u' });
    expect(again.projection(parsed).paths.map((path) => renderPath(path.elements))).toEqual(['[a, x]', '[b]']);
    expectValidation(() => again.checkUnused(), 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}');
    expectValidation(() => resolver({ '#x': 'a' }).projection(parsed), `${P}An expression attribute name used in the document path is not defined; attribute name: #a`);
  });

  it('reports unused names before unused values, listing the keys in request order', () => {
    const r = resolver({ '#a': 'a', '#b': 'b', '#c': 'c' }, { ':a': { S: 'a' }, ':b': { S: 'b' } });
    r.condition(cmp('=', p('#b'), v(':b')), 'ConditionExpression');
    expectValidation(() => r.checkUnused(), 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #c}');
    const r2 = resolver({ '#b': 'b' }, { ':a': { S: 'a' }, ':b': { S: 'b' }, ':c': { S: 'c' } });
    r2.condition(cmp('=', p('#b'), v(':b')), 'ConditionExpression');
    expectValidation(() => r2.checkUnused(), 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}');
  });
});
