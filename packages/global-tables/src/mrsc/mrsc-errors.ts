import { DynamoDBError } from '@magneto/core';

/**
 * A write to a multi-Region strongly consistent (MRSC) global table failed because another Region was
 * writing the same item at the same moment; nothing changed, and the write may be retried.
 */
export class ReplicatedWriteConflictException extends DynamoDBError {
  override readonly name = 'ReplicatedWriteConflictException';
  readonly typePrefix = 'com.amazonaws.dynamodb.v20120810';
}

// DynamoDB documents these refusals but not their wording: the messages below are Magneto's.
export const MSG_REPLICATED_WRITE_CONFLICT = 'Write conflict: the item is being modified by a request in another Region';
export const MSG_NO_QUORUM = 'The write could not reach a majority of the Regions of this multi-Region strongly consistent global table';
export const MSG_TRANSACTIONS_UNSUPPORTED = 'Transactions are not supported on multi-Region strongly consistent (MRSC) global tables';
export const MSG_TTL_UNSUPPORTED = 'Time to Live is not supported on multi-Region strongly consistent (MRSC) global tables';
export const MSG_MRSC_REGIONS = 'A multi-Region strongly consistent (MRSC) global table must have exactly three Regions: three replicas, or two replicas and one witness';
export const MSG_MRSC_NOT_EMPTY = 'A table must be empty to become a multi-Region strongly consistent (MRSC) global table';
export const MSG_MRSC_MODE_FIXED = "The consistency mode of a global table cannot be changed after it is created";
export const MSG_MRSC_LSI = 'Local secondary indexes are not supported on multi-Region strongly consistent (MRSC) global tables';
export const MSG_MRSC_NEEDS_REPLICAS = 'MultiRegionConsistency can only be specified when creating replicas with ReplicaUpdates';
export const MSG_WITNESS_NEEDS_STRONG = 'GlobalTableWitnessUpdates can only be specified for a multi-Region strongly consistent (MRSC) global table';
