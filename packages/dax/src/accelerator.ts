import { itemSize, type Item } from '@magneto/core';
import { cachedItem } from './cached-item.js';
import { entryKeyOf, itemKeyFromItem, itemKeyOf, projectionOf, stableText } from './cache-keys.js';
import { LruCache, type CacheEntry } from './lru-cache.js';
import type { ResolvedDaxOptions } from './options.js';
import { CACHE_METRICS, emptyTableStats, REQUEST_METRICS, type DaxCacheMetric, type DaxStats, type DaxTableStats } from './stats.js';

/** A DynamoDB request or response in AttributeValue form, as the target takes and gives it. */
export type DaxRequest = Record<string, unknown>;
/** A DynamoDB response. */
export type DaxResponse = Record<string, unknown>;

/**
 * What the accelerator does with one request: answer it from a cache (`hit`), or have the placement send
 * `input` to the target and then call `complete` with the target's answer (which updates the caches and
 * gives the caller's answer) or `fail` when the target refused it (the caches stay as they were).
 */
export type DaxPlan =
  | { readonly kind: 'hit'; readonly output: DaxResponse }
  | {
      readonly kind: 'send';
      readonly input: DaxRequest;
      complete(output: DaxResponse): DaxResponse | Promise<DaxResponse>;
      fail(): void;
    };

/** What the accelerator asks of its target besides the requests it forwards. */
export interface DaxTarget {
  /** The names of a table's key attributes (DescribeTable's KeySchema), to find a written item's key. */
  keyAttributeNames(tableName: string): Promise<readonly string[]>;
  /** Runs TransactGetItems on the target: DAX re-reads what a TransactWriteItems wrote. */
  transactGetItems(input: DaxRequest): Promise<DaxResponse>;
}

/** An item-cache value: the item, or null for a negative entry (the item did not exist). */
interface ItemEntry {
  readonly item: Item | null;
  readonly itemKey: string;
}

/** Bytes counted per entry beyond its payload and key: the Map slot, the entry object, the LRU bookkeeping. */
const ENTRY_OVERHEAD = 96;

const GET_ITEM_MEMBERS = new Set(['TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames', 'AttributesToGet', 'ConsistentRead', 'ReturnConsumedCapacity']);
const KEYS_AND_ATTRIBUTES_MEMBERS = new Set(['Keys', 'ProjectionExpression', 'ExpressionAttributeNames', 'AttributesToGet', 'ConsistentRead']);
const RETURN_CONSUMED_CAPACITY = new Set([undefined, 'NONE', 'TOTAL', 'INDEXES']);
/** DynamoDB's most keys in one BatchGetItem. */
const MAX_BATCH_GET_KEYS = 100;

/**
 * The accelerator itself, whatever it stands in front of: DAX's item cache (GetItem, BatchGetItem) and
 * query cache (Query, Scan), each with its TTL and LRU memory budget, negative entries, and write-through
 * (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems update the item cache once the
 * target has accepted them, and never touch the query cache). SEMANTICS.md has every rule with its source.
 * The placements (`dax(db)`, `dax(client)`) call `plan` per request.
 */
export class DaxAccelerator {
  private readonly itemCache: LruCache<ItemEntry>;
  private readonly queryCache: LruCache<DaxResponse>;
  /** The projected entries of each item, so a write drops them with the whole-item entry. */
  private readonly projections = new Map<string, Set<string>>();
  private readonly keyNames = new Map<string, readonly string[]>();
  // Every metric present from the start: one object shape, so counting is a plain property increment.
  private readonly counters: Record<string, number> = Object.fromEntries(
    [...CACHE_METRICS, ...Object.values(REQUEST_METRICS), 'TotalRequestCount', 'ErrorRequestCount'].map((name) => [name, 0]),
  );
  private readonly tables = new Map<string, DaxTableStats>();
  // A read that missed must not store what it read if a write went through while it was in flight: the
  // write's item is newer. Writes are numbered; while reads are in flight, each written item remembers its number.
  private readonly writtenAt = new Map<string, number>();
  private writeSeq = 0;
  private reading = 0;

