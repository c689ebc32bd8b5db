import type { ScalarAttributeType } from './attribute-value.js';

/** One key attribute of a table or index: its name and its scalar type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: ScalarAttributeType;
}

/** A resolved primary key schema: the partition key (HASH) and, optionally, the sort key (RANGE). */
export interface PrimaryKeySchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute | undefined;
}
