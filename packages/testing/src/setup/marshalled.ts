import { encodeValue, type AttributeValue, type Item } from '@magneto/core';

/** A plain item as AttributeValues, as the Table API (and the DocumentClient) write it. */
export function marshalled(item: Record<string, unknown>): Item {
  const encoded: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    const attribute = encodeValue(value);
    if (attribute !== undefined) encoded[name] = attribute;
  }
  return encoded;
}
