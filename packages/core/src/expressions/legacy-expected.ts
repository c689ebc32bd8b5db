import { INVALID, ValidationException } from '../errors.js';
import { attributeTypeOf, type AttributeValue } from '../model/attribute-value.js';
import { compareNumbers } from '../model/number.js';
import { validateAttributeValue } from '../model/validate-item.js';
import type { ConditionNode, LiteralNode, Operand, PathNode } from './ast.js';
import { compareStrings } from './compare-values.js';

/*
 * The legacy Expected parameter (+ ConditionalOperator) of PutItem, UpdateItem and DeleteItem,
 * translated into a resolved condition tree. Each entry is checked in request order, completely
 * (structure, then its values, then its arguments) before the next one — DynamoDB Local's
 * InputConverter.externalToInternalExpectedAttributes/validateExpectedAttribute, with dynalite's
 * messages (validations/index.js validateAttributeConditions, test/putItem.js, verified against DynamoDB).
 */

/** How many values each ComparisonOperator takes (IN: one or more). */
const ARITY: Readonly<Record<string, number>> = {
  EQ: 1,
  NE: 1,
  LE: 1,
  LT: 1,
  GE: 1,
  GT: 1,
  CONTAINS: 1,
  NOT_CONTAINS: 1,
  BEGINS_WITH: 1,
  NOT_NULL: 0,
  NULL: 0,
  IN: -1,
  BETWEEN: 2,
};

/**
 * The value types each ComparisonOperator accepts (dynalite's table for the legacy conditions; EQ and NE
 * are left open: the API reference says EQ "is supported for all data types, including lists and maps").
 */
const SCALARS = ['S', 'N', 'B'];
const TYPES: Readonly<Record<string, readonly string[]>> = {
  LE: SCALARS,
  LT: SCALARS,
  GE: SCALARS,
  GT: SCALARS,
  CONTAINS: SCALARS,
  NOT_CONTAINS: SCALARS,
  BEGINS_WITH: ['S', 'B'],
  IN: SCALARS,
  BETWEEN: SCALARS,
};

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Checks a request's Expected and ConditionalOperator and returns the condition they express, or
 * undefined when there is none. Throws ValidationException with DynamoDB's messages.
 */
export function translateExpected(input: Readonly<Record<string, unknown>>): ConditionNode | undefined {
  const expected = input.Expected as Record<string, unknown> | null | undefined;
  const operator = input.ConditionalOperator;
  let condition: ConditionNode | undefined;
  let count = 0;
  if (present(expected)) {
    for (const name in expected) {
      const entry = expected![name];
      if (entry === undefined) continue;
      const node = translateEntry(name, entry);
      count++;
      condition = condition === undefined ? node : { kind: operator === 'OR' ? 'or' : 'and', left: condition, right: node };
    }
  }
  if (present(operator)) {
    if (count === 0) throw new ValidationException('ConditionalOperator cannot be used without Filter or Expected');
    if (count === 1) throw new ValidationException('ConditionalOperator can only be used when Filter or Expected has two or more elements');
  }
  return condition;
}

