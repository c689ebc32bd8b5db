import { DynamoDBError } from '@magneto/core';

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810';

/** The global table (version 2017.11.29) does not exist in this region. */
export class GlobalTableNotFoundException extends DynamoDBError {
  override readonly name = 'GlobalTableNotFoundException';
  readonly typePrefix = DYNAMODB;
}

/** CreateGlobalTable: the table is a global table already. */
export class GlobalTableAlreadyExistsException extends DynamoDBError {
  override readonly name = 'GlobalTableAlreadyExistsException';
  readonly typePrefix = DYNAMODB;
}

/** UpdateGlobalTable: the region is a replica already. */
export class ReplicaAlreadyExistsException extends DynamoDBError {
  override readonly name = 'ReplicaAlreadyExistsException';
  readonly typePrefix = DYNAMODB;
}

/** UpdateGlobalTable / UpdateGlobalTableSettings: the region is not a replica. */
export class ReplicaNotFoundException extends DynamoDBError {
  override readonly name = 'ReplicaNotFoundException';
  readonly typePrefix = DYNAMODB;
}

/** CreateGlobalTable: the table does not exist in this region. */
export class TableNotFoundException extends DynamoDBError {
  override readonly name = 'TableNotFoundException';
  readonly typePrefix = DYNAMODB;
}
