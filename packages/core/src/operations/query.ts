import type { Engine } from '../engine.js';
import { INVALID, ValidationException } from '../errors.js';
import { CONDITION_COUNT_MESSAGE, type KeyConditions } from '../expressions/key-conditions.js';
import { prepareCheckedExpressions } from '../expressions/prepare.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import type { KeyValue } from '../model/compare-keys.js';
import { isMultiAttribute, keyAttributesOf, type KeyAttribute } from '../model/key-schema.js';
import { setMember } from '../model/set-member.js';
import { encodeKeyComponent, encodeKeyComponentBody, encodeKeyPart } from '../model/tuple-key.js';
import { hashPrefixOfKeyValue } from '../storage/hash-prefix.js';
import { encodeCollectionPrefix, encodeSortPrefix, partitionHashOf } from '../storage/storage-key.js';
import type { ConsumedCapacity, ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkKeyPaths, conditionHeads, conditionPaths } from './expression-paths.js';
import { readPage } from './read-page.js';
import { readTarget, type ReadTarget } from './read-target.js';
import { checkGlobalSelect, fetchesFromTable } from './select-rules.js';
import { checkStartKeyPiece, checkStartKeySize, checkStartKeyTableKey, startStorageKey } from './start-key.js';
import { validateStartKeyValues, type Select } from './validation/read-request.js';
import { checkKeyConditionsPresent, validateQueryInput } from './validation/validate-query-input.js';

/** A legacy Condition (KeyConditions, QueryFilter). */
export interface Condition {
  ComparisonOperator: 'EQ' | 'NE' | 'IN' | 'LE' | 'LT' | 'GE' | 'GT' | 'BETWEEN' | 'NOT_NULL' | 'NULL' | 'CONTAINS' | 'NOT_CONTAINS' | 'BEGINS_WITH';
  AttributeValueList?: AttributeValue[];
}

export interface QueryInput {
  TableName: string;
  IndexName?: string;
  Select?: Select;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ScanIndexForward?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Record<string, AttributeValue>;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  /** Legacy: prefer KeyConditionExpression. */
  KeyConditions?: Record<string, Condition>;
  /** Legacy: prefer FilterExpression. */
  QueryFilter?: Record<string, Condition>;
  /** Legacy: how QueryFilter's conditions combine. */
  ConditionalOperator?: 'AND' | 'OR';
  /** Legacy: prefer ProjectionExpression. */
  AttributesToGet?: string[];
}

export interface QueryOutput {
  /** The matching items (or their projections), in sort key order. Read-only: stored items are frozen and shared. */
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Record<string, AttributeValue>;
  ConsumedCapacity?: ConsumedCapacity | undefined;
}

const NOT_INDEXABLE: ReadonlySet<string> = new Set(['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN']);

function fail(message: string): never {
  throw new ValidationException(message);
}

/** A sort key range as sortable strings (model/tuple-key.ts): from `low` (inclusive) to `high` (exclusive), either open. */
interface SortRange {
  readonly low?: string | undefined;
  readonly high?: string | undefined;
}

/** No sort key condition. */
const UNBOUNDED: SortRange = Object.freeze({});

function inSortRange(range: SortRange, key: string): boolean {
  return (range.low === undefined || key >= range.low) && (range.high === undefined || key < range.high);
}

function missed(attribute: KeyAttribute): string {
  return `Query condition missed key schema element: ${attribute.name}`;
}

/**
 * The key conditions against the key schema read (dynalite actions/query.js, verified against DynamoDB for
 * one-attribute keys), the ExclusiveStartKey's key attributes checked along, attribute by attribute,
 * partition key first: an equality condition on every partition key attribute; on the sort key attributes,
 * conditions on a leading run of them (none skipped), every one but the last an equality; nothing else.
 */
