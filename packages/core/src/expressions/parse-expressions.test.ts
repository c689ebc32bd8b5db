import { describe, expect, it } from 'vitest';
import { messageOf } from '../../test/support/expect-errors.js';
import type { ConditionNode, InNode, Operand, PathNode } from './ast.js';
import {
  clearParseCaches,
  parseConditionExpression,
  parseProjectionExpression,
  parseUpdateExpression,
  type ConditionParameter,
} from './parse-expressions.js';
import { ParseCache } from './parse-cache.js';
import { isReservedWord, RESERVED_WORDS } from './reserved-words.js';

const cond = (text: string, parameter: ConditionParameter = 'ConditionExpression'): ConditionNode =>
  parseConditionExpression(text, parameter);

/** The ValidationException message a parse throws. */
const condError = (text: string, parameter: ConditionParameter = 'ConditionExpression'): string =>
  messageOf(() => parseConditionExpression(text, parameter));
const updateError = (text: string): string => messageOf(() => parseUpdateExpression(text));
const projectionError = (text: string): string => messageOf(() => parseProjectionExpression(text));

const path = (...names: (string | number)[]): PathNode => ({
  kind: 'path',
  elements: names.map((n) =>
    typeof n === 'number'
      ? { kind: 'index', index: n }
      : n.startsWith('#')
        ? { kind: 'namePlaceholder', token: n }
        : { kind: 'name', name: n },
  ),
});
const value = (token: string): Operand => ({ kind: 'valuePlaceholder', token });
const eq = (left: Operand, right: Operand): ConditionNode => ({ kind: 'comparison', operator: '=', left, right });

