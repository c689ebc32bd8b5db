import { ValidationException } from '../errors.js';
import { attributeTypeOf, type AttributeValue } from '../model/attribute-value.js';
import { validateAttributeValue } from '../model/validate-item.js';
import type { ComparisonNode, ConditionNode, Operand, PathNode } from './ast.js';
import { checkArguments } from './legacy-expected.js';
import { compareScalars, type Resolver } from './resolve-expressions.js';
import type { Substitutions } from './validate-parameters.js';

/*
 * A Query's key conditions, from either source, as one map of attribute name → (ComparisonOperator,
 * values) in the order written: the legacy KeyConditions as given, or a KeyConditionExpression
 * converted with DynamoDB's structural rules (dynalite validations/index.js convertKeyCondition and
 * test/query.js, verified against DynamoDB). What the map may hold for a given key schema ("Query
 * condition missed key schema element", "Query key condition not supported", …) is checked against the
 * table (operations/query-keys.ts).
 */

/** One attribute's condition: a legacy ComparisonOperator and its argument values. */
export interface KeyCondition {
  readonly operator: string;
  readonly values: readonly AttributeValue[];
}

/** Attribute name → its condition, in the order written. */
export type KeyConditions = ReadonlyMap<string, KeyCondition>;

const FLIPPED: Readonly<Record<string, string>> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };
const OPERATOR: Readonly<Record<string, string>> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };

function fail(message: string): never {
  throw new ValidationException(message);
}

/** The message for a number of conditions the key schema read cannot take. */
export const CONDITION_COUNT_MESSAGE = 'Conditions can be of length 1 or 2 only';

/**
 * Checks the number of conditions before the table is looked up: one or two on a table (so three on a
 * missing table still get this message, as on DynamoDB); on an index up to eight (a GSI's
 * multi-attribute key: four partition and four sort key attributes), checked against the index's key
 * schema once the table is known (operations/query.ts).
 */
export function checkKeyConditionCount(conditions: KeyConditions, onIndex: boolean): void {
  if (conditions.size < 1 || conditions.size > (onIndex ? 8 : 2)) fail(CONDITION_COUNT_MESSAGE);
}

/**
 * A resolved KeyConditionExpression as key conditions. Walks the tree top-down, left to right: an
 * operator that cannot express a key range, then each condition's operands (a nested operation, a
 * second attribute, a nested attribute), then its attribute (none, or one already constrained).
 * Throws ValidationException with DynamoDB's messages.
 */
export function keyConditionsOfExpression(node: ConditionNode, onIndex: boolean): Map<string, KeyCondition> {
  const out = new Map<string, KeyCondition>();
  walk(node, out);
  checkKeyConditionCount(out, onIndex);
  return out;
}

