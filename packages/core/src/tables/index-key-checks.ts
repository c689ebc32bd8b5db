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
    if (index.keySchema.partitionKeys !== undefined) {
      for (const attribute of keyAttributesOf(index.keySchema)) {
        const v = memberOf(item, attribute.name);
        if (v !== undefined && !hasType(v, attribute.type)) throw typeMismatch(attribute, v, index);
      }
      continue;
    }
    const { partitionKey, sortKey } = index.keySchema;
    const p = memberOf(item, partitionKey.name);
    if (p !== undefined && !hasType(p, partitionKey.type)) throw typeMismatch(partitionKey, p, index);
    if (sortKey !== undefined) {
      const s = memberOf(item, sortKey.name);
      if (s !== undefined && !hasType(s, sortKey.type)) throw typeMismatch(sortKey, s, index);
    }
  }
  for (const index of indexes) {
    if (index.keySchema.partitionKeys !== undefined) {
      for (const attribute of keyAttributesOf(index.keySchema)) {
        const v = memberOf(item, attribute.name);
        if (v !== undefined && isEmptyKeyValue(v)) throw emptyIndexKey(attribute, v, index);
      }
      continue;
    }
    const { partitionKey, sortKey } = index.keySchema;
    const p = memberOf(item, partitionKey.name);
    if (p !== undefined && isEmptyKeyValue(p)) throw emptyIndexKey(partitionKey, p, index);
    if (sortKey !== undefined) {
      const s = memberOf(item, sortKey.name);
      if (s !== undefined && isEmptyKeyValue(s)) throw emptyIndexKey(sortKey, s, index);
    }
  }
}

/** Whether `item` has valid values for all of the index's key attributes (what a backfill indexes). */
export function indexable(index: SecondaryIndex, item: Item): boolean {
  if (index.keySchema.partitionKeys !== undefined) {
    return keyAttributesOf(index.keySchema).every((a) => {
      const v = memberOf(item, a.name);
      return v !== undefined && hasType(v, a.type) && !isEmptyKeyValue(v);
    });
  }
  const { partitionKey, sortKey } = index.keySchema;
  const p = memberOf(item, partitionKey.name);
  if (p === undefined || !hasType(p, partitionKey.type) || isEmptyKeyValue(p)) return false;
  if (sortKey === undefined) return true;
  const s = memberOf(item, sortKey.name);
  return s !== undefined && hasType(s, sortKey.type) && !isEmptyKeyValue(s);
}