describe('condition expressions', () => {
  it('reads each comparator', () => {
    for (const operator of ['=', '<>', '<', '<=', '>', '>='] as const) {
      expect(cond(`a ${operator} :v`)).toEqual({ kind: 'comparison', operator, left: path('a'), right: value(':v') });
    }
  });

  it('reads comparators without spaces', () => {
    expect(cond('a<=:v')).toEqual({ kind: 'comparison', operator: '<=', left: path('a'), right: value(':v') });
    expect(cond('a<>:v')).toEqual({ kind: 'comparison', operator: '<>', left: path('a'), right: value(':v') });
  });

  it('reads placeholders and literal names as written, unresolved', () => {
    expect(cond('#k = :k')).toEqual(eq(path('#k'), value(':k')));
    expect(cond('a.#b[3].c = :v')).toEqual(eq(path('a', '#b', 3, 'c'), value(':v')));
  });

  it('reads document paths with spaces around dots and brackets', () => {
    expect(cond('a . b [ 2 ] = :v')).toEqual(eq(path('a', 'b', 2), value(':v')));
  });

  it('reads names with digits and underscores after the first letter', () => {
    expect(cond('a1_b = :v_2')).toEqual(eq(path('a1_b'), value(':v_2')));
  });

  it('reads BETWEEN … AND …', () => {
    expect(cond('a BETWEEN :lo AND :hi')).toEqual({ kind: 'between', operand: path('a'), low: value(':lo'), high: value(':hi') });
  });

  it('reads IN with one or more candidates', () => {
    expect(cond('a IN (:x)')).toEqual({ kind: 'in', operand: path('a'), candidates: [value(':x')] });
    expect(cond('a IN (:x, b, :y)')).toEqual({ kind: 'in', operand: path('a'), candidates: [value(':x'), path('b'), value(':y')] });
  });

  it('reads keywords in any letter case', () => {
    expect(cond('a between :x and :y or not b in (:z)')).toEqual({
      kind: 'or',
      left: { kind: 'between', operand: path('a'), low: value(':x'), high: value(':y') },
      right: { kind: 'not', operand: { kind: 'in', operand: path('b'), candidates: [value(':z')] } },
    });
  });

  it('reads each condition function', () => {
    expect(cond('attribute_exists(a)')).toEqual({ kind: 'function', name: 'attribute_exists', args: [path('a')] });
    expect(cond('attribute_not_exists(#a)')).toEqual({ kind: 'function', name: 'attribute_not_exists', args: [path('#a')] });
    expect(cond('attribute_type(a, :t)')).toEqual({ kind: 'function', name: 'attribute_type', args: [path('a'), value(':t')] });
    expect(cond('begins_with(a, :s)')).toEqual({ kind: 'function', name: 'begins_with', args: [path('a'), value(':s')] });
    expect(cond('contains(a, b)')).toEqual({ kind: 'function', name: 'contains', args: [path('a'), path('b')] });
  });

  it('reads size(path) as an operand of comparisons, BETWEEN, IN and functions', () => {
    const size = { kind: 'size', operand: path('a') } as const;
    expect(cond('size(a) > :n')).toEqual({ kind: 'comparison', operator: '>', left: size, right: value(':n') });
    expect(cond(':n < size(a)')).toEqual({ kind: 'comparison', operator: '<', left: value(':n'), right: size });
    expect(cond('size(a) BETWEEN :x AND :y')).toEqual({ kind: 'between', operand: size, low: value(':x'), high: value(':y') });
    expect(cond('size(a) IN (:x)')).toEqual({ kind: 'in', operand: size, candidates: [value(':x')] });
    expect(cond('contains(b, size(a))')).toEqual({ kind: 'function', name: 'contains', args: [path('b'), size] });
  });

  it('reads size() of any operand: a value (valid), or a size() (which resolution rejects)', () => {
    expect(cond('size(:v) > :n')).toEqual({ kind: 'comparison', operator: '>', left: { kind: 'size', operand: value(':v') }, right: value(':n') });
    expect(cond('size(size(a)) > :v')).toEqual({
      kind: 'comparison',
      operator: '>',
      left: { kind: 'size', operand: { kind: 'size', operand: path('a') } },
      right: value(':v'),
    });
    expect(cond('size((:v)) = :n')).toEqual(eq({ kind: 'size', operand: value(':v') }, value(':n')));
  });

  it('binds comparisons tighter than NOT, NOT tighter than AND, AND tighter than OR', () => {
    const [a, b, c] = [eq(path('a'), value(':a')), eq(path('b'), value(':b')), eq(path('c'), value(':c'))];
    expect(cond('a = :a OR b = :b AND c = :c')).toEqual({ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } });
    expect(cond('NOT a = :a AND b = :b')).toEqual({ kind: 'and', left: { kind: 'not', operand: a }, right: b });
    expect(cond('NOT NOT a = :a')).toEqual({ kind: 'not', operand: { kind: 'not', operand: a } });
  });

  it('groups AND and OR to the left', () => {
    const [a, b, c] = [eq(path('a'), value(':a')), eq(path('b'), value(':b')), eq(path('c'), value(':c'))];
    expect(cond('a = :a AND b = :b AND c = :c')).toEqual({ kind: 'and', left: { kind: 'and', left: a, right: b }, right: c });
    expect(cond('a = :a OR b = :b OR c = :c')).toEqual({ kind: 'or', left: { kind: 'or', left: a, right: b }, right: c });
  });

  it('takes the AND after BETWEEN as its upper bound, and the next AND as a conjunction', () => {
    expect(cond('a BETWEEN :x AND :y AND b = :b')).toEqual({
      kind: 'and',
      left: { kind: 'between', operand: path('a'), low: value(':x'), high: value(':y') },
      right: eq(path('b'), value(':b')),
    });
  });

  it('lets parentheses regroup conditions and leaves no node for them', () => {
    const [a, b, c] = [eq(path('a'), value(':a')), eq(path('b'), value(':b')), eq(path('c'), value(':c'))];
    expect(cond('(a = :a OR b = :b) AND c = :c')).toEqual({ kind: 'and', left: { kind: 'or', left: a, right: b }, right: c });
    expect(cond('((a = :a) AND b = :b)')).toEqual({ kind: 'and', left: a, right: b });
    expect(cond('NOT (a = :a)')).toEqual({ kind: 'not', operand: a });
    expect(cond('(attribute_exists(a))')).toEqual({ kind: 'function', name: 'attribute_exists', args: [path('a')] });
  });

  it('takes parentheses around operands', () => {
    expect(cond('(a) = (:v)')).toEqual(eq(path('a'), value(':v')));
    expect(cond('((a) = :v)')).toEqual(eq(path('a'), value(':v')));
    expect(cond('(size(a)) > :n')).toEqual({ kind: 'comparison', operator: '>', left: { kind: 'size', operand: path('a') }, right: value(':n') });
    expect(cond('a IN ((:x), :y)')).toEqual({ kind: 'in', operand: path('a'), candidates: [value(':x'), value(':y')] });
  });

  it('parses KeyConditionExpression and FilterExpression with the same grammar', () => {
    expect(cond('pk = :pk AND begins_with(sk, :p)', 'KeyConditionExpression')).toEqual({
      kind: 'and',
      left: eq(path('pk'), value(':pk')),
      right: { kind: 'function', name: 'begins_with', args: [path('sk'), value(':p')] },
    });
    expect(cond('a <> :v', 'FilterExpression')).toEqual({ kind: 'comparison', operator: '<>', left: path('a'), right: value(':v') });
  });

  it('returns frozen trees', () => {
    const tree = cond('a = :v AND b IN (:x)');
    expect(Object.isFrozen(tree)).toBe(true);
    expect(tree.kind === 'and' && Object.isFrozen(tree.right)).toBe(true);
    expect(tree.kind === 'and' && tree.right.kind === 'in' && Object.isFrozen(tree.right.candidates)).toBe(true);
  });
});

