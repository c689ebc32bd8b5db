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
 * Per-minute metrics of every table and GSI, kept for `windowMinutes` of the clock: at most that many
 * minutes per resource (older ones are dropped as new minutes start), so memory stays bounded.
 */
export class CapacityMetrics {
  /** Per resource (`table` or `table/index/name`), its minutes oldest first. */
  private readonly series = new Map<string, Map<number, MinuteMetrics>>();

  constructor(private readonly windowMinutes: number) {}

  /** Adds consumed units. O(1) amortised. */
  consumed(tableName: string, indexName: string | undefined, write: boolean, units: number, now: number): void {
    const minute = this.minuteOf(tableName, indexName, now);
    if (write) minute.ConsumedWriteCapacityUnits += units;
    else minute.ConsumedReadCapacityUnits += units;
  }

  /** Adds one throttled request of `operation` on `tableName` and a throttle event per refused resource. */
  throttled(tableName: string, operation: string, refusals: readonly Refusal[], now: number): void {
    const table = this.minuteOf(tableName, undefined, now);
    table.ThrottledRequests[operation] = (table.ThrottledRequests[operation] ?? 0) + 1;
    for (const refusal of refusals) {
      const index = refusal.resource === 'Index' ? refusal.arn.slice(refusal.arn.lastIndexOf('/') + 1) : undefined;
      const minute = index === undefined ? table : this.minuteOf(tableName, index, now);
      if (refusal.write) minute.WriteThrottleEvents++;
      else minute.ReadThrottleEvents++;
    }
  }

  /** The minutes of a table or GSI within `[from, to)` and the window, oldest first, quiet minutes as zeros. O(minutes). */
  query(tableName: string, query: MetricsQuery, now: number): MinuteMetrics[] {
    const windowStart = (Math.floor(now / MINUTE_MS) - this.windowMinutes + 1) * MINUTE_MS;
    const from = Math.max(windowStart, Math.floor((query.from ?? windowStart) / MINUTE_MS) * MINUTE_MS);
    const to = Math.min(query.to ?? now + 1, now + 1);
    const minutes = this.series.get(keyOf(tableName, query.indexName));
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
    for (const minutes of this.series.values()) n += minutes.size;
    return n;
  }

  /** The table minute last used: most requests charge the same table within one minute. */
  private last: { tableName: string; minute: MinuteMetrics } | undefined;

  private minuteOf(tableName: string, indexName: string | undefined, now: number): MinuteMetrics {
    const last = this.last;
    if (indexName === undefined && last !== undefined && last.tableName === tableName && now - last.minute.timestamp < MINUTE_MS && now >= last.minute.timestamp) {
      return last.minute;
    }
    const minute = this.lookUp(tableName, indexName, now);
    if (indexName === undefined) this.last = { tableName, minute };
    return minute;
  }

  private lookUp(tableName: string, indexName: string | undefined, now: number): MinuteMetrics {
    const key = keyOf(tableName, indexName);
    let minutes = this.series.get(key);
    if (minutes === undefined) this.series.set(key, (minutes = new Map()));
    const timestamp = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    let minute = minutes.get(timestamp);
    if (minute === undefined) {
      const oldest = timestamp - (this.windowMinutes - 1) * MINUTE_MS;
      for (const t of minutes.keys()) {
        if (t >= oldest) break;
        minutes.delete(t);
      }
      minute = emptyMinute(timestamp);
      minutes.set(timestamp, minute);
    }
    return minute;
  }
}

function keyOf(tableName: string, indexName: string | undefined): string {
  return indexName === undefined ? tableName : `${tableName}/index/${indexName}`;
}
