import type { ScalarAttributeType } from './attribute-value.js';

/** One key attribute of a table or index: its name and its scalar type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: ScalarAttributeType;
}

/**
 * A resolved primary key schema: the partition key (HASH) and, optionally, the sort key (RANGE).
 *
 * A GSI with a multi-attribute key (more than one HASH or more than one RANGE element) also has
 * `partitionKeys` and `sortKeys`: every HASH and every RANGE attribute in KeySchema order, the
 * partition key being the tuple of the former and the sort key the tuple of the latter (`partitionKey`
 * and `sortKey` are then their first attributes). Ordinary schemas leave both undefined.
 */
export interface PrimaryKeySchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute | undefined;
  readonly partitionKeys?: readonly KeyAttribute[] | undefined;
  readonly sortKeys?: readonly KeyAttribute[] | undefined;
}

/** Every key attribute of a schema: partition key attribute(s), then sort key attribute(s). */
export function keyAttributesOf(schema: PrimaryKeySchema): KeyAttribute[] {
  if (schema.partitionKeys !== undefined) return [...schema.partitionKeys, ...(schema.sortKeys ?? [])];
  return schema.sortKey === undefined ? [schema.partitionKey] : [schema.partitionKey, schema.sortKey];
}