  constructor(
    private readonly target: DaxTarget,
    readonly options: ResolvedDaxOptions,
  ) {
    this.itemCache = new LruCache<ItemEntry>(options.itemCacheBytes, (key, entry) => this.removed(key, entry));
    this.queryCache = new LruCache<DaxResponse>(options.queryCacheBytes, (_key, entry) => this.removed(undefined, entry));
  }

  /** What to do with `operation`'s request `input` (a DynamoDB operation name, e.g. `GetItem`). O(1) for GetItem. */
  plan(operation: string, input: DaxRequest): DaxPlan {
    const metric = REQUEST_METRICS[operation as keyof typeof REQUEST_METRICS];
    if (metric === undefined) return this.pass(input);
    this.count(metric);
    this.count('TotalRequestCount');
    switch (operation) {
      case 'GetItem':
        return this.planGetItem(input);
      case 'BatchGetItem':
        return this.planBatchGetItem(input);
      case 'Query':
      case 'Scan':
        return this.planQuery(operation, input);
      case 'PutItem':
        return this.planPutItem(input);
      case 'UpdateItem':
        return this.planUpdateItem(input);
      case 'DeleteItem':
        return this.planDeleteItem(input);
      case 'BatchWriteItem':
        return this.planBatchWriteItem(input);
      case 'TransactWriteItems':
        return this.planTransactWriteItems(input);
      default:
        // TransactGetItems: passed through uncached, as strongly consistent reads are (transaction-apis.html#transaction-apis-dax).
        return this.pass(input);
    }
  }

  /** DAX's metrics for this accelerator: see DaxStats. */
  stats(): DaxStats {
    const stats: Record<string, unknown> = { ...this.counters };
    const cacheStats = <V>(cache: LruCache<V>) => ({ EstimatedDbSize: cache.bytes, EvictedSize: cache.evictedBytes, Entries: cache.size });
    stats.itemCache = cacheStats(this.itemCache);
    stats.queryCache = cacheStats(this.queryCache);
    stats.EstimatedDbSize = this.itemCache.bytes + this.queryCache.bytes;
    stats.EvictedSize = this.itemCache.evictedBytes + this.queryCache.evictedBytes;
    stats.tables = Object.fromEntries([...this.tables].map(([name, table]) => [name, { ...table }]));
    return stats as DaxStats;
  }

  // ---------------------------------------------------------------- item cache reads

  /**
   * A GetItem, Query or Scan answered from the caches when it is a hit (counted as a request and a hit),
   * else undefined with nothing counted: the request then goes through `plan`. It lets a placement answer
   * hits before doing any work of its own (the SDK client's middleware stack).
   */
  answer(operation: string, input: DaxRequest): DaxResponse | undefined {
    let output: DaxResponse | undefined;
    if (operation === 'GetItem') {
      const read = itemReadOf(input);
      output = read === undefined ? undefined : this.itemHit(read);
    } else if (operation === 'Query' || operation === 'Scan') {
      const read = this.queryReadOf(operation, input);
      output = read === undefined ? undefined : this.queryHit(read);
    }
    if (output === undefined) return undefined;
    this.count(REQUEST_METRICS[operation as 'GetItem' | 'Query' | 'Scan']);
    this.count('TotalRequestCount');
    return output;
  }

  /** The item cache's answer to a read, counted as a hit; undefined (uncounted) when it has no live entry. */
  private itemHit(read: ItemRead): DaxResponse | undefined {
    const entry = this.itemCache.get(entryKeyOf(read.itemKey, read.projection), this.options.clock.now(), this.options.recordTtlMillis);
    if (entry === undefined) return undefined;
    this.countTable(read.tableName, 'ItemCacheHits');
    return entry.value.item === null ? {} : { Item: entry.value.item };
  }

  private planGetItem(input: DaxRequest): DaxPlan {
    const read = itemReadOf(input);
    if (read === undefined) return this.pass(input);
    const output = this.itemHit(read);
    if (output !== undefined) return { kind: 'hit', output };
    const { tableName, itemKey, projection } = read;
    this.countTable(tableName, 'ItemCacheMisses');
    const readAt = this.beginRead();
    return {
      kind: 'send',
      input,
      complete: (answer) => {
        if (!this.writtenSince(tableName, itemKey, readAt)) this.storeItem(tableName, itemKey, projection, (answer.Item as Item | undefined) ?? null);
        this.endRead();
        return answer;
      },
      fail: () => this.failRead(),
    };
  }

