import type { ScalarAttributeType } from './attribute-value.js';

/** One key attribute of a table or index: its name and its scalar type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: ScalarAttributeType;
}

/**
 * A resolved primary key schema: the partition key (HASH) and the sort key (RANGE), each the tuple of its
 * attributes in KeySchema order. A table's partition key is one attribute and its sort key none or one; a
 * GSI's multi-attribute key has up to four of each. Every key rule (validation, storage keys, Query's key
 * conditions, start keys) reads the tuples, so one-attribute and multi-attribute keys share one code path
 * (a one-attribute part is stored as its value's own sortable string: model/tuple-key.ts).
 */
export interface PrimaryKeySchema {
  /** The partition key's attributes: one, or more for a multi-attribute GSI key. */
  readonly partitionKeys: readonly [KeyAttribute, ...KeyAttribute[]];
  /** The sort key's attributes: none (no sort key), one, or more for a multi-attribute GSI key. */
  readonly sortKeys: readonly KeyAttribute[];
}

/** Every key attribute of a schema: partition key attribute(s), then sort key attribute(s). */
export function keyAttributesOf(schema: PrimaryKeySchema): KeyAttribute[] {
  return [...schema.partitionKeys, ...schema.sortKeys];
}

/** Whether `name` is one of the schema's key attributes. */
export function isKeyAttribute(schema: PrimaryKeySchema, name: string): boolean {
  for (const attribute of schema.partitionKeys) if (attribute.name === name) return true;
  for (const attribute of schema.sortKeys) if (attribute.name === name) return true;
  return false;
}

/** Whether the partition key or the sort key has more than one attribute (a multi-attribute GSI key). */
export function isMultiAttribute(schema: PrimaryKeySchema): boolean {
  return schema.partitionKeys.length > 1 || schema.sortKeys.length > 1;
}
