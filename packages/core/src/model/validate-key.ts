import { ValidationException } from '../errors.js';
import type { AttributeValue, Item, Key } from './attribute-value.js';
import { attributeTypeOf } from './attribute-value.js';
import { utf8Length } from './item-size.js';
import type { KeyAttribute, PrimaryKeySchema } from './key-schema.js';
import { validateAttributeValue } from './validate-item.js';

const INVALID = 'One or more parameter values were invalid: ';
const MSG_SCHEMA = 'The provided key element does not match the schema';
const MSG_HASH_SIZE = INVALID + 'Size of hashkey has exceeded the maximum size limit of2048 bytes';
const MSG_RANGE_SIZE = INVALID + 'Aggregated size of all range keys has exceeded the size limit of 1024 bytes';
const MAX_HASH_KEY_BYTES = 2048;
const MAX_RANGE_KEY_BYTES = 1024;

function emptyKeyError(name: string, binary: boolean): ValidationException {
  return new ValidationException(
    `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${binary ? 'binary' : 'string'} value. Key: ${name}`,
  );
}

/** Empty-value and size checks of one key attribute whose type already matches the schema. */
function checkKeyValue(value: AttributeValue, attribute: KeyAttribute, isPartition: boolean): void {
  let size: number;
  if ('S' in value) {
    if (value.S.length === 0) throw emptyKeyError(attribute.name, false);
    size = utf8Length(value.S);
  } else if ('B' in value) {
    if (value.B.length === 0) throw emptyKeyError(attribute.name, true);
    size = value.B.length;
  } else {
    return; // numbers are at most 21 bytes: always within the limits
  }
  if (isPartition) {
    if (size > MAX_HASH_KEY_BYTES) throw new ValidationException(MSG_HASH_SIZE);
  } else if (size > MAX_RANGE_KEY_BYTES) {
    throw new ValidationException(MSG_RANGE_SIZE);
  }
}

function checkItemKeyAttribute(item: Item, attribute: KeyAttribute, isPartition: boolean): void {
  const value = item[attribute.name];
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
  checkItemKeyAttribute(item, schema.partitionKey, true);
  if (schema.sortKey !== undefined) checkItemKeyAttribute(item, schema.sortKey, false);
}

function validateKeyAttribute(key: Record<string, unknown>, attribute: KeyAttribute, isPartition: boolean): AttributeValue {
  const raw = key[attribute.name];
  if (raw === undefined || !Object.prototype.hasOwnProperty.call(key, attribute.name)) {
    throw new ValidationException(MSG_SCHEMA);
  }
  const value = validateAttributeValue(raw);
  if (attributeTypeOf(value) !== attribute.type) throw new ValidationException(MSG_SCHEMA);
  checkKeyValue(value, attribute, isPartition);
  return value;
}

/**
 * Validates a request `Key` (GetItem, DeleteItem, …) against the table's key schema and returns it
 * normalized and frozen. Throws ValidationException: an invalid AttributeValue's own message first,
 * then "The provided key element does not match the schema" for a wrong attribute count, a missing
 * attribute or a wrong type, then the empty-value and key size messages.
 */
export function validateKey(key: Record<string, unknown>, schema: PrimaryKeySchema): Key {
  let count = 0;
  for (const name in key) {
    if (!Object.prototype.hasOwnProperty.call(key, name) || key[name] === undefined) continue;
    count++;
    // Every value is a valid AttributeValue before its place in the schema is looked at.
    if (name !== schema.partitionKey.name && name !== schema.sortKey?.name) validateAttributeValue(key[name]);
  }
  const { partitionKey, sortKey } = schema;
  if (count !== (sortKey === undefined ? 1 : 2)) {
    // Still report an invalid value of a key attribute before the count.
    for (const attribute of sortKey === undefined ? [partitionKey] : [partitionKey, sortKey]) {
      if (key[attribute.name] !== undefined) validateAttributeValue(key[attribute.name]);
    }
    throw new ValidationException(MSG_SCHEMA);
  }
  const partition = validateKeyAttribute(key, partitionKey, true);
  if (sortKey === undefined) return Object.freeze({ [partitionKey.name]: partition }) as Key;
  const sort = validateKeyAttribute(key, sortKey, false);
  return Object.freeze({ [partitionKey.name]: partition, [sortKey.name]: sort }) as Key;
}

/** Just the key attributes of an item (which must carry them: validate it with validateItemKey first), frozen. */
export function keyOf(item: Item, schema: PrimaryKeySchema): Key {
  const partition = item[schema.partitionKey.name] as AttributeValue;
  if (schema.sortKey === undefined) return Object.freeze({ [schema.partitionKey.name]: partition }) as Key;
  const sort = item[schema.sortKey.name] as AttributeValue;
  return Object.freeze({ [schema.partitionKey.name]: partition, [schema.sortKey.name]: sort }) as Key;
}