describe('syntax errors', () => {
  it('names the token and the text from the token before it to the token after it', () => {
    expect(condError('id = = :v')).toBe('Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"');
    expect(condError('a = :v :w')).toBe('Invalid ConditionExpression: Syntax error; token: ":w", near: ":v :w"');
    expect(condError('a > 4')).toBe('Invalid ConditionExpression: Syntax error; token: "4", near: "> 4"');
  });

  it('names <EOF> at the end, near the last token, leaving trailing spaces out', () => {
    expect(condError('foo')).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"');
    expect(condError('attribute_not_exists(')).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("');
    expect(updateError('SET #attr1 = :val1, ')).toBe('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","');
  });

  it('shows only the token and the one after it when the first token is wrong', () => {
    expect(projectionError('!!! INVALID !!!')).toBe('Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"');
    expect(projectionError('"a b"')).toBe('Invalid ProjectionExpression: Syntax error; token: """, near: ""a"');
    expect(updateError('INVALID SYNTAX HERE')).toBe('Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
  });

  it('names a character no token accepts', () => {
    expect(condError('id ~ :v')).toBe('Invalid ConditionExpression: Syntax error; token: "~", near: "id ~ :v"');
    expect(condError('a != :v')).toBe('Invalid ConditionExpression: Syntax error; token: "!", near: "a !="');
    expect(condError('# = :v')).toBe('Invalid ConditionExpression: Syntax error; token: "#", near: "# ="');
  });

  it('shows keywords as written', () => {
    expect(condError('a = :v and')).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "and"');
    expect(condError('set = :v')).toBe('Invalid ConditionExpression: Syntax error; token: "set", near: "set ="');
  });

  it('rejects a function without arguments at its closing parenthesis', () => {
    expect(condError('attribute_type()')).toBe('Invalid ConditionExpression: Syntax error; token: ")", near: "()"');
  });

  it('rejects a bare path as a condition', () => {
    expect(condError('a = :v AND b')).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "b"');
    expect(condError('(a) AND b = :v')).toBe('Invalid ConditionExpression: Syntax error; token: "AND", near: ") AND b"');
  });

  it('rejects names that start with a digit or an underscore', () => {
    expect(condError('1a = :v')).toBe('Invalid ConditionExpression: Syntax error; token: "1", near: "1a"');
    expect(condError('_a = :v')).toBe('Invalid ConditionExpression: Syntax error; token: "_", near: "_a"');
  });

  it('rejects list indexes that are not plain non-negative integers', () => {
    expect(projectionError('l[a]')).toBe('Invalid ProjectionExpression: Syntax error; token: "a", near: "[a]"');
    expect(projectionError('l[-1]')).toBe('Invalid ProjectionExpression: Syntax error; token: "-", near: "[-1"');
    expect(projectionError('l[01]')).toBe('Invalid ProjectionExpression: Syntax error; token: "1", near: "01]"');
    expect(projectionError('l[]')).toBe('Invalid ProjectionExpression: Syntax error; token: "]", near: "[]"');
  });

  it('rejects a parenthesized condition used as an operand, and things after a call in parentheses', () => {
    expect(condError('(a = :v) = :w')).toBe('Invalid ConditionExpression: Syntax error; token: "=", near: ") = :w"');
    expect(condError('(size(a))[0] > a', 'KeyConditionExpression')).toBe(
      'Invalid KeyConditionExpression: Syntax error; token: "[", near: ")[0"',
    );
  });

  it('rejects IN without parentheses and BETWEEN without AND', () => {
    expect(condError('a IN :x')).toBe('Invalid ConditionExpression: Syntax error; token: ":x", near: "IN :x"');
    expect(condError('a BETWEEN :x OR :y')).toBe('Invalid ConditionExpression: Syntax error; token: "OR", near: ":x OR :y"');
  });

  it('names the parameter in the message', () => {
    expect(condError('a', 'FilterExpression')).toBe('Invalid FilterExpression: Syntax error; token: "<EOF>", near: "a"');
    expect(condError('a', 'KeyConditionExpression')).toBe('Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "a"');
  });
});

describe('other errors', () => {
  it('rejects an empty or blank expression', () => {
    expect(condError('')).toBe('Invalid ConditionExpression: The expression can not be empty;');
    expect(condError(' \t\n', 'FilterExpression')).toBe('Invalid FilterExpression: The expression can not be empty;');
    expect(updateError('')).toBe('Invalid UpdateExpression: The expression can not be empty;');
    expect(projectionError('')).toBe('Invalid ProjectionExpression: The expression can not be empty;');
  });

  it('rejects an expression over 4096 UTF-8 bytes, naming its size', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `a${i}`).join(', ');
    expect(names.length).toBeGreaterThan(4096);
    expect(projectionError(names)).toBe(`Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: ${names.length}`);
    const exactly = `a${'b'.repeat(4095)}`;
    expect(parseProjectionExpression(exactly).paths).toHaveLength(1);
    const multibyte = `a = :v AND b = :w${' é'.repeat(1400)}`; // 2 bytes each é
    expect(condError(multibyte)).toMatch(/^Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4217$/);
  });

  it('rejects reserved words as names, in any case, showing the word as written', () => {
    expect(condError('status = :v')).toBe('Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status');
    expect(condError('a.Name = :v')).toBe('Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Name');
    expect(updateError(' remove Absolute ')).toBe('Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute');
    expect(projectionError('a, b, DATA')).toBe('Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: DATA');
  });

  it('lets placeholders stand for reserved words', () => {
    expect(cond('#status = :status')).toEqual(eq(path('#status'), value(':status')));
  });

  it('knows DynamoDB\'s reserved words', () => {
    expect(RESERVED_WORDS.size).toBe(565);
    for (const w of ['abort', 'SIZE', 'Convert', 'zone', 'ttl', 'user']) expect(isReservedWord(w)).toBe(true);
    for (const w of ['pk', 'sk', 'id', 'price', 'AND', 'set']) expect(isReservedWord(w)).toBe(false);
  });

  it('reports syntax errors before reserved words', () => {
    expect(condError('status = :v AND')).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"');
  });

  it('reports the first problem in the order written', () => {
    expect(condError('foo(status) = :v')).toBe('Invalid ConditionExpression: Invalid function name; function: foo');
    expect(condError('data = :v AND foo(a)')).toBe('Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: data');
    expect(condError('a[99999999999] = :v AND b.data = :w')).toBe(
      'Invalid ConditionExpression: List index is not within the allowable range; index: [99999999999]',
    );
  });

  it('rejects list indexes above 2147483647', () => {
    expect(cond('a[2147483647] = :v')).toEqual(eq(path('a', 2147483647), value(':v')));
    expect(condError('a[2147483648] = :v')).toBe('Invalid ConditionExpression: List index is not within the allowable range; index: [2147483648]');
  });

  it('rejects unknown function names, which are case-sensitive', () => {
    expect(condError('foo(a)')).toBe('Invalid ConditionExpression: Invalid function name; function: foo');
    expect(condError('BEGINS_WITH(a, :v)')).toBe('Invalid ConditionExpression: Invalid function name; function: BEGINS_WITH');
    expect(updateError('set #c = if_not_exist(:c) set c = d')).toBe('Invalid UpdateExpression: Invalid function name; function: if_not_exist');
  });

  it('rejects functions with the wrong number of operands', () => {
    expect(condError('attribute_exists(a, b)')).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2',
    );
    expect(condError('contains(a)')).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1',
    );
    expect(condError('size(a, b) = :v')).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2',
    );
  });

  it("leaves if_not_exists's and list_append's operand counts and kinds to resolution (validate-precedence.test.ts)", () => {
    const set = (text: string) => (parseUpdateExpression(text).actions[0] as { value: unknown }).value;
    expect(set('set a = if_not_exists(c)')).toEqual({ kind: 'ifNotExists', args: [path('c')] });
    expect(set('set a = list_append(c)')).toEqual({ kind: 'listAppend', args: [path('c')] });
    expect(set('set a = list_append(c, :v, d)')).toEqual({ kind: 'listAppend', args: [path('c'), value(':v'), path('d')] });
    expect(set('set a = if_not_exists(:a, c)')).toEqual({ kind: 'ifNotExists', args: [value(':a'), path('c')] });
    expect(set('set a = if_not_exists(if_not_exists(a, b), c)')).toEqual({
      kind: 'ifNotExists',
      args: [{ kind: 'ifNotExists', args: [path('a'), path('b')] }, path('c')],
    });
  });

  it('rejects size as a condition, and condition functions as operands', () => {
    expect(condError('size(a)')).toBe('Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size');
    expect(condError('begins_with(a, :v) = :x')).toBe(
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with',
    );
    expect(condError('contains(attribute_exists(a), :v)')).toBe(
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists',
    );
  });

  it('rejects update functions in conditions, and condition functions in updates', () => {
    expect(condError('if_not_exists(a, :v) = :x')).toBe('Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists');
    expect(updateError('set a = size(b)')).toBe('Invalid UpdateExpression: The function is not allowed in an update expression; function: size');
    expect(updateError('set a = begins_with(b, :v)')).toBe('Invalid UpdateExpression: The function is not allowed in an update expression; function: begins_with');
  });

  it('lets only if_not_exists sit inside a function or under + and - in an update (alternator test_update_expression_function_nesting; DynamoDB Local ASTListener)', () => {
    const misused = 'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append';
    expect(updateError('SET a = list_append(list_append(:a, :b), :c)')).toBe(misused);
    expect(updateError('SET a = list_append(list_append(list_append(:a, :b), :c), :d)')).toBe(misused);
    expect(updateError('SET a = list_append(:a, list_append(:b, :c))')).toBe(misused);
    expect(updateError('SET a = if_not_exists(a, list_append(:a, :b))')).toBe(misused);
    expect(updateError('SET a = list_append(if_not_exists(a, list_append(:a, :b)), :c)')).toBe(misused);
    expect(updateError('SET a = list_append(:a, :b) + :c')).toBe(misused);
    expect(updateError('SET a = :c - list_append(:a, :b)')).toBe(misused);
    expect(updateError('SET a = (list_append(:a, :b)) + :c')).toBe(misused);
    expect(updateError('SET a = (list_append(:a, :b) + :c)')).toBe(misused);
    // Allowed: list_append at the top, if_not_exists anywhere (its first operand's kind is resolution's to check).
    expect(() => parseUpdateExpression('SET a = list_append(if_not_exists(a, :v1), :v2)')).not.toThrow();
    expect(() => parseUpdateExpression('SET a = (list_append(:a, :b))')).not.toThrow();
    expect(() => parseUpdateExpression('SET a = if_not_exists(a, :v) + :w, b = :w - if_not_exists(b, if_not_exists(c, :v))')).not.toThrow();
    expect(() => parseUpdateExpression('SET b = if_not_exists(if_not_exists(a, :v2), :v1)')).not.toThrow();
    // In DynamoDB's order: the function's own name checks first, then the first problem in the text.
    expect(updateError('SET a = list_append(size(b), :c)')).toBe('Invalid UpdateExpression: The function is not allowed in an update expression; function: size');
    expect(updateError('SET a = list_append(list_append(:a, :b), foo(:c))')).toBe(misused);
    expect(updateError('SET a = list_append(foo(:c), list_append(:a, :b))')).toBe('Invalid UpdateExpression: Invalid function name; function: foo');
    expect(updateError('SET a = list_append(list_append(:a, :b), #c.size)')).toBe(misused);
    expect(updateError('SET a = list_append(size.b, list_append(:a, :b))')).toBe('Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: size');
    // A parse-time problem: it wins over resolution's (operand counts, undefined placeholders).
    expect(updateError('SET a = list_append(list_append(:a), :b, :c)')).toBe(misused);
  });

  it('still reports syntax and placement problems around what it leaves to resolution', () => {
    expect(updateError('set a = if_not_exists(c), b = size(d)')).toBe('Invalid UpdateExpression: The function is not allowed in an update expression; function: size');
    expect(updateError('set a = list_append(c) set b = :v')).toBe('Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
    expect(condError('size(size(a)) > :v AND foo(b)')).toBe('Invalid ConditionExpression: Invalid function name; function: foo');
  });

  it('rejects two pairs of parentheses straight around one thing', () => {
    expect(condError('((a = :v))')).toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
    expect(condError('((a)) = :v')).toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
    expect(condError('a = ((:v))')).toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
    expect(condError('((attribute_not_exists(pk)))')).toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
    expect(updateError('SET c = ((c - :v))')).toBe('Invalid UpdateExpression: The expression has redundant parentheses;');
  });

  it('reports redundant parentheses where it meets them, before a later syntax error', () => {
    expect(condError('((a = :v)) AND')).toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
    expect(condError('a = AND ((b = :v))')).toBe('Invalid ConditionExpression: Syntax error; token: "AND", near: "= AND ("');
  });

  it('reads IN with more than 100 candidates (resolution rejects them: validate-precedence.test.ts)', () => {
    const list = (n: number): string => Array.from({ length: n }, (_, i) => `:v${i}`).join(',');
    expect(cond(`a IN (${list(100)})`).kind).toBe('in');
    expect((cond(`a IN (${list(101)})`) as InNode).candidates).toHaveLength(101);
  });

  it('rejects more than 300 operators, counting up to the first one too many', () => {
    const ands = (n: number): string => Array.from({ length: n }, () => 'a<b').join(' AND ');
    expect(cond(ands(150)).kind).toBe('and'); // 150 comparisons + 149 ANDs = 299
    expect(condError(ands(160))).toBe('Invalid ConditionExpression: The expression contains too many operators; operator count: 301');
  });
});

