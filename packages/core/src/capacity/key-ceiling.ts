import { TokenBucket } from './token-bucket.js';

/** DynamoDB's per-partition throughput: 3,000 read units or 1,000 write units a second, or a linear mix. */
export const PARTITION_READ_UNITS_PER_SECOND = 3000;
export const PARTITION_WRITE_UNITS_PER_SECOND = 1000;
/** A write unit uses as much of a partition as this many read units (the linear mix). */
const WRITE_WEIGHT = PARTITION_READ_UNITS_PER_SECOND / PARTITION_WRITE_UNITS_PER_SECOND;

/**
 * The per-partition-key ceiling of one table or index: adaptive capacity isolates a hot partition key
 * on a partition of its own, so no single key (item collection) gets more than 3,000 RCU or 1,000 WCU a
 * second (or a linear mix of both), whatever the table's headroom. One bucket per key, counted in read
 * units with no burst; a bucket that has refilled is forgotten, and at most `maxKeys` are kept (the oldest
 * go first), so memory stays bounded by the keys active within the last second.
 */
export class KeyCeiling {
  private readonly buckets = new Map<string, TokenBucket>();
  /**
   * Every key's charges together, in a bucket like each key's: a key's bucket never holds fewer tokens
   * than this one (it is charged a part of the same units), so while this one admits, every key does
   * and admission needs no look-up.
   */
  private readonly all: TokenBucket;

  constructor(
    private readonly maxKeys: number,
    now: number,
  ) {
    this.all = new TokenBucket(PARTITION_READ_UNITS_PER_SECOND, 1, now);
  }

  /** Whether `key` may take another request at `now`. O(1). */
  admits(key: string, now: number): boolean {
    if (this.all.admits(now)) return true;
    const bucket = this.buckets.get(key);
    return bucket === undefined || bucket.admits(now);
  }

  /** Charges `units` of reads or writes to `key` at `now`. O(1) amortised. */
  charge(key: string, units: number, write: boolean, now: number): void {
    if (units <= 0) return;
    const weighted = write ? units * WRITE_WEIGHT : units;
    this.all.charge(weighted, now);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) this.prune(now);
      bucket = new TokenBucket(PARTITION_READ_UNITS_PER_SECOND, 1, now);
      this.buckets.set(key, bucket);
    }
    bucket.charge(weighted, now);
  }

  /** How many keys are tracked (tests: memory stays bounded). */
  get size(): number {
    return this.buckets.size;
  }

  /** Forgets refilled buckets; if every key is still busy, the oldest half (Map order is insertion order). */
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
    if (this.buckets.size < this.maxKeys) return;
    let drop = Math.ceil(this.buckets.size / 2);
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
