import type { Engine } from '../engine.js';
import { ValidationException } from '../errors.js';
import type { ProjectionNode } from '../expressions/ast.js';
import { prepareExpressions } from '../expressions/prepare.js';
import { projectItem } from '../expressions/project-item.js';
import type { Item, Key } from '../model/attribute-value.js';
import { readCapacityUnits } from '../model/capacity.js';
import { itemSize } from '../model/item-size.js';
import { checkKeySchema, validateKeyValues } from '../model/validate-key.js';
import { primaryKeyCodeOf } from '../storage/storage-key.js';
import type { TableState } from '../tables/table-state.js';
import { keyText, MSG_DUPLICATE_KEYS } from './batch-keys.js';
import { chargedCapacity, measuresCapacity, type ConsumedCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { attributesDecoder } from './read-attributes.js';
import { MAX_BATCH_GET_KEYS, validateBatchGetItemInput } from './validation/validate-batch-get-item-input.js';
import { setMember } from '../model/set-member.js';

/** One table's part of a BatchGetItem request (and of its UnprocessedKeys). */
export interface KeysAndAttributes {
  Keys: Key[];
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  /** Legacy projection: prefer ProjectionExpression. */
  AttributesToGet?: string[];
}
export interface BatchGetItemInput {
  RequestItems: Record<string, KeysAndAttributes>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}
export interface BatchGetItemOutput {
  /** Per table, the items found (or their projections), in no particular order. Read-only: stored items are frozen and shared. */
  Responses: Record<string, Item[]>;
  /** Per table, the keys not read because the response reached its 16 MB limit; send them again. */
  UnprocessedKeys: Record<string, KeysAndAttributes>;
  ConsumedCapacity?: ConsumedCapacity[];
}

/** The most data one BatchGetItem answers with; the keys beyond it come back as UnprocessedKeys. */
export const BATCH_GET_RESPONSE_LIMIT_BYTES = 16 * 1024 * 1024;

const TOO_MANY_KEYS = 'Too many items requested for the BatchGetItem call';

interface TableRead {
  readonly name: string;
  readonly request: Readonly<Record<string, unknown>>;
  readonly keys: Key[];
  readonly projection: ProjectionNode | undefined;
  readonly consistent: boolean;
  table?: TableState;
}

/**
 * BatchGetItem: up to 100 GetItems over one or more tables. Every request parameter, key value and
 * expression is checked first (dynalite validations/batchGetItem.js order: per table, the expression
 * parameters, AttributesToGet duplicates, the ProjectionExpression, then each key's values, duplicate
 * keys, and more than 100 keys in all); then every table is looked up and every key checked against its
 * schema; only then is anything read. Items are read in request order until the answer would exceed
 * 16 MB; the rest are returned in UnprocessedKeys with their table's parameters. Each key read costs its
 * item's size in 4 KB read units (rounded up per item, at least one; halved unless ConsistentRead).
 *
 * @internal
 */
export function batchGetItem(engine: Engine, input: BatchGetItemInput): BatchGetItemOutput {
  const request = input as unknown as Record<string, unknown>;
  validateBatchGetItemInput(request);

  const reads: TableRead[] = [];
  let count = 0;
  for (const name in input.RequestItems) {
    const entry = input.RequestItems[name] as unknown as Record<string, unknown>;
    const { projection } = prepareExpressions(entry, 'GetItem');
    const rawKeys = entry.Keys as Record<string, unknown>[];
    const keys: Key[] = new Array<Key>(rawKeys.length);
    const seen = new Set<string>();
    for (let i = 0; i < rawKeys.length; i++) {
      const key = validateKeyValues(rawKeys[i]!);
      const text = keyText(key);
      if (seen.has(text)) throw new ValidationException(MSG_DUPLICATE_KEYS);
      seen.add(text);
      keys[i] = key;
      if (++count > MAX_BATCH_GET_KEYS) throw new ValidationException(TOO_MANY_KEYS);
    }
    reads.push({ name, request: entry, keys, projection, consistent: entry.ConsistentRead === true });
  }
  for (const read of reads) read.table = engine.itemTable(read.name);
  for (const read of reads) for (const key of read.keys) checkKeySchema(key, read.table!.keySchema);

  const mode = input.ReturnConsumedCapacity;
  // Measured when the caller asks, or admission hooks read it (each table's INDEXES entry then goes to them).
  const charge = measuresCapacity(engine, mode);
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, KeysAndAttributes> = {};
  const capacity: ConsumedCapacity[] = [];
  let bytes = 0;
  let full = false;
  for (const read of reads) {
    const table = read.table!;
    const found: Item[] = [];
    const visible = engine.visibilityOf(table);
    const decodeOnce = attributesDecoder({ projection: read.projection }, visible !== undefined);
    let units = 0;
    let i = 0;
    for (; i < read.keys.length && !full; i++) {
      let item = table.storage.get(primaryKeyCodeOf(read.keys[i]!, table.keySchema), decodeOnce);
      const stored = table.storage.lastItemSize;
      // Hidden by a module (ModuleContext.addVisibilityFilter): read as absent.
      if (item !== undefined && visible !== undefined && !visible(item)) item = undefined;
      if (item !== undefined) {
        const answer = read.projection === undefined ? item : projectItem(item, read.projection);
        const size = read.projection === undefined ? stored : itemSize(answer);
        if (bytes + size > BATCH_GET_RESPONSE_LIMIT_BYTES) {
          full = true;
          break;
        }
        bytes += size;
        found.push(answer);
      }
      if (charge) units += readCapacityUnits(item === undefined ? 0 : stored, read.consistent);
    }
    setMember(responses, read.name, found);
    if (i < read.keys.length) setMember(unprocessed, read.name, unprocessedEntry(read, read.keys.slice(i)));
    const consumed = charge ? chargedCapacity(engine, mode, read.name, units) : undefined;
    if (consumed !== undefined) capacity.push(consumed);
  }
  const output: BatchGetItemOutput = { Responses: responses, UnprocessedKeys: unprocessed };
  if (mode === 'TOTAL' || mode === 'INDEXES') output.ConsumedCapacity = capacity;
  return output;
}

/** A table's UnprocessedKeys entry: the keys left, with the table's projection and consistency parameters. */
function unprocessedEntry(read: TableRead, keys: Key[]): KeysAndAttributes {
  const entry: KeysAndAttributes = { Keys: keys };
  const r = read.request;
  if (typeof r.ConsistentRead === 'boolean') entry.ConsistentRead = r.ConsistentRead;
  if (typeof r.ProjectionExpression === 'string') entry.ProjectionExpression = r.ProjectionExpression;
  if (r.ExpressionAttributeNames != null) entry.ExpressionAttributeNames = r.ExpressionAttributeNames as Record<string, string>;
  if (r.AttributesToGet != null) entry.AttributesToGet = r.AttributesToGet as string[];
  return entry;
}
