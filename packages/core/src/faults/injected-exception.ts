import { DynamoDBError } from '../errors.js';

/** DynamoDB's wire form of each exception a fault can throw: its `__type` prefix and HTTP status. */
const WIRE_FORMS: Readonly<Record<string, { readonly typePrefix: string; readonly statusCode: number; readonly message: string }>> = {
  ProvisionedThroughputExceededException: {
    typePrefix: 'com.amazonaws.dynamodb.v20120810',
    statusCode: 400,
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  ThrottlingException: { typePrefix: 'com.amazon.coral.service', statusCode: 400, message: 'Rate of requests exceeds the allowed throughput.' },
  RequestLimitExceeded: {
    typePrefix: 'com.amazonaws.dynamodb.v20120810',
    statusCode: 400,
    message: 'Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase',
  },
  InternalServerError: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 500, message: 'Internal server error' },
  // DynamoDB's error reference lists ServiceUnavailable with HTTP 503.
  ServiceUnavailable: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 503, message: 'Service unavailable' },
  TransactionConflictException: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 400, message: 'Transaction is ongoing for the item' },
  TransactionInProgressException: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 400, message: 'Transaction is in progress' },
  ConditionalCheckFailedException: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 400, message: 'The conditional request failed' },
  ResourceNotFoundException: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 400, message: 'Requested resource not found' },
  ResourceInUseException: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 400, message: 'Resource in use' },
  LimitExceededException: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 400, message: 'Too many operations for a given subscriber' },
  ItemCollectionSizeLimitExceededException: { typePrefix: 'com.amazonaws.dynamodb.v20120810', statusCode: 400, message: 'Collection size exceeded.' },
  ValidationException: { typePrefix: 'com.amazon.coral.validate', statusCode: 400, message: 'Validation error' },
  AccessDeniedException: { typePrefix: 'com.amazon.coral.service', statusCode: 400, message: 'Access denied' },
  UnrecognizedClientException: { typePrefix: 'com.amazon.coral.service', statusCode: 400, message: 'The security token included in the request is invalid.' },
};

/** The exception names a fault can throw by name (any other needs its `typePrefix`). */
export const INJECTABLE_EXCEPTIONS: readonly string[] = Object.keys(WIRE_FORMS);

/**
 * An exception a fault rule throws: any DynamoDB exception by name, with its wire form (`__type`, HTTP
 * status: 500 for InternalServerError, 503 for ServiceUnavailable), so SDKs and retry strategies see what
 * DynamoDB would send.
 */
export class InjectedException extends DynamoDBError {
  override readonly name: string;
  readonly typePrefix: string;
  override readonly statusCode: number;
  override readonly retryable: boolean;

  constructor(name: string, message?: string, wire?: { typePrefix?: string; statusCode?: number }) {
    const known = WIRE_FORMS[name];
    if (known === undefined && wire?.typePrefix === undefined) {
      throw new TypeError(`faults(): unknown exception ${name}: use one of ${INJECTABLE_EXCEPTIONS.join(', ')}, or give its typePrefix`);
    }
    super(message ?? known?.message ?? '');
    this.name = name;
    this.typePrefix = wire?.typePrefix ?? known!.typePrefix;
    this.statusCode = wire?.statusCode ?? known?.statusCode ?? 400;
    this.retryable = this.statusCode >= 500 || /Throughput|Throttling|RequestLimit|InProgress/.test(name);
  }
}
