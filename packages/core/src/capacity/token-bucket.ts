/**
 * A token bucket on the database clock: it fills at `ratePerSecond` up to `ratePerSecond × burstSeconds`
 * and a request is admitted while it holds any tokens. The request's real cost is known only once it has
 * run (the item's size), so it is charged afterwards and may leave the bucket in debt, which later
 * refills pay off — as DynamoDB admits a 400 KB write on a 1 WCU table once and then throttles. Hence
 * over any interval a bucket never lets more than `capacity + rate × seconds + one request` through.
 *
 * Refilled lazily, from the clock, only when a charge or a refused-looking admission needs it: on the
 * request path that is one comparison, and for a charge a multiply-add. Tokens are kept in thousandths
 * of a unit, so a refill of whole units per second over whole milliseconds is exact integer arithmetic
 * (no division). Nothing is allocated.
 */
export class TokenBucket {
  // The number fields start as numbers (set again in the constructor): a field declared without a value
  // starts undefined, and V8 then keeps every fractional number stored in it in a new heap box — an
  // allocation per charge on the request path.
  /** Thousandths of a unit held. */
  private tokens = 0;
  private updatedAt = 0;
  /** Units per second: thousandths of a unit per millisecond. */
  private rate = 0;
  /** The most thousandths held: the rate times the burst window (at least one second's worth). */
  private max = 0;

  /** Starts full at `now` (ms). */
  constructor(
    ratePerSecond: number,
    private readonly burstSeconds: number,
    now: number,
  ) {
    this.rate = ratePerSecond;
    this.max = ratePerSecond * Math.max(1, burstSeconds) * 1000;
    this.tokens = this.max;
    this.updatedAt = now;
  }

  /** The tokens held at `now` (negative while in debt). O(1). */
  available(now: number): number {
    this.refill(now);
    return this.tokens / 1000;
  }

  /** Whether a request may start at `now`: the bucket holds tokens. O(1). */
  admits(now: number): boolean {
    // Refilling only adds tokens: a bucket holding some admits without doing the arithmetic.
    if (this.tokens > 0) return true;
    this.refill(now);
    return this.tokens > 0;
  }

  /** Takes `units` at `now` (the bucket may go into debt). O(1). */
  charge(units: number, now: number): void {
    if (now > this.updatedAt) this.refill(now);
    this.tokens -= units * 1000;
  }

  /**
   * Takes `units` at `now` and tells whether the bucket was full just before (then every bucket charged
   * a part of the same units, at the same rate and capacity, was full too). O(1).
   */
  chargeFromFull(units: number, now: number): boolean {
    if (now > this.updatedAt) this.refill(now);
    const full = this.tokens >= this.max;
    this.tokens -= units * 1000;
    return full;
  }

  /** Changes the rate from `now` on (UpdateTable, auto scaling): tokens held beyond the new capacity are dropped. */
  setRate(ratePerSecond: number, now: number): void {
    this.refill(now);
    this.rate = ratePerSecond;
    this.max = ratePerSecond * Math.max(1, this.burstSeconds) * 1000;
    if (this.tokens > this.max) this.tokens = this.max;
  }

  /** Whether the bucket is full at `now` (then it is the same as a new one, and may be forgotten). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.max;
  }

  private refill(now: number): void {
    const elapsed = now - this.updatedAt;
    if (elapsed <= 0) return;
    this.updatedAt = now;
    const tokens = this.tokens + this.rate * elapsed;
    this.tokens = tokens > this.max ? this.max : tokens;
  }
}
