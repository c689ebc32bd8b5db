import type { Engine } from '../engine.js';
import { TransactionCanceledException, ValidationException } from '../errors.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { ConsumedCapacity, ReturnConsumedCapacity } from '../operations/consumed-capacity.js';
import { transactGetItems } from '../operations/transact-get-items.js';
import { transactWriteItems, type TransactWriteItem } from '../operations/transact-write-items.js';
import { validateExecuteTransactionInput } from '../operations/validation/validate-partiql-input.js';
import { MSG_DUPLICATE_ITEM, MSG_KEY_EQUALITY } from './messages.js';
import { planStatement, type Plan } from './plan-statement.js';
import { projectSelected } from './select-projection.js';
import { runStatementOperation } from './statement-operation.js';

export interface ParameterizedStatement {
  Statement: string;
  Parameters?: AttributeValue[];
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export interface ExecuteTransactionInput {
  /** 1 to 100 statements: all SELECTs of one item each, or all writes (INSERT, UPDATE, DELETE, EXISTS). */
  TransactStatements: ParameterizedStatement[];
  /** Makes the request idempotent for 10 minutes, as TransactWriteItems' token does. */
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

export interface ExecuteTransactionOutput {
  /** A read transaction's items, one entry per statement (`{}` when no item has the key). */
  Responses?: Array<{ Item?: Item }>;
  ConsumedCapacity?: ConsumedCapacity[];
}

// Unconfirmed against DynamoDB: the wording (the rule is the developer guide's).
const MSG_MIXED = 'Transactions must consist of either read statements or write statements, not both';

/**
 * ExecuteTransaction: up to 100 statements done all together or not at all. SELECTs (each of one item,
 * by its full key) run as one TransactGetItems; INSERT, UPDATE, DELETE and EXISTS(SELECT …) as one
 * TransactWriteItems, with its isolation, ClientRequestToken idempotency, capacity and
 * TransactionCanceledException (an INSERT that finds its key is a `DuplicateItem` reason).
 *
 * @internal
 */
export function executeTransaction(engine: Engine, input: ExecuteTransactionInput): ExecuteTransactionOutput {
  validateExecuteTransactionInput(input as unknown as Record<string, unknown>);
  const plans = input.TransactStatements.map((statement, i) => {
    const plan = planStatement(engine, statement.Statement, statement.Parameters, {
      returnValuesOnConditionCheckFailure: statement.ReturnValuesOnConditionCheckFailure,
    });
    // Both messages recorded against DynamoDB (nubo-db/dynamodb-conformance tier3 partiql).
    if ('ReturnValues' in plan.input) throw new ValidationException(`Validation failed in TransactStatements[${i}]: RETURNING clause is not supported in ExecuteTransaction.`);
    if ('IndexName' in plan.input) throw new ValidationException(`Validation failed in TransactStatements[${i}]: Reads on indices are not supported within transactions.`);
    return plan;
  });
  const reads = plans.filter((plan) => plan.operation === 'GetItem' || plan.operation === 'Query' || plan.operation === 'Scan').length;
  if (reads > 0 && reads < plans.length) throw new ValidationException(MSG_MIXED);
  return reads > 0 ? readTransaction(engine, plans, input) : writeTransaction(engine, plans, input);
}

function readTransaction(engine: Engine, plans: readonly Plan[], input: ExecuteTransactionInput): ExecuteTransactionOutput {
  const gets = plans.map((plan) => {
    if (plan.operation !== 'GetItem') throw new ValidationException(MSG_KEY_EQUALITY);
    return { Get: { TableName: plan.input.TableName, Key: plan.input.Key } };
  });
  const request: Parameters<typeof transactGetItems>[1] = { TransactItems: gets };
  if (input.ReturnConsumedCapacity !== undefined) request.ReturnConsumedCapacity = input.ReturnConsumedCapacity;
  const output = runStatementOperation(engine, 'ExecuteTransaction', 'TransactGetItems', request, () => transactGetItems(engine, request));
  const responses = (output.Responses ?? []).map((response, i) => {
    const plan = plans[i] as Extract<Plan, { operation: 'GetItem' }>;
    return response.Item === undefined ? {} : { Item: projectSelected(response.Item, plan.projection) };
  });
  const result: ExecuteTransactionOutput = { Responses: responses };
  if (output.ConsumedCapacity !== undefined) result.ConsumedCapacity = output.ConsumedCapacity;
  return result;
}

function writeTransaction(engine: Engine, plans: readonly Plan[], input: ExecuteTransactionInput): ExecuteTransactionOutput {
  const actions = plans.map((plan): TransactWriteItem => {
    switch (plan.operation) {
      case 'PutItem':
        return { Put: plan.input as TransactWriteItem['Put'] & object };
      case 'UpdateItem':
        return { Update: plan.input as TransactWriteItem['Update'] & object };
      case 'DeleteItem':
        return { Delete: plan.input };
      case 'ConditionCheck':
        return { ConditionCheck: plan.input };
      default:
        throw new ValidationException(MSG_KEY_EQUALITY);
    }
  });
  const request: Parameters<typeof transactWriteItems>[1] = { TransactItems: actions };
  if (input.ClientRequestToken !== undefined) request.ClientRequestToken = input.ClientRequestToken;
  if (input.ReturnConsumedCapacity !== undefined) request.ReturnConsumedCapacity = input.ReturnConsumedCapacity;
  try {
    const output = runStatementOperation(engine, 'ExecuteTransaction', 'TransactWriteItems', request, () => transactWriteItems(engine, request));
    return output.ConsumedCapacity === undefined ? {} : { ConsumedCapacity: output.ConsumedCapacity };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    // An INSERT's failed condition is its key existing.
    const reasons = error.CancellationReasons.map((reason, i) =>
      reason.Code === 'ConditionalCheckFailed' && plans[i]!.operation === 'PutItem' ? { Code: 'DuplicateItem', Message: MSG_DUPLICATE_ITEM } : reason,
    );
    throw new TransactionCanceledException(reasons);
  }
}

