import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyConditionsOfExpression } from './key-conditions.js';
import { parseConditionExpression, parseProjectionExpression } from './parse-expressions.js';
import { prepareExpressions } from './prepare.js';
import { Resolver } from './resolve-expressions.js';
import { checkExpressionParameters, prepareSubstitutions } from './validate-parameters.js';

/** What a call answered: its result, or its error's class and message. */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** The full path for a Query with a KeyConditionExpression: the Resolver over each expression in order, checkUnused, then the key conditions. */
function fullPath(input: Record<string, unknown>): unknown {
  checkExpressionParameters(input, 'Query');
  const resolver = new Resolver(prepareSubstitutions(input, true));
  const resolved = resolver.condition(parseConditionExpression(input.KeyConditionExpression as string, 'KeyConditionExpression'), 'KeyConditionExpression');
  const filterText = input.FilterExpression as string | undefined;
  const filter = filterText === undefined ? undefined : resolver.condition(parseConditionExpression(filterText, 'FilterExpression'), 'FilterExpression');
  const projectionText = input.ProjectionExpression as string | undefined;
  const projection = projectionText === undefined ? undefined : resolver.projection(parseProjectionExpression(projectionText));
  resolver.checkUnused();
  return { keyConditions: [...keyConditionsOfExpression(resolved, typeof input.IndexName === 'string')], filter, projection };
}

/** What prepareExpressions answers for a Query, in fullPath's terms. */
function prepared(input: Record<string, unknown>): unknown {
  const { keyConditions, filter, projection } = prepareExpressions(input, 'Query');
  return { keyConditions: [...keyConditions!], filter, projection };
}

// Key condition expressions from a small grammar: the usual shapes, and near misses of them.
const path = fc.constantFrom('pk', 'sk', '#a', '#b', '#c', '#u', 'pk.x', 'sk[0]');
const token = fc.constantFrom(':x', ':y', ':z', ':u');
const operand = fc.oneof({ weight: 3, arbitrary: token }, { weight: 1, arbitrary: path }, { weight: 1, arbitrary: path.map((p) => `size(${p})`) });
const condition = fc.oneof(
  fc.tuple(path, fc.constantFrom('=', '=', '<', '<=', '>', '>=', '<>'), token).map(([p, op, t]) => `${p} ${op} ${t}`),
  fc.tuple(token, fc.constantFrom('=', '<', '<=', '>', '>='), path).map(([t, op, p]) => `${t} ${op} ${p}`),
  fc.tuple(operand, fc.constantFrom('=', '<'), operand).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(path, token, token).map(([p, a, b]) => `${p} BETWEEN ${a} AND ${b}`),
  fc.tuple(operand, operand, operand).map(([p, a, b]) => `${p} BETWEEN ${a} AND ${b}`),
  fc.tuple(path, token).map(([p, t]) => `begins_with(${p}, ${t})`),
  fc.tuple(token, path).map(([t, p]) => `begins_with(${t}, ${p})`),
  fc.tuple(path, token).map(([p, t]) => `contains(${p}, ${t})`),
  fc.tuple(path, token).map(([p, t]) => `${p} IN (${t})`),
  path.map((p) => `attribute_exists(${p})`),
);
const expression = fc.oneof(
  condition,
  fc.tuple(condition, condition).map(([a, b]) => `${a} AND ${b}`),
  fc.tuple(condition, condition, condition).map(([a, b, c]) => `${a} AND ${b} AND ${c}`),
  fc.tuple(condition, condition).map(([a, b]) => `${a} OR ${b}`),
  condition.map((c) => `NOT ${c}`),
);
const value = fc.oneof(
  fc.constantFrom('a', 'b', 'abc', '').map((S) => ({ S })),
  fc.constantFrom('1', '2', '-3', '10').map((N) => ({ N })),
  fc.constantFrom([1], [2], []).map((bytes) => ({ B: Uint8Array.from(bytes) })),
  fc.constant({ BOOL: true }),
  fc.constant({ SS: ['a'] }),
  fc.constant({ NULL: true }),
);
// A FilterExpression and a ProjectionExpression, sometimes, valid or not.
const filterExpression = fc.option(fc.constantFrom('other > :x', '#a = :y', 'contains(#c, :z)', 'size(#b) < :x', 'other >', 'other < :u', 'pk = :x'), { nil: undefined });
const projectionExpression = fc.option(fc.constantFrom('other, #b', 'sk', '#c.x[1]', 'other, other', 'other.x, other[0]', '#u', 'a,'), { nil: undefined });

