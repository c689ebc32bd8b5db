import { INVALID, ValidationException } from '../errors.js';
import type { ConditionNode, Operand, PathNode, ProjectionNode } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import { projectItem } from '../expressions/project-item.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { readCapacityUnits } from '../model/capacity.js';
import { encodeSortableKeyValue, type KeyValue } from '../model/compare-keys.js';
import { knownItemSize, utf8Length } from '../model/item-size.js';
import { keyAttributesOf, type KeyAttribute, type PrimaryKeySchema } from '../model/key-schema.js';
import { encodeTupleOf } from '../model/tuple-key.js';
import { hashPrefixOfKeyValue, hashPrefixOfString } from '../storage/hash-prefix.js';
import { primaryKeyCodeOf, primaryKeyIdentity, type StorageKey } from '../storage/storage-key.js';
import type { TableStorage, Visitor } from '../storage/table-storage.js';
import type { SecondaryIndex } from '../tables/secondary-index.js';
import type { TableState } from '../tables/table-state.js';
import { consumedCapacity, type ConsumedCapacity, type IndexUnits, type ReturnConsumedCapacity } from './consumed-capacity.js';
import type { Select } from './validation/read-request.js';
import { memberOf, setMember } from '../model/set-member.js';

/*
 * What Query and Scan share once a request is valid: the table or index read (its storage, key schema
 * and LastEvaluatedKey attributes), the ExclusiveStartKey checks against it, the checks on key attributes
 * in projections and filters, and the page loop — Limit counts items read (before the filter), a page
 * ends after the item that brings the bytes read to 1 MB, LastEvaluatedKey whenever it ended early —
 * with the capacity it consumed.
 */

/** A page ends after the item that brings the bytes read to this (DynamoDB's 1 MB). */
export const MAX_PAGE_BYTES = 1024 * 1024;

function fail(message: string): never {
  throw new ValidationException(message);
}

/** What a Query or Scan reads: the table itself, or one of its secondary indexes. */
export interface ReadTarget {
  readonly table: TableState;
  readonly index: SecondaryIndex | undefined;
  readonly storage: TableStorage;
  /** The key schema the items are ordered by (the index's for an index). */
  readonly keySchema: PrimaryKeySchema;
  /** LastEvaluatedKey's attributes: the table's key, then the index's key attributes not among them. */
  readonly startKeyAttributes: readonly KeyAttribute[];
}

const targets = new WeakMap<object, ReadTarget>();


/**
 * The table or index a request reads. Throws "The table does not have the specified index: …" and
 * "Consistent reads are not supported on global secondary indexes" (dynalite actions/query.js, scan.js).
 */
export function readTarget(table: TableState, indexName: string | undefined | null, consistentRead: boolean): ReadTarget {
  if (indexName === undefined || indexName === null) {
    let target = targets.get(table);
    if (target === undefined) {
      target = {
        table,
        index: undefined,
        storage: table.storage,
        keySchema: table.keySchema,
        startKeyAttributes: keyAttributesOf(table.keySchema),
      };
      targets.set(table, target);
    }
    return target;
  }
  const index = table.index(indexName);
  if (index === undefined) fail(`The table does not have the specified index: ${indexName}`);
  if (index.kind === 'GSI' && consistentRead) fail('Consistent reads are not supported on global secondary indexes');
  // A GSI being created online is not readable until its backfill ends (boto3 reports of DynamoDB's error).
  if (index.backfilling) fail('Cannot read from backfilling global secondary index');
  let target = targets.get(index);
  if (target === undefined || target.table !== table) {
    const attributes = keyAttributesOf(table.keySchema);
    for (const attribute of keyAttributesOf(index.keySchema)) {
      if (!attributes.some((a) => a.name === attribute.name)) attributes.push(attribute);
    }
    target = { table, index, storage: index.storage, keySchema: index.keySchema, startKeyAttributes: attributes };
    targets.set(index, target);
  }
  return target;
}

// ─── ExclusiveStartKey ───────────────────────────────────────────────────────────────────────────

/** "Exclusive Start Key must have same size as table's key schema" (the table's key plus, on an index, the index's). */
export function checkStartKeySize(start: Readonly<Record<string, AttributeValue>>, target: ReadTarget): void {
  let count = 0;
  for (const _ in start) count++;
  if (count !== target.startKeyAttributes.length) fail("Exclusive Start Key must have same size as table's key schema");
}

/**
 * One key attribute of an ExclusiveStartKey: present ("The provided starting key is invalid"), of the
 * schema's type ("The provided key element does not match the schema"), not empty, within the key size
 * limits (validate-key.ts's messages). dynalite db/index.js validateKeyPiece.
 */
export function checkStartKeyPiece(start: Readonly<Record<string, AttributeValue>>, attribute: KeyAttribute, isPartition: boolean): void {
  const value = memberOf(start, attribute.name);
  if (value === undefined) fail('The provided starting key is invalid');
  keyPieceError(value, attribute, isPartition, (m) => fail(m));
}

