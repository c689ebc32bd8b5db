import { SerializationException, ValidationException } from '../errors.js';
import type { AttributeValue } from '../model/attribute-value.js';
import { MSG_ATTRIBUTE_NAME_TOO_LARGE, MSG_EMPTY_ATTRIBUTE_NAME, isAttributeNameTooLarge, validateAttributeValue } from '../model/validate-item.js';
import type { ExpressionOperation } from './prepare.js';

/*
 * The request-level checks on expression parameters, before any expression is parsed:
 *
 *  1. expression and legacy parameters mixed ("Can not use both expression and non-expression parameters …"),
 *  2. ExpressionAttributeNames without any expression,
 *  3. ExpressionAttributeValues without an expression that takes values,
 *
 * (1–3 run in the request validators, right after the member constraints, as DynamoDB does: before the
 * Key/Item values are checked — dynalite test/updateItem.js "unsupported datatype in Key" shows the
 * Key error losing to nothing but these), then, once some expression is present:
 *
 *  4. ExpressionAttributeNames: empty, then each key in turn: its length (at most 255), its syntax
 *     (`#` + [0-9A-Za-z_]+),
 *  5. ExpressionAttributeValues: empty, then each key in turn: its length, its syntax (`:` + [0-9A-Za-z_]+),
 *  6. each ExpressionAttributeValues value as an AttributeValue ("… contains invalid value: <why> for key :v"),
 *  7. each ExpressionAttributeNames value as an attribute name: not empty, at most 65,535 UTF-8 bytes
 *     ("… contains invalid value: <why> for key #n"; DynamoDB Local's getExpressionAttributeNamesSizes).
 *
 * Evidence: DynamoDB Local's InputConverter (validateMixingOldStyleWithExpressions, the member orders of
 * the mixing message, validateExpressionAttributeNames/Values, externalToInternalExpressionAttributeValues)
 * and dynalite's validations/index.js + test/updateItem.js (messages verified against DynamoDB).
 *
 * A key's length (4, 5) is checked before its syntax, key by key (DynamoDB Local's DynamoDbParser
 * validateAttributeNameParameter / validateLiteralParametersKeys: `key.length() > MAX_PARAMETER_KEY_SIZE`,
 * then the key grammar). The length is Java's `String.length()`, UTF-16 code units, as JavaScript's; a
 * key over 255 of them is refused whatever it holds. The messages, as captured from DynamoDB (ExtendDB
 * tests/test_expression_attribute_map_validation.py, us-east-1): "ExpressionAttributeNames contains invalid
 * key: The expression attribute map contains a key that is too long; size of key: 256", and for values the
 * same without the size: "ExpressionAttributeValues contains invalid key: The expression attribute map
 * contains a key that is too long;".
 */

type ExpressionMember = 'UpdateExpression' | 'ProjectionExpression' | 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression';
type LegacyMember = 'AttributeUpdates' | 'AttributesToGet' | 'Expected' | 'QueryFilter' | 'ScanFilter' | 'ConditionalOperator' | 'KeyConditions';

/** What an operation's request may carry, in the order DynamoDB lists the members in its messages. */
export interface OperationParameters {
  /** The expression members, in the mixing message's order. */
  readonly expressions: readonly ExpressionMember[];
  /** The legacy members, in the mixing message's order. */
  readonly legacy: readonly LegacyMember[];
  /** The tail of "ExpressionAttributeValues can only be specified when using expressions: …"; undefined when the request has no ExpressionAttributeValues member. */
  readonly valuesWithout?: string | undefined;
}

export const OPERATION_PARAMETERS: Readonly<Record<ExpressionOperation, OperationParameters>> = {
  PutItem: { expressions: ['ConditionExpression'], legacy: ['Expected', 'ConditionalOperator'], valuesWithout: 'ConditionExpression is null' },
  DeleteItem: { expressions: ['ConditionExpression'], legacy: ['Expected', 'ConditionalOperator'], valuesWithout: 'ConditionExpression is null' },
  UpdateItem: {
    expressions: ['UpdateExpression', 'ConditionExpression'],
    legacy: ['AttributeUpdates', 'Expected', 'ConditionalOperator'],
    valuesWithout: 'UpdateExpression and ConditionExpression are null',
  },
  GetItem: { expressions: ['ProjectionExpression'], legacy: ['AttributesToGet'] },
  Query: {
    expressions: ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
    legacy: ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
    valuesWithout: 'FilterExpression and KeyConditionExpression are null',
  },
  Scan: {
    expressions: ['ProjectionExpression', 'FilterExpression'],
    legacy: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
    valuesWithout: 'FilterExpression is null',
  },
};

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** One bit per expression and legacy member (expressionsPresent, legacyPresent). */
const MEMBER_BIT: Readonly<Record<ExpressionMember | LegacyMember, number>> = {
  UpdateExpression: 1 << 0,
  ConditionExpression: 1 << 1,
  ProjectionExpression: 1 << 2,
  FilterExpression: 1 << 3,
  KeyConditionExpression: 1 << 4,
  AttributeUpdates: 1 << 5,
  AttributesToGet: 1 << 6,
  Expected: 1 << 7,
  QueryFilter: 1 << 8,
  ScanFilter: 1 << 9,
  ConditionalOperator: 1 << 10,
  KeyConditions: 1 << 11,
};