  /**
   * Each key of a BatchGetItem is one GetItem to the item cache (DAX.consistency.html#DAX.consistency.item-cache):
   * the hits are answered from it, and only the misses are sent, in one BatchGetItem.
   */
  private planBatchGetItem(input: DaxRequest): DaxPlan {
    const requestItems = input.RequestItems;
    // No tables at all is DynamoDB's ValidationException: the target must see it.
    if (!onlyMembers(input, BATCH_GET_MEMBERS) || !RETURN_CONSUMED_CAPACITY.has(input.ReturnConsumedCapacity as string) || !isRecord(requestItems) || Object.keys(requestItems).length === 0) {
      return this.pass(input);
    }
    interface TableRead { readonly projection: string; readonly hits: Item[]; readonly misses: { itemKey: string; key: unknown }[] }
    const reads = new Map<string, TableRead>();
    const seen = new Set<string>();
    const now = this.options.clock.now();
    const lookups: [tableName: string, entryKey: string, itemKey: string, key: unknown][] = [];
    for (const [tableName, request] of Object.entries(requestItems)) {
      if (!isRecord(request) || !onlyMembers(request, KEYS_AND_ATTRIBUTES_MEMBERS) || !Array.isArray(request.Keys) || request.Keys.length === 0) return this.pass(input);
      // A strongly consistent table is sent whole, uncached.
      if (request.ConsistentRead !== undefined && request.ConsistentRead !== false) continue;
      const projection = projectionOf(request);
      if (projection === undefined) return this.pass(input);
      reads.set(tableName, { projection, hits: [], misses: [] });
      for (const key of request.Keys) {
        const itemKey = itemKeyOf(tableName, key);
        // Duplicate keys are DynamoDB's ValidationException: the target must see them.
        if (itemKey === undefined || seen.has(itemKey)) return this.pass(input);
        seen.add(itemKey);
        lookups.push([tableName, entryKeyOf(itemKey, projection), itemKey, key]);
      }
    }
    if (lookups.length > MAX_BATCH_GET_KEYS) return this.pass(input);
    let sendsAny = reads.size < Object.keys(requestItems).length;
    for (const [tableName, entryKey, itemKey, key] of lookups) {
      const read = reads.get(tableName)!;
      const entry = this.itemCache.get(entryKey, now, this.options.recordTtlMillis);
      if (entry === undefined) {
        this.countTable(tableName, 'ItemCacheMisses');
        read.misses.push({ itemKey, key });
        sendsAny = true;
      } else {
        this.countTable(tableName, 'ItemCacheHits');
        if (entry.value.item !== null) read.hits.push(entry.value.item);
      }
    }
    if (!sendsAny) {
      const Responses = Object.fromEntries([...reads].map(([tableName, read]) => [tableName, read.hits]));
      return { kind: 'hit', output: { Responses, UnprocessedKeys: {} } };
    }
    const sent: Record<string, unknown> = {};
    for (const [tableName, request] of Object.entries(requestItems)) {
      const read = reads.get(tableName);
      if (read === undefined) sent[tableName] = request;
      else if (read.misses.length > 0) sent[tableName] = { ...(request as object), Keys: read.misses.map((miss) => miss.key) };
    }
    const readAt = this.beginRead();
    return {
      kind: 'send',
      input: { ...input, RequestItems: sent },
      complete: (output) => {
        const responses = isRecord(output.Responses) ? output.Responses : {};
        const unprocessed = isRecord(output.UnprocessedKeys) ? output.UnprocessedKeys : {};
        const merged: Record<string, unknown> = { ...responses };
        for (const [tableName, read] of reads) {
          const items = Array.isArray(responses[tableName]) ? (responses[tableName] as Item[]) : [];
          if (read.misses.length > 0) this.storeBatchRead(tableName, read.projection, read.misses, items, unprocessed[tableName], readAt);
          merged[tableName] = read.hits.length === 0 ? items : [...items, ...read.hits];
        }
        this.endRead();
        return { ...output, Responses: merged };
      },
      fail: () => this.failRead(),
    };
  }

