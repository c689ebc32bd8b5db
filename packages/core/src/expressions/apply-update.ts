// PLACEHOLDER: the evaluation work fills this in (issue 3).
import type { Item } from '../model/attribute-value.js';
import type { UpdateNode } from './ast.js';

/**
 * Applies a resolved UpdateExpression to an item (`old` undefined: the item does not exist yet, and
 * `key` seeds the new item). Returns a new frozen item; never mutates `old`. Throws ValidationException
 * with DynamoDB's runtime messages (e.g. "The document path provided in the update expression is invalid
 * for update", "An operand in the update expression has an incorrect data type").
 */
export function applyUpdate(_update: UpdateNode, old: Item | undefined, key: Item): Item {
  return old ?? key;
}
