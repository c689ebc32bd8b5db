/**
 * DynamoDB's data model: an AttributeValue holds exactly one of the ten data types.
 * Numbers are strings (DynamoDB keeps 38 significant digits, more than a JS `number`),
 * binary values are `Uint8Array`s (base64 only on the wire).
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] };

/** The name of one of DynamoDB's data types (`S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`). */
export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

/** The types a key attribute (partition key or sort key) may have. */
export type ScalarAttributeType = 'S' | 'N' | 'B';

/** An item: attribute names to AttributeValues. Stored items are frozen and never mutated. */
export type Item = Record<string, AttributeValue>;

/** A primary key: the partition key attribute, and the sort key attribute if the table has one. */
export type Key = Record<string, AttributeValue>;

/** The one data type an AttributeValue holds (assumes a validated value). */
export function attributeTypeOf(value: AttributeValue): AttributeType {
  for (const type in value) return type as AttributeType;
  throw new Error('AttributeValue has no data type');
}
