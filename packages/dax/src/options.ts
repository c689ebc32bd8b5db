import type { Clock } from '@magneto/core';

/**
 * How an accelerator caches, named after DAX's parameter group and node settings.
 *
 * @example
 * const accelerator = dax(db, { recordTtlMillis: 60_000, queryTtlMillis: 10_000 });
 */
export interface DaxOptions {
  /**
   * The item cache's TTL in ms of the clock (DAX's `record-ttl-millis`). Default 300000 (5 minutes);
   * 0 keeps items until the LRU evicts them or a write through the accelerator replaces them.
   */
  recordTtlMillis?: number;
  /**
   * The query cache's TTL in ms of the clock (DAX's `query-ttl-millis`). Default 300000 (5 minutes);
   * 0 turns the query cache off (every Query and Scan goes to the target).
   */
  queryTtlMillis?: number;
  /** The item cache's memory budget in bytes: past it, the least recently used entries are evicted. Default 64 MiB. */
  itemCacheBytes?: number;
  /** The query cache's memory budget in bytes. Default 64 MiB. */
  queryCacheBytes?: number;
  /** The clock TTLs are measured on. Default: the Database's clock (in front of a Database), else the system clock. */
  clock?: Clock;
}

/** DaxOptions with every default applied. */
export interface ResolvedDaxOptions {
  readonly recordTtlMillis: number;
  readonly queryTtlMillis: number;
  readonly itemCacheBytes: number;
  readonly queryCacheBytes: number;
  readonly clock: Clock;
}

const FIVE_MINUTES = 300_000;
const SIXTY_FOUR_MIB = 64 * 1024 * 1024;

/** Applies the defaults; a negative or non-finite setting is a programming error and throws a RangeError naming it. */
export function resolveDaxOptions(options: DaxOptions, clock: Clock): ResolvedDaxOptions {
  const resolved = {
    recordTtlMillis: options.recordTtlMillis ?? FIVE_MINUTES,
    queryTtlMillis: options.queryTtlMillis ?? FIVE_MINUTES,
    itemCacheBytes: options.itemCacheBytes ?? SIXTY_FOUR_MIB,
    queryCacheBytes: options.queryCacheBytes ?? SIXTY_FOUR_MIB,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`dax: ${name} must be a non-negative number, got ${value}`);
  }
  return { ...resolved, clock: options.clock ?? clock };
}
