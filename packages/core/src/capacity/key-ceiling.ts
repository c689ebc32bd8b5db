import { TokenBucket } from './token-bucket.js';

/** DynamoDB's per-partition throughput: 3,000 read units or 1,000 write units a second, or a linear mix. */
export const PARTITION_READ_UNITS_PER_SECOND = 3000;
export const PARTITION_WRITE_UNITS_PER_SECOND = 1000;
/** A write unit uses as much of a partition as this many read units (the linear mix). */
const WRITE_WEIGHT = PARTITION_READ_UNITS_PER_SECOND / PARTITION_WRITE_UNITS_PER_SECOND;
/** Charges held back (see KeyCeiling.pending) before they go to their keys' buckets. */
const PENDING = 16;

/**
 * The per-partition-key ceiling of one table or index: adaptive capacity isolates a hot partition key
 * on a partition of its own, so no single key (item collection) gets more than 3,000 RCU or 1,000 WCU a
 * second (or a linear mix of both), whatever the table's headroom. One bucket per key, counted in read
 * units with no burst; a bucket that has refilled is forgotten, and at most `maxKeys` are kept (the oldest
 * go first), so memory stays bounded by the keys active within the last second.
 *
 * Cheap while no key can be near the ceiling: every key's charges also go to one bucket for them all
 * (`all`), and a key's bucket never holds fewer tokens than that one. So while `all` holds tokens every
 * key is admitted without a look-up, and whenever `all` is full every key's bucket is full too and all
 * of them are forgotten at once. Charges made since `all` was last full wait in a fixed ring
 * (`pending`) and reach their keys' buckets (in clock order, so the buckets are exact) only when the
 * ring fills or a key must be looked up; traffic that leaves `all` full between requests — under
 * 3,000 RCU / 1,000 WCU a second for the whole table — never touches a Map and allocates nothing.
 */
export class KeyCeiling {
  private readonly buckets = new Map<string, TokenBucket>();
  /** Every key's charges together, in a bucket like each key's. */
  private readonly all: TokenBucket;
  private readonly pendingKeys: string[] = new Array<string>(PENDING).fill('');
  private readonly pendingUnits = new Float64Array(PENDING);
  private readonly pendingAt = new Float64Array(PENDING);
  private pending = 0;

  constructor(
    private readonly maxKeys: number,
    now: number,
  ) {
    this.all = new TokenBucket(PARTITION_READ_UNITS_PER_SECOND, 1, now);
  }

  /** Whether `key` may take another request at `now`. O(1). */
  admits(key: string, now: number): boolean {
    if (this.all.admits(now)) return true;
    this.flush();
    const bucket = this.buckets.get(key);
    return bucket === undefined || bucket.admits(now);
  }

  /** Charges `units` of reads or writes to `key` at `now`. O(1) amortised. */
  charge(key: string, units: number, write: boolean, now: number): void {
    if (units <= 0) return;
    const weighted = write ? units * WRITE_WEIGHT : units;
    if (this.all.chargeFromFull(weighted, now)) {
      // Every key's bucket was full: each is the same as a new one.
      this.pending = 0;
      if (this.buckets.size !== 0) this.buckets.clear();
    } else if (this.pending === PENDING) this.flush();
    const i = this.pending++;
    this.pendingKeys[i] = key;
    this.pendingUnits[i] = weighted;
    this.pendingAt[i] = now;
  }

  /** How many keys are tracked (tests: memory stays bounded). */
  get size(): number {
    this.flush();
    return this.buckets.size;
  }

  /** Gives the pending charges to their keys' buckets, oldest first. */
  private flush(): void {
    const count = this.pending;
    this.pending = 0;
    for (let i = 0; i < count; i++) {
      const key = this.pendingKeys[i]!;
      const at = this.pendingAt[i]!;
      let bucket = this.buckets.get(key);
      if (bucket === undefined) {
        if (this.buckets.size >= this.maxKeys) this.prune(at);
        bucket = new TokenBucket(PARTITION_READ_UNITS_PER_SECOND, 1, at);
        this.buckets.set(key, bucket);
      }
      bucket.charge(this.pendingUnits[i]!, at);
    }
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
