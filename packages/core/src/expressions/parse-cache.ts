/**
 * A bounded map from key to parsed tree. When full, the oldest entry goes (insertion order): cheap on the
 * hit path (one Map lookup, no reordering), and a working set smaller than the bound never misses.
 * Trees are frozen, so one may be handed to any number of requests.
 */
export class ParseCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(readonly capacity: number = 1000) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    const entries = this.entries;
    if (entries.size >= this.capacity && !entries.has(key)) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
    entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
