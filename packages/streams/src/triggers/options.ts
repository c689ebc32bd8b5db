import { InvalidParameterValueException } from './errors.js';
import type { TriggerFailureRecord } from './failure-record.js';
import type { LambdaStreamRecord } from './lambda-record.js';
import { parseFilterCriteria, type FilterCriteria, type CompiledFilters } from './filter-pattern.js';

/** Where a new trigger starts reading: the oldest record still retained, or only records written from now on. */
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

/**
 * The options of `onChange`: the parameters of a Lambda event-source mapping on a DynamoDB stream
 * (CreateEventSourceMapping), with durations in milliseconds/seconds as named.
 */
export interface TriggerOptions {
  /** Most records per invocation (1..10,000; default 100). */
  batchSize?: number;
  /** How long to gather records before invoking with fewer than `batchSize` (0..300,000 ms of the database clock; default 0). */
  maximumBatchingWindowMs?: number;
  /** Default `LATEST`. */
  startingPosition?: StartingPosition;
  /** Lambda's event-filter patterns; records matching no filter are dropped (and checkpointed). At most 5 filters. */
  filterCriteria?: FilterCriteria;
  /** Retries of a failed batch before it is discarded (-1 = until the record expires, the default; max 10,000). */
  retryAttempts?: number;
  /** Records older than this are discarded (-1 = until they expire from the stream, the default; or 60..604,800). */
  maximumRecordAgeSeconds?: number;
  /** Split a failed batch in two before retrying (splits do not use up retry attempts). Default false. */
  bisectBatchOnFunctionError?: boolean;
  /** Receives Lambda's on-failure record for each discarded batch, and the discarded records themselves. */
  onFailure?: (failure: TriggerFailureRecord, records: readonly LambdaStreamRecord[]) => void | Promise<void>;
  /** Concurrent batches per shard (1..10; default 1); records with the same partition key stay in order. */
  parallelizationFactor?: number;
}

/** Options after validation, with Lambda's defaults filled in. */
export interface ResolvedTriggerOptions {
  readonly batchSize: number;
  readonly maximumBatchingWindowMs: number;
  readonly startingPosition: StartingPosition;
  readonly filters: CompiledFilters | undefined;
  readonly retryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly onFailure: TriggerOptions['onFailure'] | undefined;
  readonly parallelizationFactor: number;
}

/** Validates `onChange` options as CreateEventSourceMapping does and fills in the defaults. */
export function resolveTriggerOptions(options: TriggerOptions | undefined): ResolvedTriggerOptions {
  const o: TriggerOptions = options ?? {};
  if (typeof o !== 'object' || o === null) throw new InvalidParameterValueException('onChange options must be an object');
  const startingPosition = o.startingPosition ?? 'LATEST';
  if (startingPosition !== 'TRIM_HORIZON' && startingPosition !== 'LATEST') {
    throw new InvalidParameterValueException(
      `Unsupported starting position: ${String(startingPosition)}; a DynamoDB stream supports TRIM_HORIZON and LATEST`,
    );
  }
  const maximumRecordAgeSeconds = integer(o.maximumRecordAgeSeconds, 'maximumRecordAgeSeconds', -1, -1, 604_800);
  if (maximumRecordAgeSeconds !== -1 && maximumRecordAgeSeconds < 60) {
    throw constraint(maximumRecordAgeSeconds, 'maximumRecordAgeSeconds', 'Member must be -1 or have value greater than or equal to 60');
  }
  if (o.bisectBatchOnFunctionError !== undefined && typeof o.bisectBatchOnFunctionError !== 'boolean') {
    throw new InvalidParameterValueException('bisectBatchOnFunctionError must be a boolean');
  }
  if (o.onFailure !== undefined && typeof o.onFailure !== 'function') {
    throw new InvalidParameterValueException('onFailure must be a function');
  }
  return {
    batchSize: integer(o.batchSize, 'batchSize', 100, 1, 10_000),
    maximumBatchingWindowMs: integer(o.maximumBatchingWindowMs, 'maximumBatchingWindowMs', 0, 0, 300_000),
    startingPosition,
    filters: o.filterCriteria === undefined ? undefined : parseFilterCriteria(o.filterCriteria),
    retryAttempts: integer(o.retryAttempts, 'retryAttempts', -1, -1, 10_000),
    maximumRecordAgeSeconds,
    bisectBatchOnFunctionError: o.bisectBatchOnFunctionError ?? false,
    onFailure: o.onFailure,
    parallelizationFactor: integer(o.parallelizationFactor, 'parallelizationFactor', 1, 1, 10),
  };
}

function integer(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidParameterValueException(`${name} must be an integer, got ${String(value)}`);
  }
  if (value < min) throw constraint(value, name, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(value, name, `Member must have value less than or equal to ${max}`);
  return value;
}

// Lambda's wording for a parameter outside its range.
function constraint(value: number, name: string, rule: string): InvalidParameterValueException {
  return new InvalidParameterValueException(
    `1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: ${rule}`,
  );
}
