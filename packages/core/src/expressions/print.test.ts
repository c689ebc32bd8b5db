import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  ConditionFunctionName,
  ConditionNode,
  Operand,
  PathElement,
  PathNode,
  ProjectionNode,
  SetOperand,
  SetValue,
  UpdateAction,
  UpdateNode,
  ValuePlaceholderNode,
} from './ast.js';
import { parseConditionText, parseProjectionText, parseUpdateText } from './parser.js';
import { printCondition, printPath, printProjection, printUpdate } from './print.js';

// ─── arbitrary trees (placeholders only, so no name can be a reserved word) ─────────────────────

const word = fc.stringMatching(/^[A-Za-z0-9_]{1,6}$/);
const namePlaceholder = word.map((w): PathElement => ({ kind: 'namePlaceholder', token: `#${w}` }));
const valuePlaceholder = word.map((w): ValuePlaceholderNode => ({ kind: 'valuePlaceholder', token: `:${w}` }));
const pathArb: fc.Arbitrary<PathNode> = fc
  .tuple(
    namePlaceholder,
    fc.array(fc.oneof(namePlaceholder, fc.nat({ max: 2147483647 }).map((index): PathElement => ({ kind: 'index', index }))), {
      maxLength: 3,
    }),
  )
  .map(([first, rest]) => ({ kind: 'path', elements: [first, ...rest] }));
// size() of anything (size(:v), size(size(a)) parse; resolution judges them).
const operandArb: fc.Arbitrary<Operand> = fc.letrec<{ operand: Operand }>((tie) => ({
  operand: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    pathArb,
    valuePlaceholder,
    tie('operand').map((operand): Operand => ({ kind: 'size', operand })),
  ),
})).operand;
const comparatorArb = fc.constantFrom('=', '<>', '<', '<=', '>', '>=' as const);
const functionArb: fc.Arbitrary<ConditionNode> = fc.oneof(
  fc.tuple(fc.constantFrom<ConditionFunctionName>('attribute_exists', 'attribute_not_exists'), pathArb).map(([name, path]) => ({
    kind: 'function' as const,
    name,
    args: [path],
  })),
  fc
    .tuple(fc.constantFrom<ConditionFunctionName>('attribute_type', 'begins_with', 'contains'), pathArb, operandArb)
    .map(([name, path, operand]) => ({ kind: 'function' as const, name, args: [path, operand] })),
);
const leafArb: fc.Arbitrary<ConditionNode> = fc.oneof(
  fc.tuple(comparatorArb, operandArb, operandArb).map(([operator, left, right]) => ({ kind: 'comparison' as const, operator, left, right })),
  fc.tuple(operandArb, operandArb, operandArb).map(([operand, low, high]) => ({ kind: 'between' as const, operand, low, high })),
  fc
    .tuple(operandArb, fc.array(operandArb, { minLength: 1, maxLength: 4 }))
    .map(([operand, candidates]) => ({ kind: 'in' as const, operand, candidates })),
  functionArb,
);
const conditionArb: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.tuple(tie('node'), tie('node')).map(([left, right]): ConditionNode => ({ kind: 'and', left, right })),
    fc.tuple(tie('node'), tie('node')).map(([left, right]): ConditionNode => ({ kind: 'or', left, right })),
    tie('node').map((operand): ConditionNode => ({ kind: 'not', operand })),
  ),
})).node;

// Below a function or + / -, only if_not_exists may be called (list_append there is refused by the parser).
const nestedSetOperandArb: fc.Arbitrary<SetOperand> = fc.letrec<{ operand: SetOperand }>((tie) => ({
  operand: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    pathArb,
    valuePlaceholder,
    // Any number of any operands (the counts and the path are resolution's to check).
    fc.array(tie('operand'), { minLength: 1, maxLength: 3 }).map((args): SetOperand => ({ kind: 'ifNotExists', args })),
  ),
})).operand;
const setOperandArb: fc.Arbitrary<SetOperand> = fc.oneof(
  nestedSetOperandArb,
  fc.array(nestedSetOperandArb, { minLength: 1, maxLength: 3 }).map((args): SetOperand => ({ kind: 'listAppend', args })),
);
const setValueArb: fc.Arbitrary<SetValue> = fc.oneof(
  setOperandArb,
  fc
    .tuple(fc.constantFrom('+', '-' as const), nestedSetOperandArb, nestedSetOperandArb)
    .map(([operator, left, right]): SetValue => ({ kind: 'arithmetic', operator, left, right })),
);
const actionsOf: Record<UpdateAction['kind'], fc.Arbitrary<UpdateAction>> = {
  set: fc.tuple(pathArb, setValueArb).map(([path, value]) => ({ kind: 'set', path, value })),
  remove: pathArb.map((path) => ({ kind: 'remove', path })),
  add: fc.tuple(pathArb, valuePlaceholder).map(([path, value]) => ({ kind: 'add', path, value })),
  delete: fc.tuple(pathArb, valuePlaceholder).map(([path, value]) => ({ kind: 'delete', path, value })),
};
const updateArb: fc.Arbitrary<UpdateNode> = fc
  .shuffledSubarray(['set', 'remove', 'add', 'delete'] as const, { minLength: 1 })
  .chain((clauses) => fc.tuple(...clauses.map((kind) => fc.array(actionsOf[kind], { minLength: 1, maxLength: 3 }))))
  .map((groups) => ({ kind: 'update', actions: groups.flat() }));
