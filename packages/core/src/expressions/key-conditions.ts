import { ValidationException } from '../errors.js';
import type { AttributeValue } from '../model/attribute-value.js';
import { validateAttributeValue } from '../model/validate-item.js';
import type { ComparisonNode, ConditionNode, Operand } from './ast.js';
import { checkArguments } from './legacy-expected.js';

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