function bitsOf(members: readonly (ExpressionMember | LegacyMember)[]): number {
  let bits = 0;
  for (const member of members) bits |= MEMBER_BIT[member];
  return bits;
}

/** Each operation's members as bits: its expressions, those that take values (all but ProjectionExpression), its legacy members. */
const OPERATION_BITS: Readonly<Record<ExpressionOperation, { readonly expressions: number; readonly valueExpressions: number; readonly legacy: number }>> = Object.fromEntries(
  Object.entries(OPERATION_PARAMETERS).map(([operation, spec]) => {
    const expressions = bitsOf(spec.expressions);
    return [operation, { expressions, valueExpressions: expressions & ~MEMBER_BIT.ProjectionExpression, legacy: bitsOf(spec.legacy) }];
  }),
) as Record<ExpressionOperation, { expressions: number; valueExpressions: number; legacy: number }>;

/**
 * The expression members a request carries (not null), as MEMBER_BIT bits: one named read per member (a
 * loop over member names would make each read a slow keyed lookup).
 */
function expressionsPresent(input: Readonly<Record<string, unknown>>): number {
  let bits = 0;
  if (present(input.UpdateExpression)) bits |= MEMBER_BIT.UpdateExpression;
  if (present(input.ConditionExpression)) bits |= MEMBER_BIT.ConditionExpression;
  if (present(input.ProjectionExpression)) bits |= MEMBER_BIT.ProjectionExpression;
  if (present(input.FilterExpression)) bits |= MEMBER_BIT.FilterExpression;
  if (present(input.KeyConditionExpression)) bits |= MEMBER_BIT.KeyConditionExpression;
  return bits;
}

/**
 * The legacy members a request carries, as MEMBER_BIT bits. KeyConditions only counts next to a
 * KeyConditionExpression (DynamoDB Local: Query may pair KeyConditions with a FilterExpression).
 */
function legacyPresent(input: Readonly<Record<string, unknown>>): number {
  let bits = 0;
  if (present(input.AttributeUpdates)) bits |= MEMBER_BIT.AttributeUpdates;
  if (present(input.AttributesToGet)) bits |= MEMBER_BIT.AttributesToGet;
  if (present(input.Expected)) bits |= MEMBER_BIT.Expected;
  if (present(input.QueryFilter)) bits |= MEMBER_BIT.QueryFilter;
  if (present(input.ScanFilter)) bits |= MEMBER_BIT.ScanFilter;
  if (present(input.ConditionalOperator)) bits |= MEMBER_BIT.ConditionalOperator;
  if (present(input.KeyConditions) && present(input.KeyConditionExpression)) bits |= MEMBER_BIT.KeyConditions;
  return bits;
}

/** Whether a request carries any of `operation`'s expressions. */
export function hasExpression(input: Readonly<Record<string, unknown>>, operation: ExpressionOperation): boolean {
  return (expressionsPresent(input) & OPERATION_BITS[operation].expressions) !== 0;
}

