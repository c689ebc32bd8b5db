/** An entry `own` holds for a key removed from `base`. */
const REMOVED: unique symbol = Symbol('removed');

/**
 * A Map whose entries savepoints share (for `db.savepoint()`, whose snapshot must never change, and for
 * each rollback, which may go back to the same snapshot again). It is a shared, never-changed `base` and
 * its own changes over it: `adopt()` (a rollback) is O(1), and so is `share()` (a savepoint) when nothing
 * changed since the last share or adopt; otherwise `share()` merges the changes into a new base, O(entries).
 * Writes and reads stay O(1): one lookup in the changes, then one in the base. Values are never undefined.
 */
export class CopyOnWriteMap<K, V> implements Iterable<[K, V]> {
  /** A map holding `saved` (entries `share()` returned), still shared with it. O(1). */
  static adopting<K, V>(saved: ReadonlyMap<K, V>): CopyOnWriteMap<K, V> {
    const map = new CopyOnWriteMap<K, V>();
    map.adopt(saved);
    return map;
  }

  /** Shared with savepoints: never changed. */
  private base: ReadonlyMap<K, V> = new Map();
  /** The changes since `base` was shared or adopted. */
  private own = new Map<K, V | typeof REMOVED>();
  /** Entries added by `own` minus entries it removed. */
  private sizeDelta = 0;

  get size(): number {
    return this.base.size + this.sizeDelta;
  }

  get(key: K): V | undefined {
    const changed = this.own.get(key);
    if (changed !== undefined) return changed === REMOVED ? undefined : changed;
    return this.base.get(key);
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    if (!this.has(key)) this.sizeDelta++;
    this.own.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    if (!this.has(key)) return false;
    if (this.base.has(key)) this.own.set(key, REMOVED);
    else this.own.delete(key);
    this.sizeDelta--;
    return true;
  }

  *[Symbol.iterator](): IterableIterator<[K, V]> {
    for (const entry of this.base) if (!this.own.has(entry[0])) yield entry;
    for (const [key, value] of this.own) if (value !== REMOVED) yield [key, value];
  }

  /** Removes every entry (savepoints keep theirs). O(1). */
  clear(): void {
    this.adopt(new Map());
  }

  /** The entries as they are now, never to change: O(1) when nothing changed since the last share or adopt. */
  share(): ReadonlyMap<K, V> {
    if (this.own.size > 0) {
      const merged = new Map(this.base);
      for (const [key, value] of this.own) {
        if (value === REMOVED) merged.delete(key);
        else merged.set(key, value);
      }
      this.base = merged;
      this.own = new Map();
      this.sizeDelta = 0;
    }
    return this.base;
  }

  /** Puts back entries `share()` returned, still shared with it. O(1). */
  adopt(saved: ReadonlyMap<K, V>): void {
    this.base = saved;
    this.own = new Map();
    this.sizeDelta = 0;
  }
}
