import type { Engine } from '../engine.js';
import { INVALID, ValidationException } from '../errors.js';
import { CONDITION_COUNT_MESSAGE, type KeyCondition, type KeyConditions } from '../expressions/key-conditions.js';
import { prepareExpressions } from '../expressions/prepare.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { encodeSortableKeyValue, type KeyValue } from '../model/compare-keys.js';
import { keyAttributesOf, type KeyAttribute, type PrimaryKeySchema } from '../model/key-schema.js';
import { encodeTupleComponent, encodeTupleComponentBody } from '../model/tuple-key.js';
import { hashPrefixOfKeyValue as hashOfKeyValue, hashPrefixOfString } from '../storage/hash-prefix.js';
import { encodeCollectionPrefix, encodeSortBound, encodeSortPrefix } from '../storage/storage-key.js';
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

/** A sort key range as sortable strings (model/compare-keys.ts). */
interface SortRange {
  /** Lowest sort key, and whether it is included. */
  low?: { readonly key: string; readonly inclusive: boolean } | undefined;
  /** Highest sort key, and whether it is included. */
  high?: { readonly key: string; readonly inclusive: boolean } | undefined;
  /** begins_with: every key starts with it. */
  prefix?: string | undefined;
}

function sortRangeOf(condition: KeyCondition | undefined): SortRange {
  if (condition === undefined) return {};
  const values = condition.values;
  const first = encodeSortableKeyValue(values[0] as KeyValue);
  switch (condition.operator) {
    case 'EQ':
      return { low: { key: first, inclusive: true }, high: { key: first, inclusive: true } };
    case 'LT':
      return { high: { key: first, inclusive: false } };
    case 'LE':
      return { high: { key: first, inclusive: true } };
    case 'GT':
      return { low: { key: first, inclusive: false } };
    case 'GE':
      return { low: { key: first, inclusive: true } };
    case 'BETWEEN':
      return { low: { key: first, inclusive: true }, high: { key: encodeSortableKeyValue(values[1] as KeyValue), inclusive: true } };
    default:
      // BEGINS_WITH: the sortable encodings of S and B keep prefixes (one code unit or byte per unit).
      return { low: { key: first, inclusive: true }, prefix: first };
  }
}

function inSortRange(range: SortRange, key: string): boolean {
  const { low, high, prefix } = range;
  if (low !== undefined && (low.inclusive ? key < low.key : key <= low.key)) return false;
  if (high !== undefined && (high.inclusive ? key > high.key : key >= high.key)) return false;
  return prefix === undefined || key.startsWith(prefix);
}

/**
 * The key conditions against the key schema read (dynalite actions/query.js, verified against DynamoDB),
 * the ExclusiveStartKey's key attributes checked along, attribute by attribute, partition key first.
 */
function checkKeyConditions(conditions: KeyConditions, target: ReadTarget, start: Readonly<Record<string, AttributeValue>> | undefined): void {
  const schema = target.keySchema;
  if (schema.partitionKeys !== undefined) return checkTupleKeyConditions(conditions, schema, start);
  if (conditions.size > 2) fail(CONDITION_COUNT_MESSAGE);
  const attributes: KeyAttribute[] = schema.sortKey === undefined ? [schema.partitionKey] : [schema.partitionKey, schema.sortKey];
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i]!;
    const isPartition = i === 0;
    if (start !== undefined) checkStartKeyPiece(start, attribute, isPartition);
    if (isPartition && schema.sortKey === undefined && conditions.size > 1) fail('Query key condition not supported');
    const condition = conditions.get(attribute.name);
    if (condition === undefined) {
      if (isPartition || conditions.size > 1) fail(`Query condition missed key schema element: ${attribute.name}`);
      continue;
    }
    if (NOT_INDEXABLE.has(condition.operator)) fail('Attempted conditional constraint is not an indexable operation');
    for (const value of condition.values) {
      if (!(attribute.type in value)) fail(`${INVALID}Condition parameter type does not match schema type`);
    }
    if (isPartition && condition.operator !== 'EQ') fail('Query key condition not supported');
  }
}

