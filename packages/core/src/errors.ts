/**
 * DynamoDB's exceptions, one class per exception name, with DynamoDB's exact `name` and `message`.
 * The wire layer (`aws/`) maps each to its `__type` and HTTP status.
 *
 * @example
 * try { await db.getItem({ TableName: 'missing', Key: { id: { S: '1' } } }) }
 * catch (e) { if (e instanceof ResourceNotFoundException) … }
 */
export abstract class DynamoDBError extends Error {
  /** The `__type` prefix DynamoDB's JSON protocol puts before the exception name. */
  abstract readonly typePrefix: string;
  /** The HTTP status DynamoDB answers this exception with. */
  readonly statusCode: number = 400;
  /** Whether an SDK should retry the request. */
  readonly retryable: boolean = false;

  constructor(message: string) {
    super(message);
  }

  /** The full `__type` of the JSON error body, e.g. `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`. */
  get wireType(): string {
    return `${this.typePrefix}#${this.name}`;
  }
}

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810';
const CORAL_VALIDATE = 'com.amazon.coral.validate';
const CORAL_SERVICE = 'com.amazon.coral.service';

/** A request parameter is invalid. */
export class ValidationException extends DynamoDBError {
  override readonly name = 'ValidationException';
  readonly typePrefix = CORAL_VALIDATE;
}

/** The request body could not be parsed or has a value of the wrong JSON type. */
export class SerializationException extends DynamoDBError {
  override readonly name = 'SerializationException';
  readonly typePrefix = CORAL_SERVICE;
}

/** The `X-Amz-Target` names no operation this database serves. */
export class UnknownOperationException extends DynamoDBError {
  override readonly name = 'UnknownOperationException';
  readonly typePrefix = CORAL_SERVICE;
}

/** The table (or index, stream, backup) does not exist or is not ACTIVE. */
export class ResourceNotFoundException extends DynamoDBError {
  override readonly name = 'ResourceNotFoundException';
  readonly typePrefix = DYNAMODB;
}

/** The resource already exists, or is being created, updated or deleted. */
export class ResourceInUseException extends DynamoDBError {
  override readonly name = 'ResourceInUseException';
  readonly typePrefix = DYNAMODB;
}

/** A condition in the request evaluated to false. `Item` is set when ReturnValuesOnConditionCheckFailure is ALL_OLD. */
export class ConditionalCheckFailedException extends DynamoDBError {
  override readonly name = 'ConditionalCheckFailedException';
  readonly typePrefix = DYNAMODB;
  constructor(
    message = 'The conditional request failed',
    readonly Item?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Too many tables or indexes, or too many control-plane operations at once. */
export class LimitExceededException extends DynamoDBError {
  override readonly name = 'LimitExceededException';
  readonly typePrefix = DYNAMODB;
}

/** The request rate is above the table's provisioned throughput. */
export class ProvisionedThroughputExceededException extends DynamoDBError {
  override readonly name = 'ProvisionedThroughputExceededException';
  readonly typePrefix = DYNAMODB;
  override readonly retryable = true;
}

/** The request rate is above an account or table quota. */
export class ThrottlingException extends DynamoDBError {
  override readonly name = 'ThrottlingException';
  readonly typePrefix = CORAL_SERVICE;
  override readonly retryable = true;
}

/** An unexpected failure inside the database. */
export class InternalServerError extends DynamoDBError {
  override readonly name = 'InternalServerError';
  readonly typePrefix = DYNAMODB;
  override readonly statusCode = 500;
  override readonly retryable = true;
}

/**
 * A write would grow an item collection (the items of one partition key in a table with local
 * secondary indexes, plus their index entries) past its size limit (10 GB on DynamoDB).
 */
export class ItemCollectionSizeLimitExceededException extends DynamoDBError {
  override readonly name = 'ItemCollectionSizeLimitExceededException';
  readonly typePrefix = DYNAMODB;
}
