/**
 * DynamoDB's exceptions, one class per exception name, with DynamoDB's exact `name` and `message`.
 * The wire layer (`aws/`) maps each to its `__type` and HTTP status.
 *
 * @example
 * try { await db.getItem({ TableName: 'missing', Key: { id: { S: '1' } } }) }
 * catch (e) { if (e instanceof ResourceNotFoundException) console.log(e.message); }
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

  /** The JSON error body DynamoDB answers with: `__type`, the message, and any members of this exception. */
  wireBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { __type: this.wireType };
    if (this.message) body.message = this.message;
    return body;
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

/** The prefix of DynamoDB's "One or more parameter values were invalid: …" ValidationException messages. */
export const INVALID = 'One or more parameter values were invalid: ';

/**
 * Coral's own service exceptions spell their message member with a capital M, where DynamoDB's and
 * Coral's validation exceptions write `message` (dynalite validations/index.js, recorded against DynamoDB:
 * `{"__type":"com.amazon.coral.service#SerializationException","Message":"…"}`).
 */
function coralServiceBody(error: DynamoDBError): Record<string, unknown> {
  const body: Record<string, unknown> = { __type: error.wireType };
  if (error.message) body.Message = error.message;
  return body;
}

/** The request body could not be parsed or has a value of the wrong JSON type. */
export class SerializationException extends DynamoDBError {
  override readonly name = 'SerializationException';
  readonly typePrefix = CORAL_SERVICE;
  override wireBody(): Record<string, unknown> {
    return coralServiceBody(this);
  }
}

/** The `X-Amz-Target` names no operation this database serves. */
export class UnknownOperationException extends DynamoDBError {
  override readonly name = 'UnknownOperationException';
  readonly typePrefix = CORAL_SERVICE;
  override wireBody(): Record<string, unknown> {
    return coralServiceBody(this);
  }
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

  override wireBody(): Record<string, unknown> {
    const body = super.wireBody();
    if (this.Item !== undefined) body.Item = this.Item;
    return body;
  }
}

/** A PartiQL INSERT found an item with the same primary key (INSERT never replaces an item). */
export class DuplicateItemException extends DynamoDBError {
  override readonly name = 'DuplicateItemException';
  readonly typePrefix = DYNAMODB;
}

/** One entry of TransactionCanceledException's CancellationReasons, in request order. */
export interface CancellationReason {
  /** `None`, `ConditionalCheckFailed`, `ValidationError`, `TransactionConflict`, `ItemCollectionSizeLimitExceeded`, … */
  Code: string;
  Message?: string;
  /** The item as it is, when the action asked ReturnValuesOnConditionCheckFailure ALL_OLD. */
  Item?: Record<string, unknown>;
}

/**
 * A transaction was cancelled: nothing it asked for was done. CancellationReasons has one entry per
 * action, in request order; the message lists their codes ("… specific reasons [None, ConditionalCheckFailed]").
 */