const projectionArb: fc.Arbitrary<ProjectionNode> = fc
  .array(pathArb, { minLength: 1, maxLength: 5 })
  .map((paths) => ({ kind: 'projection', paths }));

// ─── properties ──────────────────────────────────────────────────────────────────────────────────

describe('print', () => {
  it('parsing a printed condition gives back the same tree', () => {
    fc.assert(
      fc.property(conditionArb, (tree) => {
        const text = printCondition(tree);
        fc.pre(text.length <= 4096);
        expect(parseConditionText(text, 'ConditionExpression')).toEqual(tree);
      }),
      { numRuns: 500 },
    );
  });

  it('parsing a printed update gives back the same tree', () => {
    fc.assert(
      fc.property(updateArb, (tree) => {
        expect(parseUpdateText(printUpdate(tree))).toEqual(tree);
      }),
      { numRuns: 500 },
    );
  });

  it('parsing a printed projection gives back the same tree', () => {
    fc.assert(
      fc.property(projectionArb, (tree) => {
        expect(parseProjectionText(printProjection(tree))).toEqual(tree);
      }),
      { numRuns: 300 },
    );
  });

  it('adds parentheses only where precedence needs them', () => {
    const p = (name: string): PathNode => ({ kind: 'path', elements: [{ kind: 'namePlaceholder', token: name }] });
    const eq = (name: string): ConditionNode => ({ kind: 'comparison', operator: '=', left: p(name), right: { kind: 'valuePlaceholder', token: ':v' } });
    const tree: ConditionNode = {
      kind: 'and',
      left: { kind: 'or', left: eq('#a'), right: eq('#b') },
      right: { kind: 'not', operand: { kind: 'and', left: eq('#c'), right: { kind: 'or', left: eq('#d'), right: eq('#e') } } },
    };
    expect(printCondition(tree)).toBe('(#a = :v OR #b = :v) AND NOT (#c = :v AND (#d = :v OR #e = :v))');
    expect(printCondition({ kind: 'or', left: { kind: 'or', left: eq('#a'), right: eq('#b') }, right: eq('#c') })).toBe(
      '#a = :v OR #b = :v OR #c = :v',
    );
    expect(printCondition({ kind: 'or', left: eq('#a'), right: { kind: 'or', left: eq('#b'), right: eq('#c') } })).toBe(
      '#a = :v OR (#b = :v OR #c = :v)',
    );
  });

  it('prints paths with dots and list indexes', () => {
    expect(printPath({ kind: 'path', elements: [{ kind: 'name', name: 'a' }, { kind: 'namePlaceholder', token: '#b' }, { kind: 'index', index: 3 }] })).toBe(
      'a.#b[3]',
    );
  });

  it('prints one clause per kind of update action', () => {
    expect(printUpdate(parseUpdateText('remove a, b  SET c = if_not_exists(c, :z) + :one ADD d :x'))).toBe(
      'REMOVE a, b SET c = if_not_exists(c, :z) + :one ADD d :x',
    );
  });

  it('prints size() of any operand and update functions with any number of operands', () => {
    const text = 'size(:v) > size(size(#a))';
    expect(printCondition(parseConditionText(text, 'ConditionExpression'))).toBe(text);
    const update = 'SET #a = if_not_exists(:v), #b = list_append(#c, :w, if_not_exists(if_not_exists(#d, :x), :y, :z))';
    expect(printUpdate(parseUpdateText(update))).toBe(update);
  });

  it('refuses to print a literal value', () => {
    expect(() =>
      printCondition({ kind: 'comparison', operator: '=', left: { kind: 'literal', value: { S: 'x' } }, right: { kind: 'valuePlaceholder', token: ':v' } }),
    ).toThrow(TypeError);
  });
});
