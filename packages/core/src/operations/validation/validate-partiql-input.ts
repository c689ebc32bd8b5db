import { RETURN_CONSUMED_CAPACITY, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE, beginConstraints, type Constraints } from './constraints.js';
import { BOOLEAN, INTEGER, OPAQUE, STRING, checkShape, listOf, struct } from './shapes.js';

/**
 * The request checks of the PartiQL operations (ExecuteStatement, BatchExecuteStatement,
 * ExecuteTransaction): JSON types (SerializationException), then the API model's member constraints
 * as Coral reports them ("1 validation error detected: Value … at 'statement' failed to satisfy
 * constraint: …"). Statement 1..8192 characters, Parameters at least 1, Limit at least 1, NextToken
 * 1..32768, up to 25 batch and 100 transaction statements, ClientRequestToken 1..36 (the
 * DynamoDB API reference's ExecuteStatement, BatchExecuteStatement, ExecuteTransaction pages).
 */

const PARAMETERS = listOf(OPAQUE);
const STATEMENT_SHAPE = { Statement: STRING, Parameters: PARAMETERS, ConsistentRead: BOOLEAN, ReturnValuesOnConditionCheckFailure: STRING };

const EXECUTE_STATEMENT_SHAPE = struct('ExecuteStatementInput', {
  ...STATEMENT_SHAPE,
  NextToken: STRING,
  ReturnConsumedCapacity: STRING,
  Limit: INTEGER,
});
const BATCH_EXECUTE_STATEMENT_SHAPE = struct('BatchExecuteStatementInput', {
  Statements: listOf(struct('BatchStatementRequest', STATEMENT_SHAPE)),
  ReturnConsumedCapacity: STRING,
});
const EXECUTE_TRANSACTION_SHAPE = struct('ExecuteTransactionInput', {
  TransactStatements: listOf(struct('ParameterizedStatement', { Statement: STRING, Parameters: PARAMETERS, ReturnValuesOnConditionCheckFailure: STRING })),
  ClientRequestToken: STRING,
  ReturnConsumedCapacity: STRING,
});

/** One statement's members, under `path` (`statement`, `statements.1.member.statement`, …). */
function statementConstraints(c: Constraints, prefix: string, statement: Record<string, unknown>): void {
  if (c.notNull(`${prefix}statement`, statement.Statement)) c.length(`${prefix}statement`, statement.Statement, 1, 8192);
  c.minLength(`${prefix}parameters`, statement.Parameters, 1);
  c.oneOf(`${prefix}returnValuesOnConditionCheckFailure`, statement.ReturnValuesOnConditionCheckFailure, RETURN_VALUES_ON_CONDITION_CHECK_FAILURE);
}

/** ExecuteStatement's request. */
export function validateExecuteStatementInput(input: Record<string, unknown>): void {
  checkShape(input, EXECUTE_STATEMENT_SHAPE);
  const c = beginConstraints();
  statementConstraints(c, '', input);
  c.length('nextToken', input.NextToken, 1, 32768);
  c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  c.min('limit', input.Limit, 1);
  c.finish();
}

/** BatchExecuteStatement's request: 1 to 25 statements. */
export function validateBatchExecuteStatementInput(input: Record<string, unknown>): void {
  checkShape(input, BATCH_EXECUTE_STATEMENT_SHAPE);
  const c = beginConstraints();
  const statements = input.Statements as Record<string, unknown>[] | undefined;
  if (c.notNull('statements', statements)) {
    c.length('statements', statements, 1, 25);
    statements!.forEach((statement, i) => {
      if (c.notNull(`statements.${i + 1}.member`, statement)) statementConstraints(c, `statements.${i + 1}.member.`, statement);
    });
  }
  c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  c.finish();
}

/** ExecuteTransaction's request: 1 to 100 statements, a ClientRequestToken of 1 to 36 characters. */
export function validateExecuteTransactionInput(input: Record<string, unknown>): void {
  checkShape(input, EXECUTE_TRANSACTION_SHAPE);
  const c = beginConstraints();
  const statements = input.TransactStatements as Record<string, unknown>[] | undefined;
  if (c.notNull('transactStatements', statements)) {
    c.length('transactStatements', statements, 1, 100);
    statements!.forEach((statement, i) => {
      if (c.notNull(`transactStatements.${i + 1}.member`, statement)) statementConstraints(c, `transactStatements.${i + 1}.member.`, statement);
    });
  }
  c.length('clientRequestToken', input.ClientRequestToken, 1, 36);
  c.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  c.finish();
}
