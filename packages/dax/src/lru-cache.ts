/** One cached value with what eviction and expiry need. */
export interface CacheEntry<V> {
  readonly value: V;
  /** Bytes this entry is counted as (its payload's DynamoDB size plus its cache key). */
  readonly size: number;
  /** When it was stored, in ms of the clock: it expires `ttl` after. */
  readonly storedAt: number;
  /** The table it belongs to, for per-table statistics. */
  readonly tableName: string;
}

/**
 * A string-keyed cache with a time to live and a memory budget, evicting the least recently used entries
 * (a Map keeps insertion order: a hit moves its entry to the end, eviction takes from the front). DAX keeps
 * one LRU list per cache, tracking "when an item was first written to the cache, and when the item was last
 * read from the cache" (DAX.concepts.html#DAX.concepts.item-cache). Every operation is O(1) except eviction,
 * which is O(entries evicted).
 */
export class LruCache<V> {
  private readonly entries = new Map<string, CacheEntry<V>>();
  /** Bytes held now (DAX's EstimatedDbSize for this cache). */
  bytes = 0;
  /** Bytes evicted by the LRU so far (DAX's EvictedSize); expired entries dropped on read are not counted. */
  evictedBytes = 0;

  constructor(
    private readonly budgetBytes: number,
    private readonly onRemove: (key: string, entry: CacheEntry<V>) => void = () => {},
  ) {}

  /** How many entries are held. */
  get size(): number {
    return this.entries.size;
  }

  /** The live entry under `key` (touching it), or undefined when there is none or it has outlived `ttlMs` (0: never expires). */
  get(key: string, now: number, ttlMs: number): CacheEntry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (ttlMs > 0 && now - entry.storedAt >= ttlMs) {
      this.remove(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Stores `entry` under `key` as the most recently used, then evicts from the least recently used end until
   * within budget. False when the entry alone exceeds the budget: it is not stored (and any old entry is gone).
   */
  set(key: string, entry: CacheEntry<V>): boolean {
    const old = this.entries.get(key);
    if (old !== undefined) this.remove(key, old);
    if (entry.size > this.budgetBytes) return false;
    this.entries.set(key, entry);
    this.bytes += entry.size;
    for (const [oldest, victim] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.remove(oldest, victim);
      this.evictedBytes += victim.size;
    }
    return true;
  }

  /** Removes the entry under `key`, if any. */
  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) this.remove(key, entry);
  }

  /** Removes every entry `matches` accepts. O(entries). */
  deleteWhere(matches: (key: string, entry: CacheEntry<V>) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(key, entry)) this.remove(key, entry);
  }

  private remove(key: string, entry: CacheEntry<V>): void {
    this.entries.delete(key);
    this.bytes -= entry.size;
    this.onRemove(key, entry);
  }
}
