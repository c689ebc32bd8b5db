/**
 * A Map whose entries savepoints share: `share()` and `adopt()` cost O(1), and the first change after
 * either copies the entries once (for `db.savepoint()`, whose snapshot must never change, and for each
 * rollback, which may go back to the same snapshot again). Reads cost what a Map's do.
 */
export class CopyOnWriteMap<K, V> implements Iterable<[K, V]> {
  private map = new Map<K, V>();
  /** Whether a snapshot holds `map` too (copied before the next change). */
  private shared = false;

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): this {
    this.writable().set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.map.has(key) && this.writable().delete(key);
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.map[Symbol.iterator]();
  }

  /** The entries as they are now, never to change (the map copies them before its next change). O(1). */
  share(): ReadonlyMap<K, V> {
    this.shared = true;
    return this.map;
  }

  /** Puts back entries `share()` returned, still shared with it. O(1). */
  adopt(saved: ReadonlyMap<K, V>): void {
    this.map = saved as Map<K, V>;
    this.shared = true;
  }

  private writable(): Map<K, V> {
    if (this.shared) {
      this.map = new Map(this.map);
      this.shared = false;
    }
    return this.map;
  }
}