/** Checks 1–3 above. Allocation-free when the request passes. */
export function checkExpressionParameters(input: Readonly<Record<string, unknown>>, operation: ExpressionOperation): void {
  const bits = OPERATION_BITS[operation];
  const expressionBits = expressionsPresent(input) & bits.expressions;
  const anyExpression = expressionBits !== 0;
  const legacyBits = anyExpression ? legacyPresent(input) & bits.legacy : 0;
  if (legacyBits !== 0) {
    const spec = OPERATION_PARAMETERS[operation];
    const legacy = spec.legacy.filter((m) => (legacyBits & MEMBER_BIT[m]) !== 0);
    const expressions = spec.expressions.filter((m) => (expressionBits & MEMBER_BIT[m]) !== 0);
    throw new ValidationException(
      'Can not use both expression and non-expression parameters in the same request: ' +
        `Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
    );
  }
  if (present(input.ExpressionAttributeNames) && !anyExpression) {
    throw new ValidationException('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valuesWithout = OPERATION_PARAMETERS[operation].valuesWithout;
  if (valuesWithout !== undefined && present(input.ExpressionAttributeValues) && (expressionBits & bits.valueExpressions) === 0) {
    throw new ValidationException(`ExpressionAttributeValues can only be specified when using expressions: ${valuesWithout}`);
  }
}

/** The request's substitutions, checked (4–7 above): names as given, values validated and frozen. */
export interface Substitutions {
  readonly names: Readonly<Record<string, string>> | undefined;
  readonly values: ReadonlyMap<string, AttributeValue> | undefined;
}

const NO_SUBSTITUTIONS: Substitutions = { names: undefined, values: undefined };

/** `prefix` followed by one or more of [0-9A-Za-z_]. */
function isPlaceholderKey(key: string, prefix: number): boolean {
  const n = key.length;
  if (n < 2 || key.charCodeAt(0) !== prefix) return false;
  for (let i = 1; i < n; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  }
  return true;
}

/** The longest ExpressionAttributeNames/Values key DynamoDB accepts (DynamoDB Local's MAX_PARAMETER_KEY_SIZE), in UTF-16 code units. */
const MAX_PLACEHOLDER_KEY_LENGTH = 255;
const KEY_TOO_LONG = 'contains invalid key: The expression attribute map contains a key that is too long;';

const HASH = 35; // '#'
const COLON = 58; // ':'

/**
 * Checks ExpressionAttributeNames and ExpressionAttributeValues (4–7 above) and returns them ready for
 * resolution. Called only when the request carries some expression. `withValues` is false for the
 * operations without an ExpressionAttributeValues member (GetItem), whose stray member is ignored.
 */
export function prepareSubstitutions(input: Readonly<Record<string, unknown>>, withValues: boolean): Substitutions {
  const rawNames = input.ExpressionAttributeNames;
  const rawValues = withValues ? input.ExpressionAttributeValues : undefined;
  if (!present(rawNames) && !present(rawValues)) return NO_SUBSTITUTIONS;

  // One pass over each map: its keys are checked as met; what fails later in the order (a name's value
  // after every value, a value after every value key) is kept and thrown at its turn.
  let names: Record<string, string> | undefined;
  let badName: ValidationException | undefined;
  if (present(rawNames)) {
    names = rawNames as Record<string, string>;
    let count = 0;
    for (const key in names) {
      const name = names[key];
      if (name === undefined) continue;
      count++;
      if (key.length > MAX_PLACEHOLDER_KEY_LENGTH) throw new ValidationException(`ExpressionAttributeNames ${KEY_TOO_LONG} size of key: ${key.length}`);
      if (!isPlaceholderKey(key, HASH)) throw new ValidationException(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
      badName ??= nameValueError(name, key);
    }
    if (count === 0) throw new ValidationException('ExpressionAttributeNames must not be empty');
  }

  let values: Map<string, AttributeValue> | undefined;
  if (present(rawValues)) {
    const raw = rawValues as Record<string, unknown>;
    values = new Map();
    let failed = false;
    let failure: unknown;
    for (const key in raw) {
      const value = raw[key];
      if (value === undefined) continue;
      if (key.length > MAX_PLACEHOLDER_KEY_LENGTH) throw new ValidationException(`ExpressionAttributeValues ${KEY_TOO_LONG}`);
      if (!isPlaceholderKey(key, COLON)) throw new ValidationException(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
      if (failed) continue;
      try {
        values.set(key, validateSubstitutionValue(value, key));
      } catch (error) {
        failed = true;
        failure = error;
      }
    }
    if (values.size === 0 && !failed) throw new ValidationException('ExpressionAttributeValues must not be empty');
    if (failed) throw failure;
  }

  if (badName !== undefined) throw badName;
  return { names, values };
}

/** Why an ExpressionAttributeNames value is no attribute name (undefined: it is one). */
function nameValueError(name: string, key: string): ValidationException | undefined {
  if (name === null) return new ValidationException(`ExpressionAttributeNames contains invalid value: null for key ${key}`);
  if (name === '') return new ValidationException(`ExpressionAttributeNames contains invalid value: ${MSG_EMPTY_ATTRIBUTE_NAME} for key ${key}`);
  if (isAttributeNameTooLarge(name)) return new ValidationException(`ExpressionAttributeNames contains invalid value: ${MSG_ATTRIBUTE_NAME_TOO_LARGE} for key ${key}`);
  return undefined;
}

/** validateAttributeValue, its ValidationException wrapped the way DynamoDB wraps it for a substitution value. */
function validateSubstitutionValue(value: unknown, key: string): AttributeValue {
  try {
    return validateAttributeValue(value);
  } catch (e) {
    if (e instanceof ValidationException) {
      throw new ValidationException(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${key}`);
    }
    if (e instanceof SerializationException) throw e;
    throw e;
  }
}