  /** Stores what a BatchGetItem read of one table found; negative entries only when every returned item could be matched to its key. */
  private storeBatchRead(tableName: string, projection: string, misses: readonly { itemKey: string; key: unknown }[], items: readonly Item[], unprocessed: unknown, readAt: number): void {
    const keyNames = Object.keys(misses[0]!.key as object);
    const found = new Map<string, Item>();
    let matchedAll = true;
    for (const item of items) {
      const itemKey = itemKeyFromItem(tableName, keyNames, item);
      if (itemKey === undefined) matchedAll = false;
      else found.set(itemKey, item);
    }
    const skipped = new Set<string>();
    if (isRecord(unprocessed) && Array.isArray(unprocessed.Keys)) {
      for (const key of unprocessed.Keys) skipped.add(itemKeyOf(tableName, key) ?? '');
    }
    for (const { itemKey } of misses) {
      if (skipped.has(itemKey) || this.writtenSince(tableName, itemKey, readAt)) continue;
      const item = found.get(itemKey);
      if (item !== undefined) this.storeItem(tableName, itemKey, projection, item);
      else if (matchedAll) this.storeItem(tableName, itemKey, projection, null);
    }
  }

  private storeItem(tableName: string, itemKey: string, projection: string, item: Item | null): void {
    const entryKey = entryKeyOf(itemKey, projection);
    if (projection !== '') {
      let projected = this.projections.get(itemKey);
      if (projected === undefined) this.projections.set(itemKey, (projected = new Set()));
      projected.add(entryKey);
    }
    const size = (item === null ? 0 : itemSize(item)) + entryKey.length + ENTRY_OVERHEAD;
    if (this.itemCache.set(entryKey, { value: { item, itemKey }, size, storedAt: this.options.clock.now(), tableName })) this.tableStats(tableName).EstimatedDbSize += size;
  }

  // ---------------------------------------------------------------- query cache

  /** A Query or Scan the query cache can serve; undefined when it must pass through. */
  private queryReadOf(operation: 'Query' | 'Scan', input: DaxRequest): QueryRead | undefined {
    const tableName = input.TableName;
    if (this.options.queryTtlMillis === 0 || typeof tableName !== 'string' || (input.ConsistentRead !== undefined && input.ConsistentRead !== false)) return undefined;
    return { operation, tableName, cacheKey: operation + stableText(input) };
  }

  /** The query cache's answer to a read, counted as a hit; undefined (uncounted) when it has no live result. */
  private queryHit(read: QueryRead): DaxResponse | undefined {
    const entry = this.queryCache.get(read.cacheKey, this.options.clock.now(), this.options.queryTtlMillis);
    if (entry === undefined) return undefined;
    this.countTable(read.tableName, read.operation === 'Query' ? 'QueryCacheHits' : 'ScanCacheHits');
    return entry.value;
  }

  /** Query and Scan results, keyed by the whole request (ExclusiveStartKey and Limit included). */
  private planQuery(operation: 'Query' | 'Scan', input: DaxRequest): DaxPlan {
    const read = this.queryReadOf(operation, input);
    if (read === undefined) return this.pass(input);
    const hit = this.queryHit(read);
    if (hit !== undefined) return { kind: 'hit', output: hit };
    const { tableName, cacheKey } = read;
    this.countTable(tableName, operation === 'Query' ? 'QueryCacheMisses' : 'ScanCacheMisses');
    return {
      kind: 'send',
      input,
      complete: (output) => {
        const { ConsumedCapacity: _consumed, $metadata: _metadata, ...result } = output;
        // Frozen, as the Database's answers are: every hit hands out this same result.
        if (Array.isArray(result.Items)) result.Items = Object.freeze([...(result.Items as Item[])]);
        if (isRecord(result.LastEvaluatedKey)) result.LastEvaluatedKey = cachedItem(result.LastEvaluatedKey as Item);
        let size = cacheKey.length + ENTRY_OVERHEAD;
        if (Array.isArray(result.Items)) for (const item of result.Items as Item[]) size += itemSize(item);
        if (isRecord(result.LastEvaluatedKey)) size += itemSize(result.LastEvaluatedKey as Item);
        if (this.queryCache.set(cacheKey, { value: Object.freeze(result), size, storedAt: this.options.clock.now(), tableName })) this.tableStats(tableName).EstimatedDbSize += size;
        return output;
      },
      fail: () => this.count('ErrorRequestCount'),
    };
  }

