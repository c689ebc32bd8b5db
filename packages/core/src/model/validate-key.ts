// PLACEHOLDER: filled in by the data-model work (see issue 2, item 2).
import type { Item, Key } from './attribute-value.js';
import type { PrimaryKeySchema } from './key-schema.js';
/**
 * Checks that a validated item carries the table's key attributes with the right types, non-empty,
 * within the key size limits. Throws ValidationException with DynamoDB's message.
 */
export function validateItemKey(_item: Item, _schema: PrimaryKeySchema): void {}
/**
 * Validates a request `Key` (GetItem, DeleteItem, …) against the table's key schema and returns it
 * normalized and frozen. Throws ValidationException ("The provided key element does not match the schema", …).
 */
export function validateKey(key: Record<string, unknown>, _schema: PrimaryKeySchema): Key {
  return key as Key;
}
