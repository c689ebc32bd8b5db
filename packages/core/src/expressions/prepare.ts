import type { ConditionNode, ProjectionNode, UpdateNode } from './ast.js';
import { translateExpected } from './legacy-expected.js';
import { translateAttributesToGet } from './legacy-projection.js';
import { translateAttributeUpdates } from './legacy-updates.js';
import { parseConditionExpression, parseProjectionExpression, parseUpdateExpression } from './parse.js';
import { Resolver } from './resolve-expressions.js';
import { OPERATION_PARAMETERS, checkExpressionParameters, prepareSubstitutions } from './validate-parameters.js';

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
  /** KeyConditionExpression, or the legacy KeyConditions (Query). */
  readonly keyCondition?: ConditionNode | undefined;
}

const NOTHING: PreparedExpressions = Object.freeze({});

/**
 * The order in which each operation's expressions are parsed and resolved: a later expression's syntax
 * error loses to an earlier one's undefined name. UpdateItem: UpdateExpression, then ConditionExpression
 * (DynamoDB Local's externalToInternalUpdateAndConditionExpressions). Query's order there is Filter,
 * Projection, KeyCondition (externalToInternalExpressions) — to be confirmed with the Query work.
 */
type Step = 'update' | 'condition' | 'projection' | 'filter' | 'keyCondition';
const STEPS: Readonly<Record<ExpressionOperation, readonly Step[]>> = {
  PutItem: ['condition'],
  DeleteItem: ['condition'],
  UpdateItem: ['update', 'condition'],
  GetItem: ['projection'],
  Query: ['filter', 'projection', 'keyCondition'],
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
 *     its syntax (parse.ts: syntax, reserved words, function names, placement and nesting, duplicate clauses), then
 *     its resolution (resolve-expressions.ts: update paths overlapping/conflicting, undefined names/values,
 *     operand counts and types, distinct operands, BETWEEN bounds, operator count);
 *  5. ExpressionAttributeNames unused, then ExpressionAttributeValues unused.
 *
 * Table-dependent checks come later, from the caller: checkUpdateKeyAttributes after the table lookup.
 */
export function prepareExpressions(input: Readonly<Record<string, unknown>>, operation: ExpressionOperation): PreparedExpressions {
  checkExpressionParameters(input, operation);

  // Legacy parameters (mutually exclusive with expressions, so at most one of each pair is present).
  let update: UpdateNode | undefined;
  let condition: ConditionNode | undefined;
  let projection: ProjectionNode | undefined;
  if (operation === 'UpdateItem') update = translateAttributeUpdates(input);
  if (operation === 'PutItem' || operation === 'DeleteItem' || operation === 'UpdateItem') condition = translateExpected(input);
  if (operation === 'GetItem' || operation === 'Query' || operation === 'Scan') projection = translateAttributesToGet(input);

  const steps = STEPS[operation];
  let anyExpression = false;
  for (let i = 0; i < steps.length; i++) if (isPresent(input[MEMBER[steps[i]!]])) anyExpression = true;
  if (!anyExpression) {
    if (update === undefined && condition === undefined && projection === undefined) return NOTHING;
    return { condition, update, projection };
  }

  const resolver = new Resolver(prepareSubstitutions(input, OPERATION_PARAMETERS[operation].valuesWithout !== undefined));
  let filter: ConditionNode | undefined;
  let keyCondition: ConditionNode | undefined;
  for (const step of steps) {
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
  return { condition, update, projection, filter, keyCondition };
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}