/** A request for expressions: mostly exactly the substitutions they use, sometimes one more or one fewer, or none. */
const request = fc.tuple(expression, filterExpression, projectionExpression).chain(([text, filter, projection]) => {
  const all = [text, filter ?? '', projection ?? ''].join(' ');
  const usedNames = [...new Set(all.match(/#[a-z]/g) ?? [])];
  const usedValues = [...new Set(all.match(/:[a-z]/g) ?? [])];
  const namesOf = (keys: readonly string[]) => fc.tuple(...keys.map(() => fc.constantFrom('pk', 'sk', 'other'))).map((picked) => Object.fromEntries(keys.map((k, i) => [k, picked[i]!])));
  const valuesOf = (keys: readonly string[]) => fc.tuple(...keys.map(() => value)).map((picked) => Object.fromEntries(keys.map((k, i) => [k, picked[i]!])));
  const keys = (used: string[], extra: string) =>
    fc.oneof({ weight: 6, arbitrary: fc.constant(used) }, fc.constant([...used, extra]), fc.constant(used.slice(1)), fc.constant<string[]>([]));
  return fc.record({
    text: fc.constant(text),
    filter: fc.constant(filter),
    projection: fc.constant(projection),
    names: keys(usedNames, '#c').chain((k) => (k.length === 0 ? fc.constant(undefined) : namesOf(k))),
    values: keys(usedValues, ':z').chain((k) => (k.length === 0 ? fc.constant(undefined) : valuesOf(k))),
    onIndex: fc.boolean(),
  });
});

describe('planned key conditions', () => {
  it('answer every Query with a KeyConditionExpression exactly as the full path does (trees, or error and message)', () => {
    fc.assert(
      fc.property(request, ({ text, filter, projection, names, values, onIndex }) => {
        const input: Record<string, unknown> = { TableName: 't', KeyConditionExpression: text, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
        if (filter !== undefined) input.FilterExpression = filter;
        if (projection !== undefined) input.ProjectionExpression = projection;
        if (onIndex) input.IndexName = 'i';
        // Twice: the first request plans the tree, the second uses the plan.
        expect(outcome(() => prepared(input))).toEqual(outcome(() => fullPath(input)));
        expect(outcome(() => prepared(input))).toEqual(outcome(() => fullPath(input)));
      }),
      { numRuns: 3000 },
    );
  });

  it('take each request its own values: a plan keeps no value', () => {
    const query = (p: string, s: string) =>
      prepareExpressions(
        { TableName: 't', KeyConditionExpression: 'pk = :p AND sk BETWEEN :s AND :t', ExpressionAttributeValues: { ':p': { S: p }, ':s': { N: s }, ':t': { N: '9' } } },
        'Query',
      ).keyConditions;
    expect([...query('a', '1')!]).toEqual([
      ['pk', { operator: 'EQ', values: [{ S: 'a' }] }],
      ['sk', { operator: 'BETWEEN', values: [{ N: '1' }, { N: '9' }] }],
    ]);
    expect([...query('b', '2')!]).toEqual([
      ['pk', { operator: 'EQ', values: [{ S: 'b' }] }],
      ['sk', { operator: 'BETWEEN', values: [{ N: '2' }, { N: '9' }] }],
    ]);
  });
});
