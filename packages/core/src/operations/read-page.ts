import type { Engine } from '../engine.js';
import type { ConditionNode, ProjectionNode } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate-condition.js';
import { itemProjector } from '../expressions/project-item.js';
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { readCapacityUnits } from '../model/capacity.js';
import { memberOf, setMember } from '../model/set-member.js';
import { collectionsDecoder, sharingDecoder } from '../storage/item-codec.js';
import { primaryKeyCodeOf } from '../storage/storage-key.js';
import type { Decoder, Visitor } from '../storage/table-storage.js';
import { chargedCapacity, measuresCapacity, type ConsumedCapacity, type IndexUnits, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { attributesDecoder } from './read-attributes.js';
import type { ReadTarget } from './read-target.js';

/*
 * The page loop Query and Scan share once a request is valid and its target resolved (read-target.ts,
 * start-key.ts, expression-paths.ts, select-rules.ts): Limit counts items read (before the filter), a page
 * ends after the item that brings the bytes read to 1 MB, LastEvaluatedKey whenever it ended early —
 * with the capacity it consumed.
 */

/** A page ends after the item that brings the bytes read to this (DynamoDB's 1 MB). */
const MAX_PAGE_BYTES = 1024 * 1024;

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
  /** Where the entries end (Query's sort key bound, given the encoded storage key): false ends the page. */
  readonly within: ((key: string) => boolean) | undefined;
  /** Modules' visibility filter over table items (ModuleContext.addVisibilityFilter): a hidden item counts as filtered out. */
  readonly visible?: ((item: Item) => boolean) | undefined;
  /**
   * The one-attribute partition key every entry read holds (Query's): when an S, the page's whole items
   * share one frozen copy of it (item-codec.ts sharingDecoder). Never B or N: a Uint8Array cannot be
   * frozen, and a stored number's text may differ from the condition's (1 and 1.0).
   */
  readonly partitionKey?: { readonly name: string; readonly value: AttributeValue } | undefined;
  /**
   * The one-attribute S partition key of entries read in storage order (Scan's): consecutive whole items
   * holding the same one share one frozen copy of it (item-codec.ts collectionsDecoder).
   */
  readonly collections?: string | undefined;
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
 * Reads one page through `read` (the entries in the order to return them, each decoded by `decodeOnce`
 * when given: only the attributes the page needs, see read-attributes.ts) and shapes the response. Items
 * are returned as stored (frozen, shared) unless projected.
 */
export function readPage(
  engine: Engine,
  read: (visit: Visitor, decodeOnce: Decoder | undefined) => void,
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
  const partitionKey = options.partitionKey;
  const shared = partitionKey !== undefined && 'S' in partitionKey.value ? { name: partitionKey.name, text: partitionKey.value.S } : undefined;
  const decodeOnce = attributesDecoder(
    { projection, returnsNone: options.countOnly, filter, keys: target.startKeyAttributes },
    options.visible !== undefined,
    shared,
  );
  let bytes = 0;
  let fetchedBytes = 0;
  let scanned = 0;
  let count = 0;
  let last: Item | undefined;
  let ended = false;
  const project = projection === undefined ? undefined : itemProjector(projection);
  const readDecoder =
    decodeOnce ??
    (shared !== undefined ? sharingDecoder(shared.name, shared.text) : options.collections !== undefined ? collectionsDecoder(options.collections) : undefined);
  // Sizes come with the entries (the storage keeps each item's size): reading never measures items.
  read((key, entry, size) => {
    if (within !== undefined && !within(key)) return false;
    scanned++;
    bytes += size;
    last = entry;
    let item = entry;
    if (fetch) {
      const full = tableStorage.get(primaryKeyCodeOf(entry, tableSchema), decodeOnce);
      if (full !== undefined) {
        item = full;
        fetchedBytes += tableStorage.lastItemSize;
      }
    }
    if (options.visible !== undefined && !options.visible(fetch || target.index === undefined ? item : (tableStorage.get(primaryKeyCodeOf(entry, tableSchema)) ?? entry))) {
      // Hidden by a module: read and charged, then dropped as a filter would drop it.
    } else if (filter === undefined || evaluateCondition(filter, item)) {
      count++;
      if (items !== undefined) items.push(project === undefined ? item : project(item));
    }
    if (scanned === limit || bytes >= MAX_PAGE_BYTES) {
      ended = true;
      return false;
    }
    return true;
  }, readDecoder);
  const output: ReadOutput = items === undefined ? { Count: count, ScannedCount: scanned } : { Items: items, Count: count, ScannedCount: scanned };
  if (ended && last !== undefined) {
    const lastKey: Record<string, AttributeValue> = {};
    for (const attribute of target.startKeyAttributes) {
      const value = memberOf(last, attribute.name);
      if (value !== undefined) setMember(lastKey, attribute.name, value);
    }
    output.LastEvaluatedKey = lastKey;
  }
  if (measuresCapacity(engine, returnConsumedCapacity)) {
    const index = target.index;
    if (index === undefined) {
      output.ConsumedCapacity = chargedCapacity(engine, returnConsumedCapacity, tableName, readCapacityUnits(bytes, consistentRead));
    } else {
      const tableUnits = fetch ? readCapacityUnits(fetchedBytes, consistentRead) : 0;
      const indexUnits: IndexUnits[] = [{ name: index.name, kind: index.kind, units: readCapacityUnits(bytes, consistentRead) }];
      output.ConsumedCapacity = chargedCapacity(engine, returnConsumedCapacity, tableName, tableUnits, indexUnits);
    }
  }
  return output;
}
