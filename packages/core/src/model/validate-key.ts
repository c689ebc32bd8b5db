import { INVALID, ValidationException } from '../errors.js';
import type { AttributeValue, Item, Key } from './attribute-value.js';
import { attributeTypeOf } from './attribute-value.js';
import { utf8Length } from './item-size.js';
import type { KeyAttribute, PrimaryKeySchema } from './key-schema.js';
import { validateItem } from './validate-item.js';
import { memberOf, setMember } from './set-member.js';

const MSG_SCHEMA = 'The provided key element does not match the schema';
const MSG_HASH_SIZE = INVALID + 'Size of hashkey has exceeded the maximum size limit of2048 bytes';
const MSG_RANGE_SIZE = INVALID + 'Aggregated size of all range keys has exceeded the size limit of 1024 bytes';
const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;

/** The phrase of every empty key value message, table key or index key. */
const EMPTY_KEY_PHRASE = 'The AttributeValue for a key attribute cannot contain an empty ';

function emptyKeyMessage(name: string, binary: boolean): string {
  return `One or more parameter values are not valid. ${EMPTY_KEY_PHRASE}${binary ? 'binary' : 'string'} value. Key: ${name}`;
}

/**
 * Whether a key check refused an empty string or binary key value (table or index key). DynamoDB finds
 * these in its up-front input validation, so TransactWriteItems answers them with a ValidationException
 * for the whole request, where a wrong-typed key cancels the transaction (paritysuite/dynamodb-conformance
 * #46, #60: captured against real DynamoDB in four regions).
 */
export function isEmptyKeyValueError(error: ValidationException): boolean {
  return error.message.includes(EMPTY_KEY_PHRASE);
}

/**
 * What is wrong with one key attribute's value whose type already matches the schema — empty, or over the
 * key size limits — as DynamoDB's message; undefined when nothing is.
 */
export function keyValueProblem(value: AttributeValue, attribute: KeyAttribute, isPartition: boolean): string | undefined {
  let size: number;
  if ('S' in value) {
    if (value.S.length === 0) return emptyKeyMessage(attribute.name, false);
    size = utf8Length(value.S);
  } else if ('B' in value) {
    if (value.B.length === 0) return emptyKeyMessage(attribute.name, true);
    size = value.B.length;
  } else {
    return undefined; // numbers are at most 21 bytes: always within the limits
  }
  if (isPartition) return size > MAX_HASH_KEY_BYTES ? MSG_HASH_SIZE : undefined;
  return size > MAX_RANGE_KEY_BYTES ? MSG_RANGE_SIZE : undefined;
}

function checkKeyValue(value: AttributeValue, attribute: KeyAttribute, isPartition: boolean): void {
  const problem = keyValueProblem(value, attribute, isPartition);
  if (problem !== undefined) throw new ValidationException(problem);
}

function checkItemKeyAttribute(item: Item, attribute: KeyAttribute, isPartition: boolean): void {
  const value = memberOf(item, attribute.name);
  if (value === undefined) throw new ValidationException(`${INVALID}Missing the key ${attribute.name} in the item`);
  const actual = attributeTypeOf(value);
  if (actual !== attribute.type) {
    throw new ValidationException(
      `${INVALID}Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${actual}`,
    );
  }
  checkKeyValue(value, attribute, isPartition);
}

/**
 * Checks that a validated item carries the table's key attributes with the right types, non-empty,
 * within the key size limits. Throws ValidationException with DynamoDB's message.
 */
export function validateItemKey(item: Item, schema: PrimaryKeySchema): void {
  for (const attribute of schema.partitionKeys) checkItemKeyAttribute(item, attribute, true);
  for (const attribute of schema.sortKeys) checkItemKeyAttribute(item, attribute, false);
}

/**
 * Validates a request `Key`'s AttributeValues (before the table is looked up, as DynamoDB does) and
 * returns a normalized, frozen copy.
 */
export function validateKeyValues(key: Record<string, unknown>): Key {
  return validateItem(key);
}

/**
 * Checks a validated `Key` against the table's key schema: exactly the key attributes, with their types
 * ("The provided key element does not match the schema"), non-empty and within the key size limits.
 */
export function checkKeySchema(key: Key, schema: PrimaryKeySchema): void {
  const { partitionKeys, sortKeys } = schema;
  let count = 0;
  for (const _ in key) count++;
  if (count !== partitionKeys.length + sortKeys.length) throw new ValidationException(MSG_SCHEMA);
  for (const attribute of partitionKeys) checkKeyAttribute(key, attribute, true);
  for (const attribute of sortKeys) checkKeyAttribute(key, attribute, false);
}

function checkKeyAttribute(key: Key, attribute: KeyAttribute, isPartition: boolean): void {
  const value = memberOf(key, attribute.name);
  if (value === undefined || attributeTypeOf(value) !== attribute.type) throw new ValidationException(MSG_SCHEMA);
  checkKeyValue(value, attribute, isPartition);
}

/**
 * Validates a request `Key` (GetItem, DeleteItem, …): its values, then against the table's key schema.
 * Returns it normalized and frozen. Throws ValidationException with DynamoDB's message.
 */
export function validateKey(key: Record<string, unknown>, schema: PrimaryKeySchema): Key {
  const validated = validateKeyValues(key);
  checkKeySchema(validated, schema);
  return validated;
}

/** Just the key attributes of an item (which must carry them: validate it with validateItemKey first), frozen. */
export function keyOf(item: Item, schema: PrimaryKeySchema): Key {
  const key: Record<string, AttributeValue> = {};
  for (const { name } of schema.partitionKeys) setMember(key, name, item[name]!);
  for (const { name } of schema.sortKeys) setMember(key, name, item[name]!);
  return Object.freeze(key) as Key;
}
