import type { Constraints } from './constraints.js';
import { ATTRIBUTE_ACTION, COMPARISON_OPERATOR, CONDITIONAL_OPERATOR } from './constraints.js';
import { BOOLEAN, OPAQUE, STRING, listOf, struct, type Shape } from './shapes.js';

/**
 * The expression members of the item operations and their legacy counterparts: JSON shapes, an
 * allocation-free "well-formed and within every constraint" test for the hot path, and the member
 * constraints in DynamoDB's order (dynalite validations/putItem.js, deleteItem.js, updateItem.js,
 * getItem.js: ConditionalOperator and Expected right after the Item/Key, AttributesToGet first).
 * What DynamoDB checks about their contents comes later, in expressions/prepare.ts.
 */

const DDB = 'com.amazonaws.dynamodb.v20120810.';

function mapOf(value: Shape, valueClass: string): Shape {
  return { kind: 'map', value, valueClass };
}

export const EXPECTED_SHAPE = mapOf(
  struct('ExpectedAttributeValue', { Value: OPAQUE, Exists: BOOLEAN, ComparisonOperator: STRING, AttributeValueList: listOf(OPAQUE) }),
  `${DDB}ExpectedAttributeValue`,
);
export const ATTRIBUTE_UPDATES_SHAPE = mapOf(struct('AttributeValueUpdate', { Value: OPAQUE, Action: STRING }), `${DDB}AttributeValueUpdate`);
export const ATTRIBUTES_TO_GET_SHAPE = listOf(STRING);

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isComparisonOperator(value: unknown): boolean {
  switch (value) {
    case 'EQ':
    case 'NE':
    case 'LE':
    case 'LT':
    case 'GE':
    case 'GT':
    case 'NOT_NULL':
    case 'NULL':
    case 'CONTAINS':
    case 'NOT_CONTAINS':
    case 'BEGINS_WITH':
    case 'IN':
    case 'BETWEEN':
      return true;
    default:
      return false;
  }
}

/** Absent or a map of strings. */
export function isOptionalStringMap(value: unknown): boolean {
  if (absent(value)) return true;
  if (!isMap(value)) return false;
  for (const key in value) {
    const v = value[key];
    if (v !== undefined && v !== null && typeof v !== 'string') return false;
  }
  return true;
}

/** Absent or a map (of AttributeValues, checked later). */
export function isOptionalMap(value: unknown): boolean {
  return absent(value) || isMap(value);
}

/** ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ConditionalOperator and Expected are well-formed and valid. */
export function areConditionMembersValid(input: Readonly<Record<string, unknown>>): boolean {
  const op = input.ConditionalOperator;
  const condition = input.ConditionExpression;
  return (
    (condition === undefined || condition === null || typeof condition === 'string') &&
    (op === undefined || op === null || op === 'AND' || op === 'OR') &&
    isOptionalStringMap(input.ExpressionAttributeNames) &&
    isOptionalMap(input.ExpressionAttributeValues) &&
    isValidExpected(input.Expected)
  );
}

function isValidExpected(expected: unknown): boolean {
  if (absent(expected)) return true;
  if (!isMap(expected)) return false;
  for (const name in expected) {
    const entry = expected[name];
    if (entry === undefined || entry === null) continue;
    if (!isMap(entry)) return false;
    const op = entry.ComparisonOperator;
    const exists = entry.Exists;
    const list = entry.AttributeValueList;
    if (!absent(op) && !isComparisonOperator(op)) return false;
    if (!absent(exists) && typeof exists !== 'boolean') return false;
    if (!absent(list) && !Array.isArray(list)) return false;
    if (!isOptionalMap(entry.Value)) return false;
  }
  return true;
}

/** AttributeUpdates is absent or well-formed with valid Actions. */
export function isValidAttributeUpdates(updates: unknown): boolean {
  if (absent(updates)) return true;
  if (!isMap(updates)) return false;
  for (const name in updates) {
    const entry = updates[name];
    if (entry === undefined || entry === null) continue;
    if (!isMap(entry)) return false;
    const action = entry.Action;
    if (!absent(action) && action !== 'PUT' && action !== 'ADD' && action !== 'DELETE') return false;
    if (!isOptionalMap(entry.Value)) return false;
  }
  return true;
}

/** AttributesToGet is absent or a list of 1 to 255 strings. */
export function isValidAttributesToGet(names: unknown): boolean {
  if (absent(names)) return true;
  if (!Array.isArray(names) || names.length < 1 || names.length > 255) return false;
  for (const n of names) if (typeof n !== 'string') return false;
  return true;
}

/** Whether any member checked here has a wrong JSON type (then the deserializer's message wins). */
export function hasConditionMemberTypeError(input: Readonly<Record<string, unknown>>): boolean {
  const condition = input.ConditionExpression;
  const op = input.ConditionalOperator;
  return (
    !(absent(condition) || typeof condition === 'string') ||
    !(absent(op) || typeof op === 'string') ||
    !isOptionalStringMap(input.ExpressionAttributeNames) ||
    !isOptionalMap(input.ExpressionAttributeValues) ||
    !absent(input.Expected)
  );
}

/** ConditionalOperator's enum, then each Expected entry's ComparisonOperator enum. */
export function conditionConstraints(c: Constraints, input: Readonly<Record<string, unknown>>): void {
  c.oneOf('conditionalOperator', input.ConditionalOperator, CONDITIONAL_OPERATOR);
  const expected = input.Expected;
  if (!isMap(expected)) return;
  for (const name in expected) {
    const entry = expected[name];
    if (!isMap(entry)) continue;
    c.oneOf(() => `expected.${name}.member.comparisonOperator`, entry.ComparisonOperator, COMPARISON_OPERATOR);
  }
}

/** Each AttributeUpdates entry's Action enum. */
export function attributeUpdatesConstraints(c: Constraints, updates: unknown): void {
  if (!isMap(updates)) return;
  for (const name in updates) {
    const entry = updates[name];
    if (!isMap(entry)) continue;
    c.oneOf(() => `attributeUpdates.${name}.member.action`, entry.Action, ATTRIBUTE_ACTION);
  }
}

/** AttributesToGet: 1 to 255 names. */
export function attributesToGetConstraints(c: Constraints, names: unknown): void {
  c.length('attributesToGet', names, 1, 255);
}
