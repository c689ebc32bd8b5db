// PLACEHOLDER: the validation/resolution work fills this in (issue 3).
import type { ConditionNode, ProjectionNode, UpdateNode } from './ast.js';

/** The operations whose requests carry expressions or their legacy equivalents. */
export type ExpressionOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'GetItem' | 'Query' | 'Scan';

/** A request's expressions, parsed, validated and resolved (no placeholders left), legacy parameters translated. */
export interface PreparedExpressions {
  /** ConditionExpression, or the legacy Expected + ConditionalOperator. */
  readonly condition?: ConditionNode | undefined;
  /** UpdateExpression, or the legacy AttributeUpdates. */
  readonly update?: UpdateNode | undefined;
  /** ProjectionExpression, or the legacy AttributesToGet. */
  readonly projection?: ProjectionNode | undefined;
  /** FilterExpression, or the legacy QueryFilter/ScanFilter (Query and Scan). */
  readonly filter?: ConditionNode | undefined;
  /** KeyConditionExpression, or the legacy KeyConditions (Query). */
  readonly keyCondition?: ConditionNode | undefined;
}

/**
 * Everything DynamoDB checks about a request's expressions before it looks at the table, in its order and
 * with its messages: legacy and expression parameters mixed, syntax, reserved words, undefined/unused/empty
 * ExpressionAttributeNames and ExpressionAttributeValues, operand types, overlapping paths, limits.
 * Returns the resolved trees. Throws ValidationException.
 */
export function prepareExpressions(_input: Readonly<Record<string, unknown>>, _operation: ExpressionOperation): PreparedExpressions {
  return {};
}
