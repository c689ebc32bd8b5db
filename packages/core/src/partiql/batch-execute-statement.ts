import type { Engine } from '../engine.js';
import { ValidationException } from '../errors.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { keyAttributesOf } from '../model/key-schema.js';
import { memberOf } from '../model/set-member.js';
import type { ConsumedCapacity, ReturnConsumedCapacity } from '../operations/consumed-capacity.js';
import { validateBatchExecuteStatementInput } from '../operations/validation/validate-partiql-input.js';
import { mergeCapacity } from './merge-capacity.js';
import { MSG_KEY_EQUALITY } from './messages.js';
import { planStatement, type Plan } from './plan-statement.js';
import { runPlan } from './run-plan.js';
import { batchStatementError, type BatchStatementError } from './statement-error.js';

export interface BatchStatementRequest {
  Statement: string;
  Parameters?: AttributeValue[];
  ConsistentRead?: boolean;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export interface BatchExecuteStatementInput {
  /** 1 to 25 statements: all SELECTs of one item each, or all writes. */
  Statements: BatchStatementRequest[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

export interface BatchStatementResponse {
  Error?: BatchStatementError;
  TableName?: string;
  Item?: Item;
}

export interface BatchExecuteStatementOutput {
  /** One entry per statement, in request order: its item (SELECT), or its error. */
  Responses?: BatchStatementResponse[];
  ConsumedCapacity?: ConsumedCapacity[];
}

const MSG_MIXED = 'Read and write requests together in the same batch is not supported.';
const MSG_DUPLICATES = 'Provided list of item keys contains duplicates';

/**
 * BatchExecuteStatement: up to 25 statements, each run on its own as ExecuteStatement runs it; a
 * statement that fails answers its error in its `Responses` entry while the others succeed. A batch
 * reads (SELECTs of one item by its full key) or writes, never both, and names each item once.
 *
 * @internal
 */
export function batchExecuteStatement(engine: Engine, input: BatchExecuteStatementInput): BatchExecuteStatementOutput {
  validateBatchExecuteStatementInput(input as unknown as Record<string, unknown>);
  // 1. plan every statement; a statement that does not plan keeps its error for its response
  const planned = input.Statements.map((statement): Plan | BatchStatementError => {
    try {
      const plan = planStatement(engine, statement.Statement, statement.Parameters, {
        consistentRead: statement.ConsistentRead,
        returnConsumedCapacity: input.ReturnConsumedCapacity,
        returnValuesOnConditionCheckFailure: statement.ReturnValuesOnConditionCheckFailure,
      });
      if (plan.operation === 'Query' || plan.operation === 'Scan' || plan.operation === 'ConditionCheck') throw new ValidationException(MSG_KEY_EQUALITY);
      return plan;
    } catch (error) {
      return batchStatementError(error);
    }
  });

  // 2. all reads or all writes, each item once
  const plans = planned.filter((p): p is Plan => 'operation' in p);
  const reads = plans.filter((p) => p.operation === 'GetItem').length;
  if (reads > 0 && reads < plans.length) throw new ValidationException(MSG_MIXED);
  const items = new Set<string>();
  for (const plan of plans) {
    const identity = itemIdentity(engine, plan);
    if (items.has(identity)) throw new ValidationException(MSG_DUPLICATES);
    items.add(identity);
  }

  // 3. run each; a failure is its own response
  const capacities: (ConsumedCapacity | undefined)[] = [];
  const responses = planned.map((plan): BatchStatementResponse => {
    if (!('operation' in plan)) return { Error: plan };
    try {
      const result = runPlan(engine, 'BatchExecuteStatement', plan);
      capacities.push(result.consumedCapacity);
      const response: BatchStatementResponse = { TableName: plan.input.TableName };
      // A SELECT's item, or a write's RETURNING item: BatchExecuteStatement honours RETURNING (nubo-db/dynamodb-conformance).
      if (result.items[0] !== undefined) response.Item = result.items[0];
      return response;
    } catch (error) {
      return { Error: batchStatementError(error) };
    }
  });
  const output: BatchExecuteStatementOutput = { Responses: responses };
  const consumed = mergeCapacity(capacities);
  if (consumed.length > 0) output.ConsumedCapacity = consumed;
  return output;
}

/** The table and key a planned single-item statement names. */
function itemIdentity(engine: Engine, plan: Plan): string {
  if ('Key' in plan.input) return JSON.stringify([plan.input.TableName, plan.input.Key]);
  const item = (plan.input as { Item: Item }).Item;
  const key = keyAttributesOf(engine.itemTable(plan.input.TableName).keySchema).map((attribute) => memberOf(item, attribute.name));
  return JSON.stringify([plan.input.TableName, key]);
}