function checkKeyConditions(conditions: KeyConditions, target: ReadTarget, start: Readonly<Record<string, AttributeValue>> | undefined): void {
  const schema = target.keySchema;
  const { partitionKeys, sortKeys } = schema;
  // A key of one partition and at most one sort attribute takes two conditions at most (multi-attribute keys more).
  if (conditions.size > 2 && !isMultiAttribute(schema)) fail(CONDITION_COUNT_MESSAGE);
  let used = 0;
  let missing: KeyAttribute | undefined;
  let ranged = false;
  for (let i = 0; i < partitionKeys.length + sortKeys.length; i++) {
    const isPartition = i < partitionKeys.length;
    const attribute = isPartition ? partitionKeys[i]! : sortKeys[i - partitionKeys.length]!;
    if (start !== undefined) checkStartKeyPiece(start, attribute, isPartition);
    // Without a sort key, the partition key's conditions are all a query can have.
    if (i === 0 && sortKeys.length === 0 && conditions.size > partitionKeys.length) fail('Query key condition not supported');
    const condition = conditions.get(attribute.name);
    if (condition === undefined) {
      if (isPartition) fail(missed(attribute));
      missing ??= attribute;
      continue;
    }
    if (missing !== undefined) fail(missed(missing));
    if (NOT_INDEXABLE.has(condition.operator)) fail('Attempted conditional constraint is not an indexable operation');
    for (const value of condition.values) {
      if (!(attribute.type in value)) fail(`${INVALID}Condition parameter type does not match schema type`);
    }
    if (isPartition ? condition.operator !== 'EQ' : ranged) fail('Query key condition not supported');
    if (condition.operator !== 'EQ') ranged = true;
    used++;
  }
  if (used !== conditions.size) fail(missing !== undefined ? missed(missing) : 'Query key condition not supported');
}

/**
 * The partition key the checked key conditions select, as a sortable string, and its hash prefix. A
 * one-attribute key (the usual one) is encoded and hashed from its value, without a key record.
 */
function partitionOf(conditions: KeyConditions, partitionKeys: readonly KeyAttribute[]): { partitionKey: string; hash: number } {
  if (partitionKeys.length === 1) {
    const value = conditions.get(partitionKeys[0]!.name)!.values[0] as KeyValue;
    return { partitionKey: encodeKeyComponent(value, 1), hash: hashPrefixOfKeyValue(value) };
  }
  const partition: Record<string, AttributeValue> = {};
  for (const { name } of partitionKeys) setMember(partition, name, conditions.get(name)!.values[0]!);
  const partitionKey = encodeKeyPart(partition, partitionKeys)!;
  return { partitionKey, hash: partitionHashOf(partition, partitionKeys, partitionKey) };
}

/**
 * The sort key range that checked key conditions select (undefined: no sort key condition). A sort key's
 * encoding (model/tuple-key.ts) keeps the keys whose leading attributes equal given values together,
 * sharing a prefix: the equalities extend that prefix, the one range condition bounds the next attribute
 * within it.
 */
function sortRangeOf(conditions: KeyConditions, sortKeys: readonly KeyAttribute[]): SortRange | undefined {
  const count = sortKeys.length;
  let prefix = '';
  for (const { name } of sortKeys) {
    const condition = conditions.get(name);
    if (condition === undefined) break;
    const values = condition.values as readonly KeyValue[];
    const equal = prefix + encodeKeyComponent(values[0]!, count);
    const low = prefix === '' ? undefined : prefix;
    const high = prefix === '' ? undefined : above(prefix, count);
    switch (condition.operator) {
      case 'EQ':
        prefix = equal;
        continue;
      case 'LT':
        return { low, high: equal };
      case 'LE':
        return { low, high: above(equal, count) };
      case 'GT':
        return { low: above(equal, count), high };
      case 'GE':
        return { low: equal, high };
      case 'BETWEEN':
        return { low: equal, high: above(prefix + encodeKeyComponent(values[1]!, count), count) };
      default: {
        // BEGINS_WITH: the component's encoding without its terminator is a prefix of every match.
        const begins = prefix + encodeKeyComponentBody(values[0]!, count);
        return { low: begins, high: successor(begins) };
      }
    }
  }
  return prefix === '' ? undefined : { low: prefix, high: above(prefix, count) };
}

/**
 * The least string above every sort key (of `count` attributes) starting with `encoded`, which ends a
 * whole component: a one-attribute key has no further components, a tuple component ends in a terminator.
 */
function above(encoded: string, count: number): string {
  return count === 1 ? encoded + '\u0000' : successor(encoded)!;
}

/**
 * Query: the items of one partition key (of the table or of an index) whose sort key satisfies the key
 * condition, in sort key order (ScanIndexForward false: descending), one page at a time: Limit items read
 * at most, a page ending once 1 MB has been read, LastEvaluatedKey whenever it ended early. The filter
 * applies after the read (Count vs ScannedCount); the projection and Select shape what returns.
 *
 * @internal
 */
