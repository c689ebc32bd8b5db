import { ProvisionedThroughputExceededException, ThrottlingException, type DynamoDBError, type ThrottlingReason } from '../errors.js';

/** Why a table or index refused a request: DynamoDB's ThrottlingReason limit types. */
export type LimitType = 'ProvisionedThroughputExceeded' | 'KeyRangeThroughputExceeded' | 'MaxOnDemandThroughputExceeded' | 'AccountLimitExceeded';

/** One refusal: which resource (a table, or a GSI by its ARN), which direction, which limit. */
export interface Refusal {
  readonly resource: 'Table' | 'Index';
  readonly arn: string;
  readonly write: boolean;
  readonly limit: LimitType;
  /** Whether the resource is on-demand (its key-range refusals are ThrottlingException). */
  readonly onDemand: boolean;
}

const MSG_TABLE = 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const MSG_INDEX =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. ' +
  'Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API';
/**
 * An on-demand table's or GSI's partition limit, as applications log DynamoDB's ThrottlingException (the
 * longer text with "If exceptions persist, check if you have a hot key: …" is a transaction's
 * ThrottlingError cancellation reason, admission-hook.ts).
 */
const MSG_KEY_RANGE = 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly.';
const MSG_MAX_ON_DEMAND = 'Throughput exceeds the maximum OnDemandThroughput configured on table or index';
const MSG_ACCOUNT = 'Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase';

/** The ThrottlingReason of a refusal, e.g. `{ reason: 'IndexWriteProvisionedThroughputExceeded', resource: '…/index/byEmail' }`. */
export function throttlingReasonOf(refusal: Refusal): ThrottlingReason {
  return { reason: `${refusal.resource}${refusal.write ? 'Write' : 'Read'}${refusal.limit}`, resource: refusal.arn };
}

/**
 * The exception DynamoDB answers a refusal with: ProvisionedThroughputExceededException for a provisioned
 * table's or GSI's limits (its throughput and its partitions', with the same message: the reason tells
 * them apart), ThrottlingException for an on-demand one's (its partitions', its maximum, the account
 * quota) — "on-demand → ThrottlingException, provisioned → ProvisionedThroughputExceededException"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottling.html).
 */
export function throttlingError(refusal: Refusal): DynamoDBError {
  const reasons = [throttlingReasonOf(refusal)];
  switch (refusal.limit) {
    case 'ProvisionedThroughputExceeded':
      return new ProvisionedThroughputExceededException(refusal.resource === 'Table' ? MSG_TABLE : MSG_INDEX, reasons);
    case 'KeyRangeThroughputExceeded':
      if (refusal.onDemand) return new ThrottlingException(MSG_KEY_RANGE, reasons);
      return new ProvisionedThroughputExceededException(refusal.resource === 'Table' ? MSG_TABLE : MSG_INDEX, reasons);
    case 'MaxOnDemandThroughputExceeded':
      return new ThrottlingException(MSG_MAX_ON_DEMAND, reasons);
    case 'AccountLimitExceeded':
      return new ThrottlingException(MSG_ACCOUNT, reasons);
  }
}
