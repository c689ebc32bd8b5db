/** The request counts of DAX's CloudWatch metrics, one per operation the accelerator handles, plus totals. */
export const REQUEST_METRICS = {
  GetItem: 'GetItemRequestCount',
  BatchGetItem: 'BatchGetItemRequestCount',
  Query: 'QueryRequestCount',
  Scan: 'ScanRequestCount',
  PutItem: 'PutItemRequestCount',
  UpdateItem: 'UpdateItemRequestCount',
  DeleteItem: 'DeleteItemRequestCount',
  BatchWriteItem: 'BatchWriteItemRequestCount',
  TransactWriteItems: 'TransactWriteItemsCount',
  TransactGetItems: 'TransactGetItemsCount',
} as const;

/** The cache metrics DAX publishes per cluster; the accelerator also keeps them per table. */
export const CACHE_METRICS = ['ItemCacheHits', 'ItemCacheMisses', 'QueryCacheHits', 'QueryCacheMisses', 'ScanCacheHits', 'ScanCacheMisses'] as const;

/** The name of a cache hit or miss metric. */
export type DaxCacheMetric = (typeof CACHE_METRICS)[number];

/** The name of a request count metric. */
export type DaxRequestMetric = (typeof REQUEST_METRICS)[keyof typeof REQUEST_METRICS] | 'TotalRequestCount' | 'ErrorRequestCount';

/** Hits and misses of one table, and the bytes its entries hold (DAX's EstimatedDbSize, per table). */
export type DaxTableStats = Record<DaxCacheMetric, number> & { EstimatedDbSize: number };

/** One cache's size: bytes held (EstimatedDbSize), bytes the LRU evicted (EvictedSize), entries held. */
export interface DaxCacheStats {
  EstimatedDbSize: number;
  EvictedSize: number;
  Entries: number;
}

/**
 * `accelerator.stats()`: DAX's CloudWatch metrics (ItemCacheHits, ItemCacheMisses, QueryCacheHits,
 * QueryCacheMisses, ScanCacheHits, ScanCacheMisses, EvictedSize, EstimatedDbSize, the request counts,
 * ErrorRequestCount) for the accelerator, with each cache's size and each table's hits and misses. A
 * BatchGetItem counts one item-cache hit or miss per key; a Query or Scan counts in the query cache.
 */
export type DaxStats = Record<DaxCacheMetric | DaxRequestMetric, number> & {
  EvictedSize: number;
  EstimatedDbSize: number;
  itemCache: DaxCacheStats;
  queryCache: DaxCacheStats;
  tables: Record<string, DaxTableStats>;
};

/** A table's counters, all zero. */
export function emptyTableStats(): DaxTableStats {
  return { ItemCacheHits: 0, ItemCacheMisses: 0, QueryCacheHits: 0, QueryCacheMisses: 0, ScanCacheHits: 0, ScanCacheMisses: 0, EstimatedDbSize: 0 };
}
