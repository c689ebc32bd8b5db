/**
 * The database's one clock and scheduler. TTL sweeps, stream retention, PITR windows, idempotency
 * windows and table status transitions all read it, so a test can move time by days in microseconds.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Runs `callback` once `delayMs` from now; returns a function that cancels it. A real clock's timer never
   * holds the process open, unless `keepAlive` asks it to until it fires or is cancelled: work someone awaits
   * (a trigger's batching window or retry backoff) sets it; background upkeep (TTL sweeps, retention) does not.
   */
  setTimer(delayMs: number, callback: () => void, options?: { keepAlive?: boolean }): () => void;
}

/** The real clock: `Date.now()` and `setTimeout` (timers are unref'd, so only `keepAlive` ones hold a process open). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback, options) {
    const handle = setTimeout(callback, delayMs) as unknown as { unref?: () => void };
    if (options?.keepAlive !== true) handle.unref?.();
    return () => clearTimeout(handle as unknown as Parameters<typeof clearTimeout>[0]);
  },
};

interface Timer {
  readonly dueMs: number;
  readonly order: number;
  readonly callback: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires, in due order, every timer that falls
 * due (including timers those callbacks schedule within the window) and resolves after each
 * callback's microtasks have settled.
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2024, 0, 1));
 * const db = new Database({ clock, tableTransitionMs: 1000 });
 * await db.createTable({
 *   TableName: 'users',
 *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
 *   BillingMode: 'PAY_PER_REQUEST',
 * }); // TableStatus: CREATING
 * await clock.advance(1000);        // now ACTIVE
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextOrder = 0;

  constructor(startMs: number = Date.now()) {
    this.current = startMs;
  }

  /** The clock's current time, in milliseconds since the epoch. */
  now(): number {
    return this.current;
  }

  /** Schedules `callback` at `now() + delayMs`; returns a function that cancels it. */
  setTimer(delayMs: number, callback: () => void): () => void {
    const timer: Timer = { dueMs: this.current + Math.max(0, delayMs), order: this.nextOrder++, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, firing the timers that fall due in order; resolves when they have run. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be a non-negative number, got ${ms}`);
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.dueMs);
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Moves time to `ms` since the epoch (never backwards), firing the timers that fall due. */
  advanceTo(ms: number): Promise<void> {
    return this.advance(Math.max(0, ms - this.current));
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  private nextDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.dueMs > target) continue;
      if (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.order < best.order)) best = t;
    }
    return best;
  }
}

/** Lets promise chains started by a timer callback run before time moves on. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