function keyPieceError(value: AttributeValue, attribute: KeyAttribute, isPartition: boolean, report: (message: string) => never): void {
  if (!(attribute.type in value)) report('The provided key element does not match the schema');
  let size: number;
  if ('S' in value) size = utf8Length(value.S);
  else if ('B' in value) size = value.B.length;
  else return;
  if (size === 0) {
    report(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${attribute.name}`,
    );
  }
  if (isPartition && size > 2048) report(`${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`);
  if (!isPartition && size > 1024) report(`${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`);
}

/** The ExclusiveStartKey's table key attributes: "The provided starting key is invalid: <why>". */
export function checkStartKeyTableKey(start: Readonly<Record<string, AttributeValue>>, schema: PrimaryKeySchema): void {
  const report = (message: string): never => fail(`The provided starting key is invalid: ${message}`);
  const attributes = keyAttributesOf(schema);
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i]!;
    const value = memberOf(start, attribute.name);
    if (value === undefined) report('The provided key element does not match the schema');
    keyPieceError(value!, attribute, i === 0, report);
  }
}

/** Where an ExclusiveStartKey (checked) sits in the target's storage. */
export function startStorageKey(start: Readonly<Record<string, AttributeValue>>, target: ReadTarget): StorageKey {
  const schema = target.keySchema;
  if (schema.partitionKeys !== undefined) {
    const partitionKey = encodeTupleOf(start, schema.partitionKeys)!;
    return {
      hash: hashPrefixOfString(partitionKey),
      partitionKey,
      sortKey: encodeTupleOf(start, schema.sortKeys ?? [])!,
      tableKey: primaryKeyIdentity(primaryKeyCodeOf(start, target.table.keySchema)),
    };
  }
  const partition = start[schema.partitionKey.name] as KeyValue;
  const sort = schema.sortKey === undefined ? undefined : (start[schema.sortKey.name] as KeyValue);
  const key: { hash: number; partitionKey: string; sortKey: string; tableKey?: string } = {
    hash: hashPrefixOfKeyValue(partition),
    partitionKey: encodeSortableKeyValue(partition),
    sortKey: sort === undefined ? '' : encodeSortableKeyValue(sort),
  };
  if (target.index !== undefined) key.tableKey = primaryKeyIdentity(primaryKeyCodeOf(start, target.table.keySchema));
  return key;
}

// ─── key attributes in projections and filters ───────────────────────────────────────────────────

/** Calls `visit` with every document path of a condition. */
export function forEachPath(node: ConditionNode, visit: (path: PathNode) => void): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      forEachPath(node.left, visit);
      forEachPath(node.right, visit);
      return;
    case 'not':
      forEachPath(node.operand, visit);
      return;
    case 'comparison':
      operandPaths(node.left, visit);
      operandPaths(node.right, visit);
      return;
    case 'between':
      operandPaths(node.operand, visit);
      operandPaths(node.low, visit);
      operandPaths(node.high, visit);
      return;
    case 'in':
      operandPaths(node.operand, visit);
      for (const candidate of node.candidates) operandPaths(candidate, visit);
      return;
    case 'function':
      for (const arg of node.args) operandPaths(arg, visit);
      return;
  }
}

function operandPaths(operand: Operand, visit: (path: PathNode) => void): void {
  if (operand.kind === 'path') visit(operand);
  else if (operand.kind === 'size') operandPaths(operand.operand, visit);
}

function headOf(path: PathNode): string {
  const first = path.elements[0];
  return first !== undefined && first.kind === 'name' ? first.name : '';
}

/**
 * "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: a"
 * (or "IndexKey: x") for a nested path into a table key attribute or any index's key attribute
 * (dynalite db/index.js validateKeyPaths: the table's key, then each GSI's, then each LSI's sort key).
 */
export function checkKeyPaths(paths: readonly PathNode[], table: TableState): void {
  let nested: Set<string> | undefined;
  for (const path of paths) if (path.elements.length > 1) (nested ??= new Set()).add(headOf(path));
  if (nested === undefined) return;
  const message = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ";
  for (const attribute of keyAttributesOf(table.keySchema)) if (nested.has(attribute.name)) fail(`${message}Key: ${attribute.name}`);
  for (const index of table.indexes) {
    if (index.kind !== 'GSI') continue;
    for (const attribute of keyAttributesOf(index.keySchema)) if (nested.has(attribute.name)) fail(`${message}IndexKey: ${attribute.name}`);
  }
  for (const index of table.indexes) {
    const sortKey = index.kind === 'LSI' ? index.keySchema.sortKey : undefined;
    if (sortKey !== undefined && nested.has(sortKey.name)) fail(`${message}IndexKey: ${sortKey.name}`);
  }
}

/** Every path of a condition (for checkKeyPaths). */
export function conditionPaths(node: ConditionNode | undefined): PathNode[] {
  const out: PathNode[] = [];
  if (node !== undefined) forEachPath(node, (path) => out.push(path));
  return out;
}

/** The top-level attribute names a condition reads. */
export function conditionHeads(node: ConditionNode): Set<string> {
  const out = new Set<string>();
  forEachPath(node, (path) => out.add(headOf(path)));
  return out;
}

/** The top-level attribute names a projection returns. */
export function projectionHeads(projection: ProjectionNode): Set<string> {
  const out = new Set<string>();
  for (const path of projection.paths) out.add(headOf(path));
  return out;
}

/** Select ALL_ATTRIBUTES on a GSI needs a projection of ALL (AWS-verified message). */
export function checkGlobalSelect(target: ReadTarget, select: Select | undefined): void {
  const index = target.index;
  if (select === 'ALL_ATTRIBUTES' && index !== undefined && index.kind === 'GSI' && index.projectedAttributes !== undefined) {
    fail(`${INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
  }
}

/**
 * Whether reading an LSI must fetch each item from the table: Select ALL_ATTRIBUTES, or a projection or
 * filter naming attributes the index does not hold. A GSI never fetches (what it lacks is just absent).
 */
export function fetchesFromTable(
  target: ReadTarget,
  select: Select,
  projection: ProjectionNode | undefined,
  filter: ConditionNode | undefined,
): boolean {
  const index = target.index;
  if (index === undefined || index.kind !== 'LSI') return false;
  const projected = index.projectedAttributes;
  if (projected === undefined) return false;
  if (select === 'ALL_ATTRIBUTES') return true;
  if (select === 'SPECIFIC_ATTRIBUTES' && projection !== undefined) {
    for (const name of projectionHeads(projection)) if (!projected.has(name)) return true;
  }
  if (filter !== undefined) for (const name of conditionHeads(filter)) if (!projected.has(name)) return true;
  return false;
}

// ─── the page ────────────────────────────────────────────────────────────────────────────────────

/** How to read one page. */
export interface PageOptions {
  readonly limit: number | undefined;
  readonly filter: ConditionNode | undefined;
  /** The projection to apply to returned items (SPECIFIC_ATTRIBUTES). */
  readonly projection: ProjectionNode | undefined;
  /** Select COUNT: no Items. */
  readonly countOnly: boolean;
  /** Fetch each index entry's item from the table (LSI reads needing unprojected attributes). */
  readonly fetch: boolean;
  /** Where the entries end (Query's sort key bound): false ends the page. */
  readonly within: ((key: StorageKey) => boolean) | undefined;
}

/** DynamoDB's Query/Scan response, as both operations return it. */
export interface ReadOutput {
  Items?: Item[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Record<string, AttributeValue>;
  ConsumedCapacity?: ConsumedCapacity | undefined;
}

/**
 * Reads one page from `entries` (in the order to return them) and shapes the response. Items are
 * returned as stored (frozen, shared) unless projected.
 */
export function readPage(
  read: (visit: Visitor) => void,
  target: ReadTarget,
  options: PageOptions,
  tableName: string,
  returnConsumedCapacity: ReturnConsumedCapacity | undefined,
  consistentRead: boolean,
): ReadOutput {
  const { limit, filter, projection, fetch, within } = options;
  const items: Item[] | undefined = options.countOnly ? undefined : [];
  const tableStorage = target.table.storage;
  const tableSchema = target.table.keySchema;
  let bytes = 0;
  let fetchedBytes = 0;
  let scanned = 0;
  let count = 0;
  let last: Item | undefined;
  let ended = false;
  // Sizes come with the entries (the storage keeps each item's size): reading never measures items.
  read((key, entry, size) => {
    if (within !== undefined && !within(key)) return false;
    scanned++;
    bytes += size;
    last = entry;
    let item = entry;
    if (fetch) {
      const full = tableStorage.get(primaryKeyCodeOf(entry, tableSchema));
      if (full !== undefined) {
        item = full;
        fetchedBytes += knownItemSize(full);
      }
    }
    if (filter === undefined || evaluateCondition(filter, item)) {
      count++;
      if (items !== undefined) items.push(projection === undefined ? item : projectItem(item, projection));
    }
    if (scanned === limit || bytes >= MAX_PAGE_BYTES) {
      ended = true;
      return false;
    }
    return true;
  });
  const output: ReadOutput = items === undefined ? { Count: count, ScannedCount: scanned } : { Items: items, Count: count, ScannedCount: scanned };
  if (ended && last !== undefined) {
    const lastKey: Record<string, AttributeValue> = {};
    for (const attribute of target.startKeyAttributes) {
      const value = memberOf(last, attribute.name);
      if (value !== undefined) setMember(lastKey, attribute.name, value);
    }
    output.LastEvaluatedKey = lastKey;
  }
  if (returnConsumedCapacity === 'TOTAL' || returnConsumedCapacity === 'INDEXES') {
    const index = target.index;
    if (index === undefined) {
      output.ConsumedCapacity = consumedCapacity(returnConsumedCapacity, tableName, readCapacityUnits(bytes, consistentRead));
    } else {
      const tableUnits = fetch ? readCapacityUnits(fetchedBytes, consistentRead) : 0;
      const indexUnits: IndexUnits[] = [{ name: index.name, kind: index.kind, units: readCapacityUnits(bytes, consistentRead) }];
      output.ConsumedCapacity = consumedCapacity(returnConsumedCapacity, tableName, tableUnits, indexUnits);
    }
  }
  return output;
}
