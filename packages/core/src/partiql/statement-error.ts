import { ConditionalCheckFailedException, DynamoDBError } from '../errors.js';
import type { Item } from '../model/attribute-value.js';

/** A statement's error in a BatchExecuteStatement response: `Responses[i].Error`. */
export interface BatchStatementError {
  /** `ConditionalCheckFailed`, `DuplicateItem`, `ValidationError`, `ResourceNotFound`, … */
  Code: string;
  Message: string;
  /** The item as it is, when the statement asked ReturnValuesOnConditionCheckFailure ALL_OLD. */
  Item?: Item;
}

/**
 * The BatchStatementErrorCodeEnum code of each exception a statement can end in (the API reference's
 * BatchStatementError): the exception name without `Exception`, and the throttling and server names
 * DynamoDB shortens.
 */
const CODES: Readonly<Record<string, string>> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  RequestLimitExceeded: 'RequestLimitExceeded',
  ValidationException: 'ValidationError',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  TransactionConflictException: 'TransactionConflict',
  ThrottlingException: 'ThrottlingError',
  InternalServerError: 'InternalServerError',
  ResourceNotFoundException: 'ResourceNotFound',
  AccessDeniedException: 'AccessDenied',
  DuplicateItemException: 'DuplicateItem',
};

/** The error entry of a failed statement; anything that is not one of DynamoDB's errors is rethrown. */
export function batchStatementError(error: unknown): BatchStatementError {
  if (!(error instanceof DynamoDBError)) throw error;
  const entry: BatchStatementError = { Code: CODES[error.name] ?? error.name, Message: error.message };
  if (error instanceof ConditionalCheckFailedException && error.Item !== undefined) entry.Item = error.Item as Item;
  return entry;
}