  // ---------------------------------------------------------------- write-through

  /** PutItem: once the target accepts it, the item cache holds the item as written (DAX.consistency.html#DAX.consistency.item-cache.writes). */
  private planPutItem(input: DaxRequest): DaxPlan {
    const tableName = input.TableName;
    if (typeof tableName !== 'string' || !isRecord(input.Item)) return this.pass(input);
    const item = cachedItem(input.Item as Item);
    return this.write(input, async (output) => {
      const keyNames = await this.keyAttributeNames(tableName);
      this.writeItem(tableName, keyNames === undefined ? undefined : itemKeyFromItem(tableName, keyNames, item), item);
      return output;
    });
  }

  /**
   * UpdateItem: the item cache needs the whole new item. Asked with no ReturnValues (or NONE), the
   * accelerator asks the target for ALL_NEW and answers without it; with ALL_NEW it caches what is
   * returned; with ALL_OLD, UPDATED_OLD or UPDATED_NEW it does not learn the new item and drops the
   * cached one, so the next read fetches it.
   */
  private planUpdateItem(input: DaxRequest): DaxPlan {
    const tableName = input.TableName;
    if (typeof tableName !== 'string') return this.pass(input);
    const itemKey = itemKeyOf(tableName, input.Key);
    const returnValues = input.ReturnValues;
    const asksNothing = returnValues === undefined || returnValues === 'NONE';
    return this.write(asksNothing ? { ...input, ReturnValues: 'ALL_NEW' } : input, (output) => {
      if (!asksNothing && returnValues !== 'ALL_NEW') {
        this.writeItem(tableName, itemKey, undefined);
        return output;
      }
      const attributes = output.Attributes;
      this.writeItem(tableName, itemKey, isRecord(attributes) ? cachedItem(attributes as Item) : undefined);
      if (!asksNothing) return output;
      const { Attributes: _attributes, ...answer } = output;
      return answer;
    });
  }

  /** DeleteItem: the item cache holds a negative entry for the deleted item. */
  private planDeleteItem(input: DaxRequest): DaxPlan {
    const tableName = input.TableName;
    if (typeof tableName !== 'string') return this.pass(input);
    const itemKey = itemKeyOf(tableName, input.Key);
    return this.write(input, (output) => {
      this.writeItem(tableName, itemKey, null);
      return output;
    });
  }

  /** BatchWriteItem: each put and delete the target processed is written through; UnprocessedItems are not. */
  private planBatchWriteItem(input: DaxRequest): DaxPlan {
    const requestItems = input.RequestItems;
    if (!isRecord(requestItems)) return this.pass(input);
    const writes: [tableName: string, key: unknown, item: Item | null][] = [];
    for (const [tableName, requests] of Object.entries(requestItems)) {
      if (!Array.isArray(requests)) return this.pass(input);
      for (const request of requests) {
        if (!isRecord(request)) return this.pass(input);
        const put = request.PutRequest;
        const del = request.DeleteRequest;
        if (isRecord(put) && isRecord(put.Item)) writes.push([tableName, undefined, cachedItem(put.Item as Item)]);
        else if (isRecord(del)) writes.push([tableName, del.Key, null]);
        else return this.pass(input);
      }
    }
    return this.write(input, async (output) => {
      const unprocessed = new Set<string>();
      if (isRecord(output.UnprocessedItems)) {
        for (const [tableName, requests] of Object.entries(output.UnprocessedItems)) {
          for (const request of Array.isArray(requests) ? requests : []) unprocessed.add((await this.itemKeyOfWrite(tableName, request)) ?? '');
        }
      }
      for (const [tableName, key, item] of writes) {
        const itemKey = item === null ? itemKeyOf(tableName, key) : await this.itemKeyOfItem(tableName, item);
        if (itemKey === undefined || !unprocessed.has(itemKey)) this.writeItem(tableName, itemKey, item);
      }
      return output;
    });
  }

