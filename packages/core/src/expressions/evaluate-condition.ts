// PLACEHOLDER: the evaluation work fills this in (issue 3).
import type { Item } from '../model/attribute-value.js';
import type { ConditionNode } from './ast.js';

/**
 * Whether a resolved condition holds for an item (`undefined`: no item). DynamoDB's semantics: comparisons
 * of different types are false, not errors; numbers by value; strings and binary by unsigned bytes.
 */
export function evaluateCondition(_condition: ConditionNode, _item: Item | undefined): boolean {
  return true;
}