function translateEntry(name: string, raw: unknown): ConditionNode {
  if (raw === null) throw new ValidationException(`${INVALID}ExpectedAttributeValue must not be null for Attribute: ${name}`);
  const entry = raw as Record<string, unknown>;
  const exists = entry.Exists as boolean | null | undefined;
  const op = entry.ComparisonOperator as string | null | undefined;
  const rawValue = entry.Value;
  const rawList = entry.AttributeValueList as unknown[] | null | undefined;

  if (present(exists) && present(op)) throw new ValidationException(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
  if (present(rawValue) && present(rawList)) throw new ValidationException(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
  if (!present(op) && present(rawList)) throw new ValidationException(`${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
  if (exists === false && present(rawValue)) throw new ValidationException(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
  if (!present(rawValue) && !present(rawList)) {
    if (present(op)) {
      if (op !== 'NULL' && op !== 'NOT_NULL') {
        throw new ValidationException(`${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`);
      }
    } else if (!present(exists)) {
      throw new ValidationException(`${INVALID}Value must be provided when Exists is null for Attribute: ${name}`);
    } else if (exists === true) {
      throw new ValidationException(`${INVALID}Value must be provided when Exists is true for Attribute: ${name}`);
    }
  }

  const value = present(rawValue) ? validateAttributeValue(rawValue) : undefined;
  const list = present(rawList) ? rawList!.map((v) => validateAttributeValue(v)) : undefined;
  const path: PathNode = { kind: 'path', elements: [{ kind: 'name', name }] };

  if (!present(op)) {
    // Exists false → the attribute must be absent; otherwise (Exists true or absent) it must equal Value.
    if (value === undefined) return { kind: 'function', name: 'attribute_not_exists', args: [path] };
    return { kind: 'comparison', operator: '=', left: path, right: literal(value) };
  }
  const args = list ?? (value === undefined ? [] : [value]);
  checkArguments(op!, args);
  return conditionOf(op!, path, args);
}

/**
 * The legacy arguments of a ComparisonOperator: their number, one type for all, a type the operator
 * accepts, BETWEEN's bounds in order. Shared with QueryFilter/ScanFilter/KeyConditions.
 */
export function checkArguments(op: string, args: readonly AttributeValue[]): void {
  const arity = ARITY[op];
  if (arity === undefined) return;
  if (arity === -1 ? args.length === 0 : args.length !== arity) {
    throw new ValidationException(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
  }
  if (args.length === 0) return;
  const type = attributeTypeOf(args[0]!);
  for (const a of args) {
    if (attributeTypeOf(a) !== type) throw new ValidationException(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  }
  const allowed = TYPES[op];
  if (allowed !== undefined && !allowed.includes(type)) {
    throw new ValidationException(`${INVALID}ComparisonOperator ${op} is not valid for ${type} AttributeValue type`);
  }
  if (op === 'BETWEEN' && compareSameType(args[0]!, args[1]!) > 0) {
    throw new ValidationException('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
}

function literal(value: AttributeValue): LiteralNode {
  return { kind: 'literal', value };
}

/** The condition a legacy ComparisonOperator expresses on an attribute. */
export function conditionOf(op: string, path: PathNode, args: readonly AttributeValue[]): ConditionNode {
  const first: Operand = args.length > 0 ? literal(args[0]!) : path;
  switch (op) {
    case 'EQ':
      return { kind: 'comparison', operator: '=', left: path, right: first };
    case 'NE':
      return { kind: 'comparison', operator: '<>', left: path, right: first };
    case 'LE':
      return { kind: 'comparison', operator: '<=', left: path, right: first };
    case 'LT':
      return { kind: 'comparison', operator: '<', left: path, right: first };
    case 'GE':
      return { kind: 'comparison', operator: '>=', left: path, right: first };
    case 'GT':
      return { kind: 'comparison', operator: '>', left: path, right: first };
    case 'NOT_NULL':
      return { kind: 'function', name: 'attribute_exists', args: [path] };
    case 'NULL':
      return { kind: 'function', name: 'attribute_not_exists', args: [path] };
    case 'CONTAINS':
      return { kind: 'function', name: 'contains', args: [path, first] };
    case 'NOT_CONTAINS':
      return { kind: 'not', operand: { kind: 'function', name: 'contains', args: [path, first] } };
    case 'BEGINS_WITH':
      return { kind: 'function', name: 'begins_with', args: [path, first] };
    case 'IN':
      return { kind: 'in', operand: path, candidates: args.map(literal) };
    case 'BETWEEN':
      return { kind: 'between', operand: path, low: first, high: literal(args[1]!) };
    default:
      throw new ValidationException(`${INVALID}Unsupported ComparisonOperator: ${op}`);
  }
}

function compareSameType(a: AttributeValue, b: AttributeValue): number {
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S); // UTF-8 byte order, not UTF-16
  if ('B' in a && 'B' in b) {
    const n = Math.min(a.B.length, b.B.length);
    for (let i = 0; i < n; i++) if (a.B[i] !== b.B[i]) return a.B[i]! < b.B[i]! ? -1 : 1;
    return a.B.length - b.B.length;
  }
  return 0;
}