function walk(node: ConditionNode, out: Map<string, KeyCondition>): void {
  switch (node.kind) {
    case 'or':
      fail('Invalid operator used in KeyConditionExpression: OR');
    // falls through (fail never returns)
    case 'not':
      fail('Invalid operator used in KeyConditionExpression: NOT');
    // falls through
    case 'in':
      fail('Invalid operator used in KeyConditionExpression: IN');
    // falls through
    case 'and':
      walk(node.left, out);
      walk(node.right, out);
      return;
    case 'comparison':
      if (node.operator === '<>') fail('Invalid operator used in KeyConditionExpression: <>');
      condition(node, [node.left, node.right], out);
      return;
    case 'between':
      if (node.operand.kind !== 'path') {
        fail('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
      }
      condition(node, [node.operand, node.low, node.high], out);
      return;
    case 'function':
      if (node.name !== 'begins_with') fail(`Invalid operator used in KeyConditionExpression: ${node.name}`);
      if (node.args[0]?.kind !== 'path') {
        fail('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
      }
      condition(node, node.args, out);
      return;
  }
}

function condition(node: ConditionNode, operands: readonly Operand[], out: Map<string, KeyCondition>): void {
  let name: string | undefined;
  let at = 0;
  for (let i = 0; i < operands.length; i++) {
    const operand = operands[i]!;
    if (operand.kind === 'path') {
      if (name !== undefined) fail('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
      const elements = operand.elements;
      if (elements.length > 1) fail('KeyConditionExpressions cannot have conditions on nested attributes');
      const first = elements[0]!;
      name = first.kind === 'name' ? first.name : '';
      at = i;
    } else if (operand.kind === 'size') {
      fail('KeyConditionExpressions cannot contain nested operations');
    }
  }
  if (name === undefined) fail('Invalid condition in KeyConditionExpression: No key attribute specified');
  if (out.has(name)) fail('KeyConditionExpressions must only contain one condition per key');
  const values: AttributeValue[] = [];
  for (let i = 0; i < operands.length; i++) {
    if (i === at) continue;
    const operand = operands[i]!;
    if (operand.kind === 'literal') values.push(operand.value);
  }
  let operator: string;
  if (node.kind === 'between') operator = 'BETWEEN';
  else if (node.kind === 'function') operator = 'BEGINS_WITH';
  else operator = (at === 0 ? OPERATOR : FLIPPED)[(node as ComparisonNode).operator]!;
  out.set(name, { operator, values });
}

// ─── planned key conditions ──────────────────────────────────────────────────────────────────────

/*
 * The usual KeyConditionExpression (`pk = :p`, `#pk = :p AND sk BETWEEN :a AND :b`, `begins_with(sk, :s)`)
 * resolved without the Resolver: its parsed tree is planned once (cached with the tree, which the parse
 * cache keeps), each request then only looks its placeholders up. A plan answers only when the full path
 * (the Resolver, then keyConditionsOfExpression) would succeed with the same conditions; on anything
 * else — an undefined placeholder, a value of the wrong type, BETWEEN's bounds out of order, one attribute
 * constrained twice — it answers undefined and the caller takes the full path, which throws
 * DynamoDB's error in DynamoDB's order. A plan holds placeholders and operators, never a request's values.
 */

/** One condition of a planned KeyConditionExpression, placeholders unresolved. */
interface PlannedCondition {
  /** The attribute's name, or its `#placeholder` token. */
  readonly name: string;
  readonly nameIsPlaceholder: boolean;
  /** The legacy ComparisonOperator it becomes. */
  readonly operator: string;
  /** Its values' `:placeholder` tokens, in operand order. */
  readonly tokens: readonly string[];
  /** Which types its values may have: any (=), S/N/B (<, <=, >, >=, BETWEEN), S/B (begins_with). */
  readonly types: 'any' | 'ordered' | 'stringOrBinary';
}

/** Trees planned so far (null: not a plannable shape). Weak: a tree the parse cache drops takes its plan along. */
const plans = new WeakMap<ConditionNode, readonly PlannedCondition[] | null>();

/**
 * The key conditions of a parsed KeyConditionExpression of the usual shape (at most two conditions, each
 * a one-attribute path against value placeholders) with the request's substitutions, or undefined when
 * the full path must decide (see above). On success, marks the placeholders it used on `resolver`, which
 * resolves the request's other expressions and checks for unused substitutions.
 */
export function plannedKeyConditions(parsed: ConditionNode, substitutions: Substitutions, resolver: Resolver): Map<string, KeyCondition> | undefined {
  let plan = plans.get(parsed);
  if (plan === undefined) {
    plan = planOf(parsed);
    plans.set(parsed, plan);
  }
  if (plan === null) return undefined;
  const { names, values } = substitutions;
  const out = new Map<string, KeyCondition>();
  for (let i = 0; i < plan.length; i++) {
    const planned = plan[i]!;
    let name = planned.name;
    if (planned.nameIsPlaceholder) {
      const resolved = names === undefined ? undefined : names[name];
      if (typeof resolved !== 'string') return undefined;
      name = resolved;
    }
    if (out.has(name)) return undefined;
    const tokens = planned.tokens;
    const conditionValues = new Array<AttributeValue>(tokens.length);
    for (let j = 0; j < tokens.length; j++) {
      const value = values?.get(tokens[j]!);
      if (value === undefined || !hasType(value, planned.types)) return undefined;
      conditionValues[j] = value;
    }
    if (planned.operator === 'BETWEEN') {
      const [low, high] = conditionValues as [AttributeValue, AttributeValue];
      if (attributeTypeOf(low) !== attributeTypeOf(high) || compareScalars(low, high) > 0) return undefined;
    }
    out.set(name, { operator: planned.operator, values: conditionValues });
  }
  for (const planned of plan) {
    if (planned.nameIsPlaceholder) resolver.useName(planned.name);
    for (const token of planned.tokens) resolver.useValue(token);
  }
  return out;
}

function hasType(value: AttributeValue, types: PlannedCondition['types']): boolean {
  if (types === 'any') return true;
  return 'S' in value || 'B' in value || (types === 'ordered' && 'N' in value);
}

/** The plan of a parsed tree, or null when it is not of the usual shape. */
function planOf(node: ConditionNode): readonly PlannedCondition[] | null {
  if (node.kind !== 'and') {
    const only = plannedCondition(node);
    return only === null ? null : [only];
  }
  const left = plannedCondition(node.left);
  const right = plannedCondition(node.right);
  return left === null || right === null ? null : [left, right];
}

function plannedCondition(node: ConditionNode): PlannedCondition | null {
  switch (node.kind) {
    case 'comparison': {
      if (node.operator === '<>') return null;
      const types = node.operator === '=' ? 'any' : 'ordered';
      if (node.left.kind === 'path' && node.right.kind === 'valuePlaceholder') return planned(node.left, OPERATOR[node.operator]!, [node.right.token], types);
      if (node.left.kind === 'valuePlaceholder' && node.right.kind === 'path') return planned(node.right, FLIPPED[node.operator]!, [node.left.token], types);
      return null;
    }
    case 'between':
      if (node.operand.kind !== 'path' || node.low.kind !== 'valuePlaceholder' || node.high.kind !== 'valuePlaceholder') return null;
      return planned(node.operand, 'BETWEEN', [node.low.token, node.high.token], 'ordered');
    case 'function': {
      const [path, value] = node.args;
      if (node.name !== 'begins_with' || node.args.length !== 2 || path?.kind !== 'path' || value?.kind !== 'valuePlaceholder') return null;
      return planned(path, 'BEGINS_WITH', [value.token], 'stringOrBinary');
    }
    default:
      return null;
  }
}

function planned(path: PathNode, operator: string, tokens: readonly string[], types: PlannedCondition['types']): PlannedCondition | null {
  if (path.elements.length !== 1) return null;
  const element = path.elements[0]!;
  if (element.kind === 'name') return { name: element.name, nameIsPlaceholder: false, operator, tokens, types };
  if (element.kind === 'namePlaceholder') return { name: element.token, nameIsPlaceholder: true, operator, tokens, types };
  return null;
}

/**
 * The legacy KeyConditions (or a QueryFilter/ScanFilter, which share its shape), each entry checked in
 * request order: its values as AttributeValues, then their number, type and order for the operator
 * (legacy-expected.ts checkArguments). Returns undefined when absent. The ComparisonOperator's presence
 * and enum are member constraints (the request validator).
 */
export function translateConditionMap(raw: unknown): Map<string, KeyCondition> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const map = raw as Record<string, unknown>;
  const out = new Map<string, KeyCondition>();
  for (const name in map) {
    const entry = map[name] as Record<string, unknown> | null | undefined;
    if (entry === undefined || entry === null) continue;
    const rawList = entry.AttributeValueList as unknown[] | null | undefined;
    const values = rawList === undefined || rawList === null ? [] : rawList.map((v) => validateAttributeValue(v));
    const operator = entry.ComparisonOperator as string;
    checkArguments(operator, values);
    out.set(name, { operator, values });
  }
  return out;
}