export class TransactionCanceledException extends DynamoDBError {
  override readonly name = 'TransactionCanceledException';
  readonly typePrefix = DYNAMODB;
  constructor(readonly CancellationReasons: CancellationReason[]) {
    super(
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${CancellationReasons.map((r) => r.Code).join(', ')}]`,
    );
  }

  override wireBody(): Record<string, unknown> {
    // This exception's JSON spells its message member with a capital M.
    return { __type: this.wireType, Message: this.message, CancellationReasons: this.CancellationReasons };
  }
}

/**
 * The message of a TransactionConflict cancellation reason and of TransactionConflictException, as
 * DynamoDB answers them (the API reference lists the reason's message with a trailing period, as it
 * does "The conditional request failed." which DynamoDB sends without one).
 */
export const MSG_TRANSACTION_CONFLICT = 'Transaction is ongoing for the item';

/**
 * A PutItem, UpdateItem or DeleteItem on an item an ongoing transaction holds (conflict simulation:
 * DatabaseOptions.transactionConflictWindowMs).
 */
export class TransactionConflictException extends DynamoDBError {
  override readonly name = 'TransactionConflictException';
  readonly typePrefix = DYNAMODB;
  constructor(message = MSG_TRANSACTION_CONFLICT) {
    super(message);
  }
}

/** A request with a ClientRequestToken whose first request is still in progress. */
export class TransactionInProgressException extends DynamoDBError {
  override readonly name = 'TransactionInProgressException';
  readonly typePrefix = DYNAMODB;
}

/** A ClientRequestToken was reused with a different request within its idempotency window. */
export class IdempotentParameterMismatchException extends DynamoDBError {
  override readonly name = 'IdempotentParameterMismatchException';
  readonly typePrefix = DYNAMODB;
}

/** Too many tables or indexes, or too many control-plane operations at once. */
export class LimitExceededException extends DynamoDBError {
  override readonly name = 'LimitExceededException';
  readonly typePrefix = DYNAMODB;
}

/**
 * Why a request was throttled (DynamoDB's ThrottlingReason): `reason` is resource + operation + limit
 * type (e.g. `TableWriteKeyRangeThroughputExceeded`), `resource` the table's or index's ARN.
 */
export interface ThrottlingReason {
  reason: string;
  resource: string;
}

/** The request rate is above the table's provisioned throughput (or a partition's). */
export class ProvisionedThroughputExceededException extends DynamoDBError {
  override readonly name = 'ProvisionedThroughputExceededException';
  readonly typePrefix = DYNAMODB;
  override readonly retryable = true;
  constructor(
    message: string,
    readonly ThrottlingReasons?: ThrottlingReason[],
  ) {
    super(message);
  }

  override wireBody(): Record<string, unknown> {
    const body = super.wireBody();
    if (this.ThrottlingReasons !== undefined) body.ThrottlingReasons = this.ThrottlingReasons;
    return body;
  }
}

/** The request rate is above an account or table quota. */
export class ThrottlingException extends DynamoDBError {
  override readonly name = 'ThrottlingException';
  readonly typePrefix = CORAL_SERVICE;
  override readonly retryable = true;
  constructor(
    message: string,
    /** Spelled with a lower-case t, as this exception's JSON (and the SDK's model) spells it. */
    readonly throttlingReasons?: ThrottlingReason[],
  ) {
    super(message);
  }

  override wireBody(): Record<string, unknown> {
    const body = super.wireBody();
    if (this.throttlingReasons !== undefined) body.throttlingReasons = this.throttlingReasons;
    return body;
  }
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

/** DynamoDB Streams: a shard iterator was used more than 15 minutes after GetShardIterator returned it. */
export class ExpiredIteratorException extends DynamoDBError {
  override readonly name = 'ExpiredIteratorException';
  readonly typePrefix = DYNAMODB;
}

/** DynamoDB Streams: the position asked for lies before the oldest record the shard still retains (24 h). */
export class TrimmedDataAccessException extends DynamoDBError {
  override readonly name = 'TrimmedDataAccessException';
  readonly typePrefix = DYNAMODB;
}

/** IAM refused the request: no policy allows it, or one denies it explicitly (access control). */
export class AccessDeniedException extends DynamoDBError {
  override readonly name = 'AccessDeniedException';
  readonly typePrefix = CORAL_SERVICE;
}

/** The request's access key is unknown (access control: no principal has it). */
export class UnrecognizedClientException extends DynamoDBError {
  override readonly name = 'UnrecognizedClientException';
  readonly typePrefix = CORAL_SERVICE;
}

/** GetResourcePolicy / DeleteResourcePolicy: the resource has no resource-based policy (or not that revision). */
export class PolicyNotFoundException extends DynamoDBError {
  override readonly name = 'PolicyNotFoundException';
  readonly typePrefix = DYNAMODB;
}