export function query(engine: Engine, input: QueryInput): QueryOutput {
  const request = input as unknown as Record<string, unknown>;
  validateQueryInput(request);
  // The ExclusiveStartKey's values are checked after the legacy parameters, before the expressions.
  let start: Record<string, AttributeValue> | undefined;
  const startKey = request.ExclusiveStartKey;
  const beforeExpressions =
    startKey === undefined || startKey === null
      ? checkKeyConditionsPresent
      : () => {
          start = validateStartKeyValues(startKey);
          checkKeyConditionsPresent(request);
        };
  const { filter, projection, keyConditions } = prepareCheckedExpressions(request, 'Query', beforeExpressions);
  const consistentRead = input.ConsistentRead === true;
  const table = engine.itemTable(input.TableName);
  const target = readTarget(table, input.IndexName, consistentRead);
  const conditions = keyConditions!;

  if (start !== undefined) checkStartKeySize(start, target);
  checkKeyConditions(conditions, target, start);
  const schema = target.keySchema;
  const { partitionKey, hash } = partitionOf(conditions, schema.partitionKeys);
  const range = sortRangeOf(conditions, schema.sortKeys) ?? UNBOUNDED;
  const sortConstrained = range !== UNBOUNDED;

  let from: { sortKey: string; tableKey?: string; exclusive: boolean } | undefined;
  if (start !== undefined) {
    if (target.index !== undefined) checkStartKeyTableKey(start, table.keySchema);
    const startKey = startStorageKey(start, target);
    const samePartition = startKey.partitionKey === partitionKey;
    if (!sortConstrained) {
      if (!samePartition) fail('The provided starting key is outside query boundaries based on provided conditions');
    } else {
      if (!inSortRange(range, startKey.sortKey)) fail('The provided starting key does not match the range key predicate');
      if (!samePartition) fail('The query can return at most one row and cannot be restarted');
    }
    from = startKey.tableKey === undefined ? { sortKey: startKey.sortKey, exclusive: true } : { sortKey: startKey.sortKey, tableKey: startKey.tableKey, exclusive: true };
  }

  if (projection !== undefined) checkKeyPaths(projection.paths, table);
  if (filter !== undefined) {
    const heads = conditionHeads(filter);
    const member = input.QueryFilter !== undefined && input.QueryFilter !== null ? 'QueryFilter' : 'Filter Expression';
    for (const attribute of keyAttributesOf(schema)) {
      if (heads.has(attribute.name)) fail(`${member} can only contain non-primary key attributes: Primary key attribute: ${attribute.name}`);
    }
  }
  const select: Select = input.Select ?? (projection !== undefined ? 'SPECIFIC_ATTRIBUTES' : target.index !== undefined ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  checkGlobalSelect(target, select);
  if (filter !== undefined) checkKeyPaths(conditionPaths(filter), table);

  // Where the page starts, and where the sort key range ends in the direction read.
  const forward = input.ScanIndexForward !== false;
  const { low, high } = range;
  if (from === undefined) {
    if (forward && low !== undefined) from = { sortKey: low, exclusive: false };
    if (!forward && high !== undefined) from = { sortKey: high, exclusive: true };
  }
  // The bounds as encoded storage keys (storage-key.ts): a key's sort key component is below the
  // encoded `high` exactly when its sort key is below `high`, and at or above the encoded `low` exactly
  // when its sort key is at or above `low` (an index key's table-key tiebreak follows the component).
  let within: ((key: string) => boolean) | undefined;
  if (forward ? high !== undefined : low !== undefined) {
    const bound = encodeSortPrefix(encodeCollectionPrefix(hash, partitionKey), forward ? high! : low!);
    within = forward ? (key) => key < bound : (key) => key >= bound;
  }

  return readPage(
    engine,
    (visit, decodeOnce) => target.storage.visitItemCollection(hash, partitionKey, forward, from, visit, decodeOnce),
    target,
    {
      limit: input.Limit ?? undefined,
      filter,
      projection: select === 'SPECIFIC_ATTRIBUTES' ? projection : undefined,
      countOnly: select === 'COUNT',
      fetch: fetchesFromTable(target, select, projection, filter),
      visible: engine.visibilityOf(table),
      within,
      partitionKey: onePartitionKey(conditions, schema.partitionKeys),
    },
    input.TableName,
    input.ReturnConsumedCapacity,
    consistentRead,
  );
}

/** The partition key a one-attribute key's condition selects, as its name and value (readPage shares it). */
function onePartitionKey(conditions: KeyConditions, partitionKeys: readonly KeyAttribute[]): { name: string; value: AttributeValue } | undefined {
  if (partitionKeys.length !== 1) return undefined;
  const { name } = partitionKeys[0]!;
  return { name, value: conditions.get(name)!.values[0]! };
}

/** The least string above every string starting with `prefix` (undefined: none, the prefix is all U+FFFF). */
function successor(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}
