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

/** A cached entry in the recency list: most recently used at the tail. */
interface Node<V> {
  readonly key: string;
  readonly entry: CacheEntry<V>;
  prev: Node<V> | undefined;
  next: Node<V> | undefined;
}

/**
 * A string-keyed cache with a time to live and a memory budget, evicting the least recently used entries:
 * DAX keeps one LRU list per cache, tracking "when an item was first written to the cache, and when the
 * item was last read from the cache" (DAX.concepts.html#DAX.concepts.item-cache). A Map finds an entry, a
 * doubly linked list orders them (a hit moves its entry to the tail with a few pointer writes; eviction
 * takes from the head). Every operation is O(1) except eviction, which is O(entries evicted).
 */
export class LruCache<V> {
  private readonly nodes = new Map<string, Node<V>>();
  private head: Node<V> | undefined;
  private tail: Node<V> | undefined;
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
    return this.nodes.size;
  }

  /** The live entry under `key` (touching it), or undefined when there is none or it has outlived `ttlMs` (0: never expires). */
  get(key: string, now: number, ttlMs: number): CacheEntry<V> | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    if (ttlMs > 0 && now - node.entry.storedAt >= ttlMs) {
      this.remove(node);
      return undefined;
    }
    if (node !== this.tail) {
      this.unlink(node);
      this.append(node);
    }
    return node.entry;
  }

  /**
   * Stores `entry` under `key` as the most recently used, then evicts from the least recently used end until
   * within budget. False when the entry alone exceeds the budget: it is not stored (and any old entry is gone).
   */
  set(key: string, entry: CacheEntry<V>): boolean {
    const old = this.nodes.get(key);
    if (old !== undefined) this.remove(old);
    if (entry.size > this.budgetBytes) return false;
    const node: Node<V> = { key, entry, prev: undefined, next: undefined };
    this.nodes.set(key, node);
    this.append(node);
    this.bytes += entry.size;
    while (this.bytes > this.budgetBytes && this.head !== undefined) {
      const victim = this.head;
      this.remove(victim);
      this.evictedBytes += victim.entry.size;
    }
    return true;
  }

  /** Removes the entry under `key`, if any. */
  delete(key: string): void {
    const node = this.nodes.get(key);
    if (node !== undefined) this.remove(node);
  }

  /** Removes every entry `matches` accepts. O(entries). */
  deleteWhere(matches: (key: string, entry: CacheEntry<V>) => boolean): void {
    for (const node of [...this.nodes.values()]) if (matches(node.key, node.entry)) this.remove(node);
  }

  private remove(node: Node<V>): void {
    this.nodes.delete(node.key);
    this.unlink(node);
    this.bytes -= node.entry.size;
    this.onRemove(node.key, node.entry);
  }

  private append(node: Node<V>): void {
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail === undefined) this.head = node;
    else this.tail.next = node;
    this.tail = node;
  }

  private unlink(node: Node<V>): void {
    if (node.prev === undefined) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = undefined;
    node.next = undefined;
  }
}
