import { INVALID, ValidationException } from '../errors.js';
import { attributeTypeOf, type AttributeValue, type Item } from '../model/attribute-value.js';
import { keyAttributesOf, type KeyAttribute } from '../model/key-schema.js';
import { memberOf } from '../model/set-member.js';
import type { SecondaryIndex } from './secondary-index.js';
import type { TableState } from './table-state.js';

function typeMismatch(attribute: KeyAttribute, value: AttributeValue, index: SecondaryIndex): ValidationException {
  return new ValidationException(
    `${INVALID}Type mismatch for Index Key ${attribute.name} Expected: ${attribute.type} ` +
      `Actual: ${attributeTypeOf(value)} IndexName: ${index.name}`,
  );
}

function emptyIndexKey(attribute: KeyAttribute, value: AttributeValue, index: SecondaryIndex): ValidationException {
  return new ValidationException(
    'One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
      `The AttributeValue for a key attribute cannot contain an empty ${'B' in value ? 'binary' : 'string'} value. ` +
      `IndexName: ${index.name}, IndexKey: ${attribute.name}`,
  );
}

function isEmptyKeyValue(value: AttributeValue): boolean {
  return ('S' in value && value.S.length === 0) || ('B' in value && value.B.length === 0);
}

function hasType(value: AttributeValue, type: KeyAttribute['type']): boolean {
  return type in value;
}

/**
 * Checks the index key attributes `item` carries: each must have its AttributeDefinition's type
 * ("Type mismatch for Index Key …") and must not be empty. Type mismatches are reported before empty
 * values, each in index definition order. Attributes the item lacks are fine: the item is just not
 * indexed. Throws ValidationException with DynamoDB's message.
 */
export function checkIndexKeys(table: TableState, item: Item): void {
  const indexes = table.indexes;
  for (const index of indexes) {
    for (const attribute of index.keySchema.partitionKeys) checkType(item, attribute, index);
    for (const attribute of index.keySchema.sortKeys) checkType(item, attribute, index);
  }
  for (const index of indexes) {
    for (const attribute of index.keySchema.partitionKeys) checkNotEmpty(item, attribute, index);
    for (const attribute of index.keySchema.sortKeys) checkNotEmpty(item, attribute, index);
  }
}

function checkType(item: Item, attribute: KeyAttribute, index: SecondaryIndex): void {
  const value = memberOf(item, attribute.name);
  if (value !== undefined && !hasType(value, attribute.type)) throw typeMismatch(attribute, value, index);
}

function checkNotEmpty(item: Item, attribute: KeyAttribute, index: SecondaryIndex): void {
  const value = memberOf(item, attribute.name);
  if (value !== undefined && isEmptyKeyValue(value)) throw emptyIndexKey(attribute, value, index);
}

/** Whether `item` has valid values for all of the index's key attributes (what a backfill indexes). */
export function indexable(index: SecondaryIndex, item: Item): boolean {
  return keyAttributesOf(index.keySchema).every((attribute) => {
    const value = memberOf(item, attribute.name);
    return value !== undefined && hasType(value, attribute.type) && !isEmptyKeyValue(value);
  });
}