  /**
   * TransactWriteItems: DAX passes it to DynamoDB, then reads every item it named with TransactGetItems
   * to fill the item cache (transaction-apis.html#transaction-apis-dax). Here that read ends before the
   * answer; if it fails, the items' entries are dropped instead.
   */
  private planTransactWriteItems(input: DaxRequest): DaxPlan {
    const actions = input.TransactItems;
    if (!Array.isArray(actions)) return this.pass(input);
    return this.write(input, async (output) => {
      const gets: { tableName: string; itemKey: string | undefined; key: Record<string, unknown> | undefined }[] = [];
      for (const action of actions as Record<string, unknown>[]) {
        const [kind] = Object.keys(action);
        const body = action[kind ?? ''] as Record<string, unknown>;
        const tableName = body.TableName as string;
        let key = body.Key as Record<string, unknown> | undefined;
        if (kind === 'Put') {
          const keyNames = await this.keyAttributeNames(tableName);
          key = keyNames === undefined ? undefined : Object.fromEntries(keyNames.map((name) => [name, (body.Item as Item)[name]]));
        }
        gets.push({ tableName, key, itemKey: itemKeyOf(tableName, key) });
      }
      const readable = gets.filter((get) => get.itemKey !== undefined);
      let items: (Item | null)[] | undefined;
      try {
        const answer = await this.target.transactGetItems({ TransactItems: readable.map((get) => ({ Get: { TableName: get.tableName, Key: get.key } })) });
        const responses = Array.isArray(answer.Responses) ? (answer.Responses as { Item?: Item }[]) : [];
        items = readable.map((_get, i) => (responses[i]?.Item === undefined ? null : cachedItem(responses[i].Item)));
      } catch {
        items = undefined;
      }
      for (const get of gets) {
        const i = readable.indexOf(get);
        this.writeItem(get.tableName, get.itemKey, items === undefined || i < 0 ? undefined : items[i]!);
      }
      return output;
    });
  }

  /** A write plan: `apply` runs only once the target has accepted the request; a failed write changes nothing. */
  private write(input: DaxRequest, apply: (output: DaxResponse) => DaxResponse | Promise<DaxResponse>): DaxPlan {
    return { kind: 'send', input, complete: apply, fail: () => this.count('ErrorRequestCount') };
  }

  /**
   * Writes one item through: drops its projected entries and stores `item` (null: a negative entry) as its
   * whole-item entry with a fresh timestamp; `undefined` only drops. An unknown key drops the table's entries.
   */
  private writeItem(tableName: string, itemKey: string | undefined, item: Item | null | undefined): void {
    this.writeSeq++;
    if (itemKey === undefined) {
      if (this.reading > 0) this.writtenAt.set(tableMark(tableName), this.writeSeq);
      this.itemCache.deleteWhere((_key, entry) => entry.tableName === tableName);
      return;
    }
    if (this.reading > 0) this.writtenAt.set(itemKey, this.writeSeq);
    for (const projected of this.projections.get(itemKey) ?? []) this.itemCache.delete(projected);
    if (item === undefined) this.itemCache.delete(itemKey);
    else this.storeItem(tableName, itemKey, '', item);
  }

  private async itemKeyOfWrite(tableName: string, request: unknown): Promise<string | undefined> {
    if (!isRecord(request)) return undefined;
    if (isRecord(request.DeleteRequest)) return itemKeyOf(tableName, request.DeleteRequest.Key);
    if (isRecord(request.PutRequest) && isRecord(request.PutRequest.Item)) return this.itemKeyOfItem(tableName, request.PutRequest.Item as Item);
    return undefined;
  }

