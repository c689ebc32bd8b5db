import type { Refusal } from './throttling.js';

const MINUTE_MS = 60_000;

/**
 * One minute of one table or GSI, as CloudWatch's AWS/DynamoDB namespace would show it: Sum statistics
 * of consumed units, throttle events (one per throttled resource per request), and throttled requests by
 * operation.
 */
export interface MinuteMetrics {
  /** The minute's start, ms since the epoch. */
  readonly timestamp: number;
  ConsumedReadCapacityUnits: number;
  ConsumedWriteCapacityUnits: number;
  ReadThrottleEvents: number;
  WriteThrottleEvents: number;
  /** Throttled requests by operation (`PutItem`, `BatchWriteItem`, …). */
  ThrottledRequests: Record<string, number>;
}

/** What `metrics()` is asked for: a table or one of its GSIs, over `[from, to)` (ms of the clock). */
export interface MetricsQuery {
  /** A GSI of the table (default: the table itself). */
  indexName?: string;
  /** Start, inclusive (default: the window's start). */
  from?: number;
  /** End, exclusive (default: now). */
  to?: number;
}

function emptyMinute(timestamp: number): MinuteMetrics {
  return { timestamp, ConsumedReadCapacityUnits: 0, ConsumedWriteCapacityUnits: 0, ReadThrottleEvents: 0, WriteThrottleEvents: 0, ThrottledRequests: {} };
}

/**
 * The minutes of one table or GSI, oldest first, at most `windowMinutes` of them (older ones are
 * dropped as new minutes start). The minute being written is kept at hand: charging it is a comparison
 * and an addition.
 */
export class MetricSeries {
  readonly minutes = new Map<number, MinuteMetrics>();
  private current: MinuteMetrics | undefined;
  private currentStart = Infinity;
  private currentEnd = -Infinity;

  constructor(private readonly windowMinutes: number) {}

  /** Adds consumed units at `now`. O(1) amortised. */
  consumed(write: boolean, units: number, now: number): void {
    // The minute at hand checked here, so the common case makes no call.
    const minute = now < this.currentEnd && now >= this.currentStart ? this.current! : this.minuteAt(now);
    if (write) minute.ConsumedWriteCapacityUnits += units;
    else minute.ConsumedReadCapacityUnits += units;
  }

  /** The minute holding `now`, created (and the window trimmed) when it starts. */
  minuteAt(now: number): MinuteMetrics {
    const current = this.current;
    if (current !== undefined && now < this.currentEnd && now >= current.timestamp) return current;
    const timestamp = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    let minute = this.minutes.get(timestamp);
    if (minute === undefined) {
      const oldest = timestamp - (this.windowMinutes - 1) * MINUTE_MS;
      for (const t of this.minutes.keys()) {
        if (t >= oldest) break;
        this.minutes.delete(t);
      }
      minute = emptyMinute(timestamp);
      this.minutes.set(timestamp, minute);
    }
    this.current = minute;
    this.currentStart = timestamp;
    this.currentEnd = timestamp + MINUTE_MS;
    return minute;
  }
}

/**
 * Per-minute metrics of every table and GSI, kept for `windowMinutes` of the clock: at most that many
 * minutes per resource, so memory stays bounded.
 */
export class CapacityMetrics {
  /** Per resource (`table` or `table/index/name`). */
  private readonly all = new Map<string, MetricSeries>();

  constructor(private readonly windowMinutes: number) {}

  /** The series of a table or GSI (created on first use; the same object for as long as the module lives). */
  series(tableName: string, indexName: string | undefined): MetricSeries {
    const key = keyOf(tableName, indexName);
    let series = this.all.get(key);
    if (series === undefined) this.all.set(key, (series = new MetricSeries(this.windowMinutes)));
    return series;
  }

  /** Adds consumed units. O(1) amortised. */
  consumed(tableName: string, indexName: string | undefined, write: boolean, units: number, now: number): void {
    this.series(tableName, indexName).consumed(write, units, now);
  }

  /** Adds one throttled request of `operation` on `tableName` and a throttle event per refused resource. */
  throttled(tableName: string, operation: string, refusals: readonly Refusal[], now: number): void {
    const table = this.series(tableName, undefined).minuteAt(now);
    table.ThrottledRequests[operation] = (table.ThrottledRequests[operation] ?? 0) + 1;
    for (const refusal of refusals) {
      const index = refusal.resource === 'Index' ? refusal.arn.slice(refusal.arn.lastIndexOf('/') + 1) : undefined;
      const minute = index === undefined ? table : this.series(tableName, index).minuteAt(now);
      if (refusal.write) minute.WriteThrottleEvents++;
      else minute.ReadThrottleEvents++;
    }
  }

  /** The minutes of a table or GSI within `[from, to)` and the window, oldest first, quiet minutes as zeros. O(minutes). */
  query(tableName: string, query: MetricsQuery, now: number): MinuteMetrics[] {
    const windowStart = (Math.floor(now / MINUTE_MS) - this.windowMinutes + 1) * MINUTE_MS;
    const from = Math.max(windowStart, Math.floor((query.from ?? windowStart) / MINUTE_MS) * MINUTE_MS);
    const to = Math.min(query.to ?? now + 1, now + 1);
    const minutes = this.all.get(keyOf(tableName, query.indexName))?.minutes;
    const out: MinuteMetrics[] = [];
    for (let t = from; t < to; t += MINUTE_MS) {
      const minute = minutes?.get(t);
      out.push(minute === undefined ? emptyMinute(t) : { ...minute, ThrottledRequests: { ...minute.ThrottledRequests } });
    }
    return out;
  }

  /** How many minutes are kept in all (tests: memory stays bounded). */
  get size(): number {
    let n = 0;
    for (const series of this.all.values()) n += series.minutes.size;
    return n;
  }
}

function keyOf(tableName: string, indexName: string | undefined): string {
  return indexName === undefined ? tableName : `${tableName}/index/${indexName}`;
}
