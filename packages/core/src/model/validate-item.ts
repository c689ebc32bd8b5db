// PLACEHOLDER: filled in by the data-model work (see issue 2, item 2).
import type { AttributeValue, Item } from './attribute-value.js';
/**
 * Validates an item of a request (PutItem's `Item`) and returns a normalized, deeply frozen copy
 * (numbers normalized, sets kept in request order). Throws ValidationException with DynamoDB's message.
 */
export function validateItem(item: Record<string, unknown>): Item {
  return Object.freeze({ ...(item as Item) });
}
/** Validates one AttributeValue (any type) and returns a normalized, deeply frozen copy. */
export function validateAttributeValue(value: unknown): AttributeValue {
  return value as AttributeValue;
}
