import type { LambdaStreamRecord } from './lambda-record.js';

/** Why a batch was discarded, as Lambda names it in `requestContext.condition`. */
export type TriggerFailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/**
 * Lambda's on-failure destination record for a discarded DynamoDB-stream batch: it points at the records
 * (shard and sequence numbers) rather than carrying them.
 */
export interface TriggerFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: TriggerFailureCondition;
    approximateInvokeCount: number;
  };
  responseContext: {
    statusCode: number;
    executedVersion: string;
    /** `Unhandled` when the handler threw (absent when it reported batchItemFailures or was never invoked). */
    functionError?: string;
  };
  version: '1.0';
  /** ISO 8601, database clock. */
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

/** What a trigger knows about a batch it discards. */
export interface DiscardedBatch {
  readonly records: readonly LambdaStreamRecord[];
  readonly condition: TriggerFailureCondition;
  readonly invokeCount: number;
  readonly handlerThrew: boolean;
  readonly shardId: string;
  readonly streamArn: string;
  readonly functionArn: string;
  readonly nowMs: number;
}

/** Builds Lambda's on-failure record for a discarded batch (which is never empty). */
export function failureRecord(batch: DiscardedBatch): TriggerFailureRecord {
  const first = batch.records[0] as LambdaStreamRecord;
  const last = batch.records[batch.records.length - 1] as LambdaStreamRecord;
  return {
    requestContext: {
      requestId: requestId(),
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(batch.handlerThrew ? { functionError: 'Unhandled' } : {}),
    },
    version: '1.0',
    timestamp: new Date(batch.nowMs).toISOString(),
    DDBStreamBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
  };
}

// Lambda writes the arrival times to the second: 2019-11-14T00:13:19Z.
function arrival(record: LambdaStreamRecord): string {
  return new Date(Math.floor(record.dynamodb.ApproximateCreationDateTime) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function requestId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  const hex = () => Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-${hex()}-${hex()}${hex()}${hex()}`;
}
