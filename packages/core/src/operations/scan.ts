import type { Engine } from '../engine.js';
import { ValidationException } from '../errors.js';
import { prepareCheckedExpressions } from '../expressions/prepare.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { keyAttributesOf, type KeyAttribute } from '../model/key-schema.js';
import { HASH_SPACE } from '../storage/hash-prefix.js';
import { encodeStorageKey, type StorageKey } from '../storage/storage-key.js';
import type { ConsumedCapacity, ReturnConsumedCapacity } from './consumed-capacity.js';
import type { Condition } from './query.js';
import { checkKeyPaths, conditionPaths } from './expression-paths.js';
import { readPage } from './read-page.js';
import { readTarget } from './read-target.js';
import { checkGlobalSelect, fetchesFromTable } from './select-rules.js';
import { checkStartKeyPiece, checkStartKeySize, checkStartKeyTableKey, startStorageKey } from './start-key.js';
import { checkSelect, validateStartKeyValues, type Select } from './validation/read-request.js';
import { checkSegments, validateScanInput } from './validation/validate-scan-input.js';

export interface ScanInput {
  TableName: string;
  IndexName?: string;
  Select?: Select;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  Limit?: number;
  ExclusiveStartKey?: Record<string, AttributeValue>;
  /** A parallel Scan: this worker's segment, 0 to TotalSegments - 1. */
  Segment?: number;
  /** A parallel Scan: how many segments the table is divided into (1 to 1,000,000). */
  TotalSegments?: number;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  /** Legacy: prefer FilterExpression. */
  ScanFilter?: Record<string, Condition>;
  /** Legacy: how ScanFilter's conditions combine. */
  ConditionalOperator?: 'AND' | 'OR';
  /** Legacy: prefer ProjectionExpression. */
  AttributesToGet?: string[];
}

export interface ScanOutput {
  /** The items read that passed the filter (or their projections). Read-only: stored items are frozen and shared. */
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Record<string, AttributeValue>;
  ConsumedCapacity?: ConsumedCapacity | undefined;
}

function fail(message: string): never {
  throw new ValidationException(message);
}

/**
 * The hash-prefix range [low, high) of a parallel Scan segment: the 24-bit hash space cut into
 * TotalSegments contiguous ranges, so segments are disjoint and together cover the table.
 */
export function segmentRange(segment: number, totalSegments: number): { low: number; high: number } {
  return { low: Math.floor((HASH_SPACE * segment) / totalSegments), high: Math.floor((HASH_SPACE * (segment + 1)) / totalSegments) };
}

/**
 * Scan: every item of the table (or index) in storage order — DynamoDB's Scan order, by the hash of the
 * partition key — one page at a time, with Query's paging, filter, projection, Select and capacity rules.
 * Segment/TotalSegments read one of TotalSegments disjoint hash ranges.
 *
 * @internal
 */
export function scan(engine: Engine, input: ScanInput): ScanOutput {
  const request = input as unknown as Record<string, unknown>;
  validateScanInput(request);
  let start: Record<string, AttributeValue> | undefined;
  const { filter, projection } = prepareCheckedExpressions(request, 'Scan', () => {
    start = validateStartKeyValues(request.ExclusiveStartKey);
    checkSegments(request);
    checkSelect(request, '');
  });
  const consistentRead = input.ConsistentRead === true;
  const table = engine.itemTable(input.TableName);
  const target = readTarget(table, input.IndexName, consistentRead);
  const select: Select = input.Select ?? (projection !== undefined ? 'SPECIFIC_ATTRIBUTES' : target.index !== undefined ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');

  const total = input.TotalSegments ?? 1;
  const segment = input.Segment ?? 0;
  const { low, high } = segmentRange(segment, total);
  let after: StorageKey | undefined;
  if (start !== undefined) {
    checkStartKeySize(start, target);
    if (target.index !== undefined) {
      const schema = target.keySchema;
      const attributes: KeyAttribute[] = keyAttributesOf(schema);
      const partitionCount = schema.partitionKeys.length;
      for (let i = 0; i < attributes.length; i++) checkStartKeyPiece(start, attributes[i]!, i < partitionCount);
    }
  }
  checkGlobalSelect(target, select);
  if (start !== undefined) {
    checkStartKeyTableKey(start, table.keySchema);
    after = startStorageKey(start, target);
    if (after.hash < low || after.hash >= high) {
      fail(
        'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. ' +
          `TotalSegments: ${total} Segment: ${segment}`,
      );
    }
  }
  if (projection !== undefined) checkKeyPaths(projection.paths, table);
  if (filter !== undefined) checkKeyPaths(conditionPaths(filter), table);

  const partitionKeys = target.keySchema.partitionKeys;
  return readPage(
    engine,
    (visit, decodeOnce) => target.storage.visitScanRange(low, high, after === undefined ? undefined : encodeStorageKey(after), visit, decodeOnce),
    target,
    {
      limit: input.Limit ?? undefined,
      filter,
      projection: select === 'SPECIFIC_ATTRIBUTES' ? projection : undefined,
      countOnly: select === 'COUNT',
      fetch: fetchesFromTable(target, select, projection, filter),
      visible: engine.visibilityOf(table),
      within: undefined,
      collections: partitionKeys.length === 1 && partitionKeys[0]!.type === 'S' ? partitionKeys[0]!.name : undefined,
    },
    input.TableName,
    input.ReturnConsumedCapacity,
    consistentRead,
  );
}