  private async itemKeyOfItem(tableName: string, item: Item): Promise<string | undefined> {
    const keyNames = await this.keyAttributeNames(tableName);
    return keyNames === undefined ? undefined : itemKeyFromItem(tableName, keyNames, item);
  }

  /** A table's key attribute names, asked of the target once; undefined when it cannot say (its writes then drop the table's entries). */
  private async keyAttributeNames(tableName: string): Promise<readonly string[] | undefined> {
    const known = this.keyNames.get(tableName);
    if (known !== undefined) return known;
    try {
      const names = await this.target.keyAttributeNames(tableName);
      this.keyNames.set(tableName, names);
      return names;
    } catch {
      return undefined;
    }
  }

  // ---------------------------------------------------------------- bookkeeping

  private pass(input: DaxRequest): DaxPlan {
    return { kind: 'send', input, complete: (output) => output, fail: () => this.count('ErrorRequestCount') };
  }

  private beginRead(): number {
    this.reading++;
    return this.writeSeq;
  }

  private endRead(): void {
    if (--this.reading === 0) this.writtenAt.clear();
  }

  private failRead(): void {
    this.count('ErrorRequestCount');
    this.endRead();
  }

  private writtenSince(tableName: string, itemKey: string, readAt: number): boolean {
    if (this.writeSeq === readAt) return false;
    return (this.writtenAt.get(itemKey) ?? 0) > readAt || (this.writtenAt.get(tableMark(tableName)) ?? 0) > readAt;
  }

  private removed(entryKey: string | undefined, entry: CacheEntry<unknown>): void {
    this.tableStats(entry.tableName).EstimatedDbSize -= entry.size;
    if (entryKey === undefined) return;
    const { itemKey } = entry.value as ItemEntry;
    if (entryKey === itemKey) return;
    const projected = this.projections.get(itemKey);
    projected?.delete(entryKey);
    if (projected?.size === 0) this.projections.delete(itemKey);
  }

  private count(metric: string): void {
    this.counters[metric]!++;
  }

  private countTable(tableName: string, metric: DaxCacheMetric): void {
    this.count(metric);
    this.tableStats(tableName)[metric]++;
  }

  private tableStats(tableName: string): DaxTableStats {
    let stats = this.tables.get(tableName);
    if (stats === undefined) this.tables.set(tableName, (stats = emptyTableStats()));
    return stats;
  }
}

const BATCH_GET_MEMBERS = new Set(['RequestItems', 'ReturnConsumedCapacity']);

/** A GetItem the item cache can serve: its table, the item its Key names, and its projection. */
interface ItemRead {
  readonly tableName: string;
  readonly itemKey: string;
  readonly projection: string;
}

/** A Query or Scan the query cache can serve: the whole request as its cache key. */
interface QueryRead {
  readonly operation: 'Query' | 'Scan';
  readonly tableName: string;
  readonly cacheKey: string;
}

/** The ItemRead of a GetItem request; undefined when it must pass through (strongly consistent, or not a request the cache understands). */
function itemReadOf(input: DaxRequest): ItemRead | undefined {
  if (!cacheableRead(input, GET_ITEM_MEMBERS)) return undefined;
  const tableName = input.TableName as string;
  const itemKey = itemKeyOf(tableName, input.Key);
  const projection = projectionOf(input);
  return itemKey === undefined || projection === undefined ? undefined : { tableName, itemKey, projection };
}

/** The marker of "every item of this table was written" in `writtenAt`. */
function tableMark(tableName: string): string {
  return `\u0001${tableName}`;
}

/** An eventually consistent GetItem with only members the item cache understands, and a valid ReturnConsumedCapacity. */
function cacheableRead(input: DaxRequest, members: ReadonlySet<string>): boolean {
  return (
    typeof input.TableName === 'string' &&
    (input.ConsistentRead === undefined || input.ConsistentRead === false) &&
    RETURN_CONSUMED_CAPACITY.has(input.ReturnConsumedCapacity as string) &&
    onlyMembers(input, members)
  );
}

function onlyMembers(input: Record<string, unknown>, members: ReadonlySet<string>): boolean {
  for (const name in input) if (!members.has(name) && input[name] !== undefined) return false;
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
