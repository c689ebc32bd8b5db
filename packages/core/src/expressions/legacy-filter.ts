import { ValidationException } from '../errors.js';
import type { ConditionNode, PathNode } from './ast.js';
import { translateConditionMap } from './key-conditions.js';
import { conditionOf } from './legacy-expected.js';

/**
 * The legacy QueryFilter / ScanFilter (+ ConditionalOperator) as a resolved condition tree: each entry
 * checked in request order (its values, then their number and types: dynalite validateConditions,
 * verified against DynamoDB), joined with AND (or OR). Returns undefined when the filter is absent or
 * empty; ConditionalOperator needs two or more entries, with Expected's messages.
 */
export function translateLegacyFilter(input: Readonly<Record<string, unknown>>, member: 'QueryFilter' | 'ScanFilter'): ConditionNode | undefined {
  const conditions = translateConditionMap(input[member]);
  const operator = input.ConditionalOperator;
  const count = conditions === undefined ? 0 : conditions.size;
  if (operator !== undefined && operator !== null) {
    if (count === 0) throw new ValidationException('ConditionalOperator cannot be used without Filter or Expected');
    if (count === 1) throw new ValidationException('ConditionalOperator can only be used when Filter or Expected has two or more elements');
  }
  if (conditions === undefined) return undefined;
  let out: ConditionNode | undefined;
  for (const [name, { operator: op, values }] of conditions) {
    const path: PathNode = { kind: 'path', elements: [{ kind: 'name', name }] };
    const node = conditionOf(op, path, values);
    out = out === undefined ? node : { kind: operator === 'OR' ? 'or' : 'and', left: out, right: node };
  }
  return out;
}