function checkConditionValues(condition: KeyCondition, attribute: KeyAttribute): void {
  if (NOT_INDEXABLE.has(condition.operator)) fail('Attempted conditional constraint is not an indexable operation');
  for (const value of condition.values) {
    if (!(attribute.type in value)) fail(`${INVALID}Condition parameter type does not match schema type`);
  }
}

/**
 * checkKeyConditions for a multi-attribute key: an equality condition on every partition key attribute;
 * on the sort key attributes, conditions on a leading run of them (none skipped), every one but the
 * last an equality; nothing else.
 */
function checkTupleKeyConditions(conditions: KeyConditions, schema: PrimaryKeySchema, start: Readonly<Record<string, AttributeValue>> | undefined): void {
  const partitionKeys = schema.partitionKeys!;
  const sortKeys = schema.sortKeys ?? [];
  if (start !== undefined) {
    for (const attribute of partitionKeys) checkStartKeyPiece(start, attribute, true);
    for (const attribute of sortKeys) checkStartKeyPiece(start, attribute, false);
  }
  let used = 0;
  for (const attribute of partitionKeys) {
    const condition = conditions.get(attribute.name);
    if (condition === undefined) fail(`Query condition missed key schema element: ${attribute.name}`);
    checkConditionValues(condition, attribute);
    if (condition.operator !== 'EQ') fail('Query key condition not supported');
    used++;
  }
  let ranged = false;
  let missing: KeyAttribute | undefined;
  for (const attribute of sortKeys) {
    const condition = conditions.get(attribute.name);
    if (condition === undefined) {
      missing ??= attribute;
      continue;
    }
    if (missing !== undefined) fail(`Query condition missed key schema element: ${missing.name}`);
    checkConditionValues(condition, attribute);
    if (ranged) fail('Query key condition not supported');
    if (condition.operator !== 'EQ') ranged = true;
    used++;
  }
  if (used !== conditions.size) {
    if (missing !== undefined) fail(`Query condition missed key schema element: ${missing.name}`);
    fail('Query key condition not supported');
  }
}

