import type { Engine } from '../engine.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { ConsumedCapacity, ReturnConsumedCapacity } from '../operations/consumed-capacity.js';
import { validateExecuteStatementInput } from '../operations/validation/validate-partiql-input.js';
import { decodeNextToken, encodeNextToken } from './next-token.js';
import { planStatement } from './plan-statement.js';
import { runPlan } from './run-plan.js';

export interface ExecuteStatementInput {
  /** One PartiQL statement: SELECT, INSERT, UPDATE or DELETE. */
  Statement: string;
  /** The values of the statement's `?` parameters, in order. */
  Parameters?: AttributeValue[];
  ConsistentRead?: boolean;
  /** The NextToken of the previous page of this SELECT. */
  NextToken?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  /** The most items a SELECT evaluates (as Query's and Scan's Limit). */
  Limit?: number;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export interface ExecuteStatementOutput {
  /** A SELECT's items; a write's RETURNING item, if any. Read-only: stored items are frozen and shared. */
  Items?: Item[];
  /** Present when a SELECT has more items: pass it back with the same statement. */
  NextToken?: string;
  ConsumedCapacity?: ConsumedCapacity | undefined;
  /** Where a SELECT's page stopped (its NextToken holds it too). */
  LastEvaluatedKey?: Record<string, AttributeValue>;
}

/**
 * ExecuteStatement: runs one PartiQL statement as the operation it plans to (plan-statement.ts), with
 * that operation's validation, conditions, change records and consumed capacity.
 *
 * @internal
 */
export function executeStatement(engine: Engine, input: ExecuteStatementInput): ExecuteStatementOutput {
  validateExecuteStatementInput(input as unknown as Record<string, unknown>);
  const plan = planStatement(engine, input.Statement, input.Parameters, {
    consistentRead: input.ConsistentRead,
    returnConsumedCapacity: input.ReturnConsumedCapacity,
    returnValuesOnConditionCheckFailure: input.ReturnValuesOnConditionCheckFailure,
  });
  const startKey = input.NextToken === undefined ? undefined : decodeNextToken(input.Statement, input.NextToken);
  const result = runPlan(engine, 'ExecuteStatement', plan, input.Limit, startKey);
  const output: ExecuteStatementOutput = { Items: result.items };
  if (result.lastEvaluatedKey !== undefined) {
    output.NextToken = encodeNextToken(input.Statement, result.lastEvaluatedKey);
    output.LastEvaluatedKey = result.lastEvaluatedKey;
  }
  if (result.consumedCapacity !== undefined) output.ConsumedCapacity = result.consumedCapacity;
  return output;
}
