/**
 * A heavy-hitters sketch (Space-Saving, Metwally et al. 2005): at most `capacity` counters; a new key
 * when all are taken replaces the smallest, inheriting its count as its possible overcount. Every key
 * counted more than total ÷ capacity times is kept, and each kept count is at most its overcount too
 * high. Memory is bounded by `capacity` whatever the number of keys.
 */
export class HeavyHitters {
  private readonly counters = new Map<string, { count: number; error: number }>();

  constructor(private readonly capacity: number) {}

  /** Counts `key` `n` more times. O(1), or O(capacity) when a new key replaces the smallest. */
  add(key: string, n = 1): void {
    const counter = this.counters.get(key);
    if (counter !== undefined) {
      counter.count += n;
      return;
    }
    if (this.counters.size < this.capacity) {
      this.counters.set(key, { count: n, error: 0 });
      return;
    }
    let smallestKey: string | undefined;
    let smallest = Infinity;
    for (const [k, c] of this.counters) {
      if (c.count < smallest) {
        smallest = c.count;
        smallestKey = k;
      }
    }
    this.counters.delete(smallestKey!);
    this.counters.set(key, { count: smallest + n, error: smallest });
  }

  /** The kept keys and their counts (upper bounds). */
  entries(): IterableIterator<[string, { count: number; error: number }]> {
    return this.counters.entries();
  }

  /** How many counters are kept (tests: bounded). */
  get size(): number {
    return this.counters.size;
  }
}