/** A multi-attribute key's partition (tuple encoded, with its hash) and sort key range from checked conditions. */
function tupleKeyRange(conditions: KeyConditions, schema: PrimaryKeySchema): { partitionKey: string; hash: number; range: SortRange; constrained: boolean } {
  let partitionKey = '';
  for (const attribute of schema.partitionKeys!) partitionKey += encodeTupleComponent(conditions.get(attribute.name)!.values[0] as KeyValue);
  let prefix = '';
  let last: KeyCondition | undefined;
  for (const attribute of schema.sortKeys ?? []) {
    const condition = conditions.get(attribute.name);
    if (condition === undefined) break;
    if (condition.operator !== 'EQ') {
      last = condition;
      break;
    }
    prefix += encodeTupleComponent(condition.values[0] as KeyValue);
  }
  const constrained = prefix !== '' || last !== undefined;
  // Keys starting with `p`: from p (inclusive) to its successor (exclusive; none: no upper bound).
  const within = (p: string): SortRange => {
    const top = successor(p);
    return { low: { key: p, inclusive: true }, high: top === undefined ? undefined : { key: top, inclusive: false } };
  };
  let range: SortRange = prefix === '' ? {} : within(prefix);
  if (last !== undefined) {
    const equal = (value: AttributeValue): string => prefix + encodeTupleComponent(value as KeyValue);
    const above = (value: AttributeValue): string => successor(equal(value))!;
    const values = last.values;
    const bounded = (low: SortRange['low'], high: SortRange['high']): SortRange => ({ low: low ?? range.low, high: high ?? range.high });
    switch (last.operator) {
      case 'LT':
        range = bounded(undefined, { key: equal(values[0]!), inclusive: false });
        break;
      case 'LE':
        range = bounded(undefined, { key: above(values[0]!), inclusive: false });
        break;
      case 'GT':
        range = bounded({ key: above(values[0]!), inclusive: true }, undefined);
        break;
      case 'GE':
        range = bounded({ key: equal(values[0]!), inclusive: true }, undefined);
        break;
      case 'BETWEEN':
        range = { low: { key: equal(values[0]!), inclusive: true }, high: { key: above(values[1]!), inclusive: false } };
        break;
      default:
        // BEGINS_WITH: the component's encoding without its terminator is a prefix of every match.
        range = within(prefix + encodeTupleComponentBody(values[0] as KeyValue));
    }
  }
  return { partitionKey, hash: hashPrefixOfString(partitionKey), range, constrained };
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
  let start: Record<string, AttributeValue> | undefined;
  const { filter, projection, keyConditions } = prepareExpressions(request, 'Query', () => {
    start = validateStartKeyValues(request.ExclusiveStartKey);
    checkKeyConditionsPresent(request);
  });
  const consistentRead = input.ConsistentRead === true;
  const table = engine.itemTable(input.TableName);
  const target = readTarget(table, input.IndexName, consistentRead);
  const conditions = keyConditions!;

  if (start !== undefined) checkStartKeySize(start, target);
  checkKeyConditions(conditions, target, start);
  const schema = target.keySchema;
  let partitionKey: string;
  let hash: number;
  let range: SortRange;
  let sortConstrained: boolean;
  if (schema.partitionKeys === undefined) {
    const partitionValue = conditions.get(schema.partitionKey.name)!.values[0] as KeyValue;
    partitionKey = encodeSortableKeyValue(partitionValue);
    hash = hashOfKeyValue(partitionValue);
    const sortCondition = schema.sortKey === undefined ? undefined : conditions.get(schema.sortKey.name);
    sortConstrained = sortCondition !== undefined;
    range = sortRangeOf(sortCondition);
  } else {
    ({ partitionKey, hash, range, constrained: sortConstrained } = tupleKeyRange(conditions, schema));
  }

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
  const { low, high, prefix } = range;
  if (from === undefined) {
    if (forward && low !== undefined) from = { sortKey: low.inclusive ? low.key : low.key + '\u0000', exclusive: false };
    if (!forward) {
      const top = prefix !== undefined ? successor(prefix) : high === undefined ? undefined : high.inclusive ? high.key + '\u0000' : high.key;
      if (top !== undefined) from = { sortKey: top, exclusive: true };
    }
  }
  // The bounds as encoded storage keys (storage-key.ts): a key's sort key component compares with a
  // bound's as the sort keys do, and an index key's table-key tiebreak follows the component.
  let within: ((key: string) => boolean) | undefined;
  const collection = forward ? (prefix ?? high) !== undefined : low !== undefined;
  if (collection) {
    const base = encodeCollectionPrefix(hash, partitionKey);
    if (forward) {
      if (prefix !== undefined) {
        const start = encodeSortPrefix(base, prefix);
        within = (key) => key.startsWith(start);
      } else {
        const bound = encodeSortBound(base, high!.key);
        within = high!.inclusive ? (key) => key < bound || key.startsWith(bound) : (key) => key < bound;
      }
    } else {
      const bound = encodeSortBound(base, low!.key);
      within = low!.inclusive ? (key) => key >= bound : (key) => key >= bound && !key.startsWith(bound);
    }
  }

  return readPage(
    engine,
    (visit) => target.storage.visitItemCollection(hash, partitionKey, forward, from, visit),
    target,
    {
      limit: input.Limit ?? undefined,
      filter,
      projection: select === 'SPECIFIC_ATTRIBUTES' ? projection : undefined,
      countOnly: select === 'COUNT',
      fetch: fetchesFromTable(target, select, projection, filter),
      visible: engine.visibilityOf(table),
      within,
    },
    input.TableName,
    input.ReturnConsumedCapacity,
    consistentRead,
  );
}

/** The least string above every string starting with `prefix` (undefined: none, the prefix is all U+FFFF). */
function successor(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}