describe('update expressions', () => {
  it('reads SET, REMOVE, ADD and DELETE actions in the order written', () => {
    expect(parseUpdateExpression('set a = :v, b = b + :w remove c, d[0] add e :x delete f :y')).toEqual({
      kind: 'update',
      actions: [
        { kind: 'set', path: path('a'), value: value(':v') },
        { kind: 'set', path: path('b'), value: { kind: 'arithmetic', operator: '+', left: path('b'), right: value(':w') } },
        { kind: 'remove', path: path('c') },
        { kind: 'remove', path: path('d', 0) },
        { kind: 'add', path: path('e'), value: value(':x') },
        { kind: 'delete', path: path('f'), value: value(':y') },
      ],
    });
  });

  it('takes clauses in any order, keywords in any case', () => {
    expect(parseUpdateExpression('DeLeTe s :x ReMoVe r SET a = :v').actions.map((a) => a.kind)).toEqual(['delete', 'remove', 'set']);
  });

  it('reads subtraction, if_not_exists and list_append, nested', () => {
    expect(parseUpdateExpression('SET n = if_not_exists(n, :zero) - :one, l = list_append(if_not_exists(l, :empty), :new)').actions).toEqual([
      {
        kind: 'set',
        path: path('n'),
        value: {
          kind: 'arithmetic',
          operator: '-',
          left: { kind: 'ifNotExists', args: [path('n'), value(':zero')] },
          right: value(':one'),
        },
      },
      {
        kind: 'set',
        path: path('l'),
        value: { kind: 'listAppend', args: [{ kind: 'ifNotExists', args: [path('l'), value(':empty')] }, value(':new')] },
      },
    ]);
  });

  it('takes parentheses around a SET value or its operands', () => {
    const sum = { kind: 'arithmetic', operator: '+', left: path('b'), right: path('c') };
    expect(parseUpdateExpression('set a = (b + c)').actions[0]).toEqual({ kind: 'set', path: path('a'), value: sum });
    expect(parseUpdateExpression('set a = (b) + (c)').actions[0]).toEqual({ kind: 'set', path: path('a'), value: sum });
    expect(parseUpdateExpression('set a = ((b) + c)').actions[0]).toEqual({ kind: 'set', path: path('a'), value: sum });
  });

  it('rejects each section used twice, after checking that section\'s actions', () => {
    expect(updateError('set a = #c set c = :d')).toBe('Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
    expect(updateError('remove #d set a = b remove e')).toBe('Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;');
    expect(updateError('add #d :e set a = b add e :f')).toBe('Invalid UpdateExpression: The "ADD" section can only be used once in an update expression;');
    expect(updateError('delete #d :e set a = b delete #e :f')).toBe('Invalid UpdateExpression: The "DELETE" section can only be used once in an update expression;');
    expect(updateError(' set #c = :c set abOrt = true ')).toBe('Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt');
    expect(updateError('set a = :v set b = :w remove name')).toBe('Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
  });

  it('rejects malformed actions as syntax errors', () => {
    expect(updateError('SET')).toBe('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"');
    expect(updateError('whatever')).toBe('Invalid UpdateExpression: Syntax error; token: "whatever", near: "whatever"');
    expect(updateError('set a')).toBe('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"');
    expect(updateError('SET a = list_append(a, 0)')).toBe('Invalid UpdateExpression: Syntax error; token: "0", near: ", 0)"');
    expect(updateError('set a = b + c + d')).toBe('Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"');
    expect(updateError('set a = b * c')).toBe('Invalid UpdateExpression: Syntax error; token: "*", near: "b * c"');
    expect(updateError('remove a = b')).toBe('Invalid UpdateExpression: Syntax error; token: "=", near: "a = b"');
    expect(updateError('add a b')).toBe('Invalid UpdateExpression: Syntax error; token: "b", near: "a b"');
    expect(updateError('delete a')).toBe('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"');
    expect(updateError('set :a = b')).toBe('Invalid UpdateExpression: Syntax error; token: ":a", near: "set :a ="');
    expect(updateError('SET if_not_exists(a, b) = a')).toBe('Invalid UpdateExpression: Syntax error; token: "(", near: "if_not_exists(a"');
    expect(updateError('set a = (b.c).d + e')).toBe('Invalid UpdateExpression: Syntax error; token: ".", near: ").d"');
    expect(updateError('set a[1] = "eight"')).toBe('Invalid UpdateExpression: Syntax error; token: """, near: "= "eight"');
  });
});

describe('projection expressions', () => {
  it('reads a list of paths', () => {
    expect(parseProjectionExpression('a, b.c[2].#d')).toEqual({ kind: 'projection', paths: [path('a'), path('b', 'c', 2, '#d')] });
  });

  it('rejects a trailing comma and a missing comma', () => {
    expect(projectionError('a,')).toBe('Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","');
    expect(projectionError('id age')).toBe('Invalid ProjectionExpression: Syntax error; token: "age", near: "id age"');
  });
});

describe('the parse cache', () => {
  it('returns the same tree for the same text and parameter', () => {
    clearParseCaches();
    const first = cond('a = :v');
    expect(cond('a = :v')).toBe(first);
    expect(cond('a = :v', 'FilterExpression')).not.toBe(first);
    expect(parseUpdateExpression('SET a = :v')).toBe(parseUpdateExpression('SET a = :v'));
    expect(parseProjectionExpression('a, b')).toBe(parseProjectionExpression('a, b'));
  });

  it('does not cache failures', () => {
    expect(condError('a =')).toBe(condError('a ='));
  });

  it('drops the oldest entry when full', () => {
    const cache = new ParseCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
    cache.set('b', 4);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBe(4);
  });
});

describe('several problems at once', () => {
  it('reports the first invalid function even when both are parenthesized', () => {
    expect(updateError('set a = (foo(x)), b = (bar(y))')).toBe('Invalid UpdateExpression: Invalid function name; function: foo');
    expect(condError('(foo(a)) = (bar(b))')).toBe('Invalid ConditionExpression: Invalid function name; function: foo');
  });
});
