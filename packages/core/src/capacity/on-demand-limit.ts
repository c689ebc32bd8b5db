/** How long traffic must have been seen before on-demand capacity doubles from it (DynamoDB: 30 minutes). */
export const ON_DEMAND_SCALING_MS = 30 * 60 * 1000;
const MINUTE_MS = 60_000;
const SCALING_MINUTES = ON_DEMAND_SCALING_MS / MINUTE_MS;

/** Why an on-demand table or index refuses a request (a ThrottlingReason's limit type). */
export type OnDemandLimitType = 'KeyRangeThroughputExceeded' | 'MaxOnDemandThroughputExceeded' | 'AccountLimitExceeded';

/**
 * What one on-demand table or index serves in one direction (reads or writes), per second of the clock.
 * DynamoDB serves at once up to twice the previous peak, and a new table as if its previous peak were
 * half its initial throughput (4,000 WRU / 12,000 RRU, or its WarmThroughput); traffic beyond that may
 * throttle until DynamoDB has scaled, within 30 minutes. Modelled deterministically: the allowance is
 * `max(initial, 2 × the highest units consumed in one second at least 30 minutes ago)`, capped by
 * the table's OnDemandThroughput maximum and the per-table account quota. Memory: one peak per minute
 * of the last 30.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html
 */
export class OnDemandLimit {
  private second = -1;
  private usedThisSecond = 0;
  /** The highest per-second consumption seen more than 30 minutes ago. */
  private settledPeak = 0;
  /** Per finished minute of the last 30 (minute number → highest per-second consumption in it), oldest first. */
  private readonly recentPeaks = new Map<number, number>();
  /** The minute charged last and its highest per-second consumption so far (joins recentPeaks when it ends). */
  private minute = -1;
  private minutePeak = 0;

  constructor(
    /** Units per second served from the start (initial throughput, WarmThroughput, or the provisioned level). */
    public initialUnits: number,
    /** OnDemandThroughput's maximum (undefined: none). */
    public maxUnits: number | undefined,
    /** The per-table account quota. */
    public quotaUnits: number,
  ) {}

  /** The units per second DynamoDB would serve at `now`, before the maximum and the quota. */
  allowance(now: number): number {
    this.settle(now);
    return Math.max(this.initialUnits, 2 * this.settledPeak);
  }

  /** Why a request starting at `now` is refused, or undefined to admit it. O(1) amortised. */
  refusal(now: number): OnDemandLimitType | undefined {
    const used = this.usedIn(Math.floor(now / 1000));
    if (this.maxUnits !== undefined && used >= this.maxUnits) return 'MaxOnDemandThroughputExceeded';
    if (used >= this.quotaUnits) return 'AccountLimitExceeded';
    // The allowance never falls below the initial units: below them, no need to work it out.
    if (used >= this.initialUnits && used >= this.allowance(now)) return 'KeyRangeThroughputExceeded';
    return undefined;
  }

  /** Records `units` consumed at `now`. O(1) amortised. */
  charge(units: number, now: number): void {
    const used = this.usedIn(Math.floor(now / 1000)) + units;
    this.usedThisSecond = used;
    const minute = Math.floor(now / MINUTE_MS);
    if (minute !== this.minute) {
      if (this.minute >= 0) this.recentPeaks.set(this.minute, this.minutePeak);
      this.minute = minute;
      this.minutePeak = used;
    } else if (used > this.minutePeak) this.minutePeak = used;
  }

  private usedIn(second: number): number {
    if (second !== this.second) {
      this.second = second;
      this.usedThisSecond = 0;
    }
    return this.usedThisSecond;
  }

  /** Folds the minutes older than 30 into the settled peak. */
  private settle(now: number): void {
    const oldest = Math.floor(now / MINUTE_MS) - SCALING_MINUTES;
    for (const [minute, peak] of this.recentPeaks) {
      if (minute > oldest) break;
      if (peak > this.settledPeak) this.settledPeak = peak;
      this.recentPeaks.delete(minute);
    }
    if (this.minute >= 0 && this.minute <= oldest) {
      if (this.minutePeak > this.settledPeak) this.settledPeak = this.minutePeak;
      this.minute = -1;
      this.minutePeak = 0;
    }
  }
}
