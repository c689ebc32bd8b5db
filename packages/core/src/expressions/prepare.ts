import type { ConditionNode, ProjectionNode, UpdateNode } from './ast.js';
import { checkKeyConditionCount, keyConditionsOfExpression, plannedKeyConditions, translateConditionMap, type KeyConditions } from './key-conditions.js';
import { translateExpected } from './legacy-expected.js';
import { translateLegacyFilter } from './legacy-filter.js';
import { translateAttributesToGet } from './legacy-projection.js';
import { translateAttributeUpdates } from './legacy-updates.js';
import { parseConditionExpression, parseProjectionExpression, parseUpdateExpression } from './parse-expressions.js';
import { Resolver } from './resolve-expressions.js';
import { OPERATION_PARAMETERS, checkExpressionParameters, hasExpression, prepareSubstitutions } from './validate-parameters.js';

export { checkUpdateKeyAttributes } from './validate-update-keys.js';

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
  /** Query: the key conditions of the KeyConditionExpression or of the legacy KeyConditions (1 or 2 of them). */
  readonly keyConditions?: KeyConditions | undefined;
}

const NOTHING: PreparedExpressions = Object.freeze({});

/**
 * The order in which each operation's expressions are parsed and resolved: a later expression's syntax
 * error loses to an earlier one's undefined name. UpdateItem: UpdateExpression, then ConditionExpression
 * (DynamoDB Local's externalToInternalUpdateAndConditionExpressions). Query: KeyCondition, Filter,
 * Projection (dynalite test/query.js, verified against DynamoDB: an empty or unparsable
 * KeyConditionExpression wins over an empty FilterExpression, which wins over an empty ProjectionExpression).
 */
type Step = 'update' | 'condition' | 'projection' | 'filter' | 'keyCondition';
const STEPS: Readonly<Record<ExpressionOperation, readonly Step[]>> = {
  PutItem: ['condition'],
  DeleteItem: ['condition'],
  UpdateItem: ['update', 'condition'],
  GetItem: ['projection'],
  Query: ['keyCondition', 'filter', 'projection'],
  Scan: ['filter', 'projection'],
};
const MEMBER: Readonly<Record<Step, 'UpdateExpression' | 'ConditionExpression' | 'ProjectionExpression' | 'FilterExpression' | 'KeyConditionExpression'>> = {
  update: 'UpdateExpression',
  condition: 'ConditionExpression',
  projection: 'ProjectionExpression',
  filter: 'FilterExpression',
  keyCondition: 'KeyConditionExpression',
};

/**
 * Everything DynamoDB checks about a request's expressions before it looks at the table, in its order and
 * with its messages. Returns the resolved trees. Throws ValidationException.
 *
 * The order (evidence: DynamoDB Local's InputConverter and ExpressionValidator, dynalite's
 * validations/*.js and tests verified against DynamoDB; see each module):
 *
 *  1. legacy and expression parameters mixed; ExpressionAttributeNames/Values without an expression
 *     (validate-parameters.ts — also run by the request validators, before the Key/Item values);
 *  2. legacy parameters: AttributeUpdates (UpdateItem), Expected + ConditionalOperator, AttributesToGet —
 *     each entry checked and translated in request order;
 *  3. if an expression is present: ExpressionAttributeNames empty / invalid key (too long, then syntax),
 *     ExpressionAttributeValues empty / invalid key, each value as an AttributeValue, each name value;
 *  4. per expression, in the operation's order (UpdateItem: UpdateExpression then ConditionExpression):
 *     its syntax (parse-expressions.ts: syntax, reserved words, function names, placement and nesting, duplicate clauses), then
 *     its resolution (resolve-expressions.ts: update paths overlapping/conflicting, undefined names/values,
 *     operand counts and types, distinct operands, BETWEEN bounds, operator count);
 *  5. ExpressionAttributeNames unused, then ExpressionAttributeValues unused.
 *
 * Table-dependent checks come later, from the caller: checkUpdateKeyAttributes after the table lookup.
 */
export function prepareExpressions(
  input: Readonly<Record<string, unknown>>,
  operation: ExpressionOperation,
  beforeExpressions?: (input: Readonly<Record<string, unknown>>) => void,
): PreparedExpressions {
  checkExpressionParameters(input, operation);
  return prepareCheckedExpressions(input, operation, beforeExpressions);
}

/**
 * prepareExpressions for a request whose validator already ran checkExpressionParameters (1 above), as
 * the GetItem, PutItem and Query validators do: the same checks from 2 on, without repeating 1.
 */
