/** A summary of replication lag from one region, in ms of the receiving region's clock. */
export interface LatencySummary {
  /** How many writes were measured. */
  readonly count: number;
  /** The last write's lag. */
  readonly last: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** How many recent samples the percentiles are taken over. */
const WINDOW = 4096;

/**
 * ReplicationLatency of one link, as DynamoDB's CloudWatch metric of that name: the time from a write
 * in one region to its application in another, over the last 4,096 writes. O(1) per sample.
 */
export class LatencyStats {
  private readonly samples = new Float64Array(WINDOW);
  private count = 0;
  private last = 0;
  private max = 0;

  /** Records one write's lag. */
  add(ms: number): void {
    this.samples[this.count % WINDOW] = ms;
    this.count++;
    this.last = ms;
    if (ms > this.max) this.max = ms;
  }

  /** The lag so far. O(window log window). */
  summary(): LatencySummary {
    const n = Math.min(this.count, WINDOW);
    const sorted = Array.from(this.samples.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number): number => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * n))]!);
    return { count: this.count, last: this.last, p50: at(0.5), p99: at(0.99), max: this.max };
  }
}
