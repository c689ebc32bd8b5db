import { ValidationException } from '../../errors.js';
import type { AttributeValue } from '../../model/attribute-value.js';
import { setMember } from '../../model/set-member.js';
import { validateAttributeValue } from '../../model/validate-item.js';
import type { Constraints } from './constraints.js';
import { COMPARISON_OPERATOR, NAME_PATTERN, defineEnum } from './constraints.js';
import { isOptionalMap, isOptionalStringMap, isValidAttributesToGet } from './expression-members.js';
import { isOptionalBoolean, isOptionalReturnConsumedCapacity, isOptionalString, isValidItemTableName } from './item-input.js';
import { OPAQUE, STRING, listOf, struct, type Shape } from './shapes.js';

/*
 * What Query and Scan requests share: the Condition map shape (KeyConditions, QueryFilter, ScanFilter),
 * the Select enum and its rules, and the ExclusiveStartKey's AttributeValues.
 */

const DDB = 'com.amazonaws.dynamodb.v20120810.';

/** `Map<String, Condition>`: KeyConditions, QueryFilter, ScanFilter. */
export const CONDITION_MAP_SHAPE: Shape = {
  kind: 'map',
  value: struct('Condition', { AttributeValueList: listOf(OPAQUE), ComparisonOperator: STRING }),
  valueClass: `${DDB}Condition`,
};

export const SELECT = defineEnum(['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES']);

export type Select = 'SPECIFIC_ATTRIBUTES' | 'COUNT' | 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES';

function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Absent, or an index name DynamoDB accepts: `[a-zA-Z0-9_.-]+`, 3 to 255 characters. */
export function isValidIndexName(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return typeof value === 'string' && value.length >= 3 && value.length <= 255 && NAME_PATTERN.test(value);
}

/**
 * The fast-path test of the members Query and Scan share: true when TableName, Select,
 * ReturnConsumedCapacity, ConditionalOperator, FilterExpression, ProjectionExpression, ConsistentRead,
 * ExpressionAttributeNames, ExpressionAttributeValues, ExclusiveStartKey, IndexName and AttributesToGet
 * all hold values that pass their type and member constraints. Allocates nothing; when it answers false
 * the caller's full checks report the messages in the operation's own order.
 */
export function areSharedReadMembersValid(input: Readonly<Record<string, unknown>>): boolean {
  const tableName = input.TableName;
  const op = input.ConditionalOperator;
  return (
    typeof tableName === 'string' &&
    isValidItemTableName(tableName) &&
    isOptionalSelect(input.Select) &&
    isOptionalReturnConsumedCapacity(input.ReturnConsumedCapacity) &&
    (op === undefined || op === null || op === 'AND' || op === 'OR') &&
    isOptionalString(input.FilterExpression) &&
    isOptionalString(input.ProjectionExpression) &&
    isOptionalBoolean(input.ConsistentRead) &&
    isOptionalStringMap(input.ExpressionAttributeNames) &&
    isOptionalMap(input.ExpressionAttributeValues) &&
    isOptionalMap(input.ExclusiveStartKey) &&
    isValidIndexName(input.IndexName) &&
    isValidAttributesToGet(input.AttributesToGet)
  );
}

/** Absent or one of the Select values. */
export function isOptionalSelect(value: unknown): boolean {
  return (
    absent(value) || value === 'ALL_ATTRIBUTES' || value === 'ALL_PROJECTED_ATTRIBUTES' || value === 'SPECIFIC_ATTRIBUTES' || value === 'COUNT'
  );
}

/** Absent, or a map of Conditions, each with a valid ComparisonOperator and a list (or no list) of values. */
export function isValidConditionMap(value: unknown): boolean {
  if (absent(value)) return true;
  if (!isMap(value)) return false;
  for (const name in value) {
    const entry = value[name];
    if (absent(entry)) continue;
    if (!isMap(entry)) return false;
    const list = entry.AttributeValueList;
    if (!absent(list) && !Array.isArray(list)) return false;
    if (typeof entry.ComparisonOperator !== 'string' || !COMPARISON_OPERATOR.values.includes(entry.ComparisonOperator)) return false;
  }
  return true;
}

/** Each Condition's comparisonOperator: not null, in the enum (`keyConditions.a.member.comparisonOperator`). */
export function conditionMapConstraints(c: Constraints, member: string, value: unknown): void {
  if (!isMap(value)) return;
  for (const name in value) {
    const entry = value[name];
    if (!isMap(entry)) continue;
    const path = (): string => `${member}.${name}.member.comparisonOperator`;
    if (c.notNull(path, entry.ComparisonOperator)) c.oneOf(path, entry.ComparisonOperator, COMPARISON_OPERATOR);
  }
}

/**
 * Select's rules against the request's projection (AWS-verified messages; Query prefixes them with
 * "1 validation error detected: ", Scan does not): ALL_PROJECTED_ATTRIBUTES needs an IndexName; a
 * projection goes only with SPECIFIC_ATTRIBUTES, which needs one.
 */
export function checkSelect(input: Readonly<Record<string, unknown>>, prefix: string): void {
  const select = input.Select;
  if (absent(select)) return;
  const hasAttributesToGet = !absent(input.AttributesToGet);
  const hasProjection = !absent(input.ProjectionExpression);
  if (select === 'SPECIFIC_ATTRIBUTES') {
    if (!hasAttributesToGet && !hasProjection) {
      throw new ValidationException(`${prefix}Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES`);
    }
    return;
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && absent(input.IndexName)) {
    throw new ValidationException(`${prefix}ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName`);
  }
  const what = select === 'COUNT' ? 'only the Count' : (select as string);
  if (hasAttributesToGet) throw new ValidationException(`${prefix}Cannot specify the AttributesToGet when choosing to get ${what}`);
  if (hasProjection) throw new ValidationException(`${prefix}Cannot specify the ProjectionExpression when choosing to get ${what}`);
}

/** Messages DynamoDB reports for an ExclusiveStartKey value without "The provided starting key is invalid: " (dynalite validations/query.js). */
const UNPREFIXED = /contains duplicates|number set|numeric value|significant digits|number with magnitude/;

/**
 * Validates an ExclusiveStartKey's AttributeValues (before the table is looked up) and returns them
 * normalized, or undefined when absent. Most messages gain the prefix "The provided starting key is
 * invalid: ".
 */
export function validateStartKeyValues(raw: unknown): Record<string, AttributeValue> | undefined {
  if (absent(raw)) return undefined;
  const map = raw as Record<string, unknown>;
  const out: Record<string, AttributeValue> = {};
  for (const name in map) {
    const value = map[name];
    if (value === undefined) continue;
    try {
      setMember(out, name, validateAttributeValue(value));
    } catch (e) {
      if (e instanceof ValidationException && !UNPREFIXED.test(e.message)) {
        throw new ValidationException(`The provided starting key is invalid: ${e.message}`);
      }
      throw e;
    }
  }
  return out;
}