export function prepareCheckedExpressions(
  input: Readonly<Record<string, unknown>>,
  operation: ExpressionOperation,
  beforeExpressions?: (input: Readonly<Record<string, unknown>>) => void,
): PreparedExpressions {
  // Legacy parameters (mutually exclusive with expressions, so at most one of each pair is present).
  let update: UpdateNode | undefined;
  let condition: ConditionNode | undefined;
  let projection: ProjectionNode | undefined;
  let filter: ConditionNode | undefined;
  if (operation === 'UpdateItem') update = translateAttributeUpdates(input);
  if (operation === 'PutItem' || operation === 'DeleteItem' || operation === 'UpdateItem') condition = translateExpected(input);
  // Query checks QueryFilter before AttributesToGet; Scan, AttributesToGet before ScanFilter (dynalite test/query.js, scan.js).
  if (operation === 'Query') filter = translateLegacyFilter(input, 'QueryFilter');
  if (operation === 'GetItem' || operation === 'Query' || operation === 'Scan') projection = translateAttributesToGet(input);
  if (operation === 'Scan') filter = translateLegacyFilter(input, 'ScanFilter');
  // Query and Scan check their ExclusiveStartKey (and Scan its segments) here, before any expression.
  beforeExpressions?.(input);

  if (!hasExpression(input, operation)) {
    if (operation === 'Query') return { projection, filter, keyConditions: legacyKeyConditions(input, typeof input.IndexName === 'string') };
    if (update === undefined && condition === undefined && projection === undefined && filter === undefined) return NOTHING;
    return { condition, update, projection, filter };
  }

  const substitutions = prepareSubstitutions(input, OPERATION_PARAMETERS[operation].valuesWithout !== undefined);
  // A Query's KeyConditionExpression of the usual shape resolves by its cached plan when that cannot fail
  // (key-conditions.ts): then the full path would have resolved it, and the next error can only come from
  // the filter, the projection or unused substitutions, found here in the same order.
  const keyConditionText = input.KeyConditionExpression;
  if (operation === 'Query' && isPresent(keyConditionText)) {
    const planned = new Resolver(substitutions);
    const keyConditions = plannedKeyConditions(parseConditionExpression(keyConditionText as string, 'KeyConditionExpression'), substitutions, planned);
    if (keyConditions !== undefined) {
      const filterText = input.FilterExpression;
      if (isPresent(filterText)) filter = planned.condition(parseConditionExpression(filterText as string, 'FilterExpression'), 'FilterExpression');
      const projectionText = input.ProjectionExpression;
      if (isPresent(projectionText)) projection = planned.projection(parseProjectionExpression(projectionText as string));
      planned.checkUnused();
      return { projection, filter, keyConditions };
    }
  }
  const resolver = new Resolver(substitutions);
  let keyCondition: ConditionNode | undefined;
  for (const step of STEPS[operation]) {
    const text = input[MEMBER[step]];
    if (!isPresent(text)) continue;
    const source = text as string;
    switch (step) {
      case 'update':
        update = resolver.update(parseUpdateExpression(source));
        break;
      case 'condition':
        condition = resolver.condition(parseConditionExpression(source, 'ConditionExpression'), 'ConditionExpression');
        break;
      case 'projection':
        projection = resolver.projection(parseProjectionExpression(source));
        break;
      case 'filter':
        filter = resolver.condition(parseConditionExpression(source, 'FilterExpression'), 'FilterExpression');
        break;
      case 'keyCondition':
        keyCondition = resolver.condition(parseConditionExpression(source, 'KeyConditionExpression'), 'KeyConditionExpression');
        break;
    }
  }
  resolver.checkUnused();
  if (operation !== 'Query') return { condition, update, projection, filter };
  const onIndex = typeof input.IndexName === 'string';
  const keyConditions = keyCondition !== undefined ? keyConditionsOfExpression(keyCondition, onIndex) : legacyKeyConditions(input, onIndex);
  return { projection, filter, keyConditions };
}

/** Query's legacy KeyConditions, checked (each entry, then their number); undefined when absent. */
function legacyKeyConditions(input: Readonly<Record<string, unknown>>, onIndex: boolean): KeyConditions | undefined {
  const conditions = translateConditionMap(input.KeyConditions);
  if (conditions !== undefined) checkKeyConditionCount(conditions, onIndex);
  return conditions;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}
