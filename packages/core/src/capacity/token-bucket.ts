/**
 * A token bucket on the database clock: it fills at `ratePerSecond` up to `ratePerSecond × burstSeconds`
 * and a request is admitted while it holds any tokens. The request's real cost is known only once it has
 * run (the item's size), so it is charged afterwards and may leave the bucket in debt, which later
 * refills pay off — as DynamoDB admits a 400 KB write on a 1 WCU table once and then throttles. Hence
 * over any interval a bucket never lets more than `capacity + rate × seconds + one request` through.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  /** Starts full at `now` (ms). */
  constructor(
    private ratePerSecond: number,
    private burstSeconds: number,
    now: number,
  ) {
    this.tokens = this.capacity;
    this.updatedAt = now;
  }

  /** The most tokens the bucket holds: the rate times the burst window (at least one second's worth). */
  get capacity(): number {
    return this.ratePerSecond * Math.max(1, this.burstSeconds);
  }

  /** Units per second the bucket refills at. */
  get rate(): number {
    return this.ratePerSecond;
  }

  /** The tokens held at `now` (negative while in debt). O(1). */
  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** Whether a request may start at `now`: the bucket holds tokens. O(1). */
  admits(now: number): boolean {
    // Refilling only adds tokens: a bucket holding some admits without doing the arithmetic.
    return this.tokens > 0 || this.available(now) > 0;
  }

  /** Takes `units` at `now` (the bucket may go into debt). O(1). */
  charge(units: number, now: number): void {
    this.refill(now);
    this.tokens -= units;
  }

  /** Changes the rate from `now` on (UpdateTable, auto scaling): tokens held beyond the new capacity are dropped. */
  setRate(ratePerSecond: number, now: number): void {
    this.refill(now);
    this.ratePerSecond = ratePerSecond;
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** Whether the bucket is full at `now` (then it is the same as a new one, and may be forgotten). */
  isFull(now: number): boolean {
    return this.available(now) >= this.capacity;
  }

  private refill(now: number): void {
    const elapsed = now - this.updatedAt;
    if (elapsed <= 0) return;
    this.updatedAt = now;
    this.tokens = Math.min(this.capacity, this.tokens + (this.ratePerSecond * elapsed) / 1000);
  }
}
