import type { Key } from '../model/attribute-value.js';
import type { ChangeBatch } from '../modules/change-record.js';
import type { ModuleContext } from '../modules/module.js';
import { keyAttributesOf } from '../model/key-schema.js';
import { decodeAttributes } from '../storage/item-codec.js';
import { decodeStorageKey, primaryKeyCodeOf, primaryKeyIdentity } from '../storage/storage-key.js';
import type { TableView } from '../tables/table-view.js';
import { ExpiryIndex, type ExpiryKey } from './expiry-index.js';
import { expiryOf, IGNORED_AFTER_MS, isDue } from './expiry.js';
import { tableTtlOf, type PersistedTtl, type TableTtl } from './table-ttl.js';
import type { TimeToLiveHost } from './time-to-live-operations.js';

/** The longest delay handed to the clock at once (setTimeout's limit is 2^31 - 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A table whose items the expiry index tracks (TTL ENABLING or ENABLED). */
export interface Watched {
  readonly table: TableView;
  readonly state: TableTtl;
  readonly attributeName: string;
}

/**
 * One database's TTL machinery: the tables with TTL, the expiry index kept from the change feed, and
 * the sweep timer. Nothing runs while no table has TTL: no change listener, no timer.
 */
export class Sweeper {
  private readonly watched = new Map<string, Watched>();
  /** Every TTL setting UpdateTimeToLive (or recovery) changed, with its table: what a savepoint saves. */
  private configured = new Map<TableTtl, TableView>();
  private readonly index = new ExpiryIndex();
  private unsubscribe: (() => void) | undefined;
  /** Sweeps happen on the grid origin + k × interval (database clock). */
  private readonly origin: number;
  /** The sweep the timer waits for, if any. */
  private wakeAt: number | undefined;
  private cancelWake: (() => void) | undefined;
  private readonly listener = (batch: ChangeBatch): void => this.onChange(batch);

  readonly host: TimeToLiveHost;

  constructor(
    private readonly context: ModuleContext,
    private readonly interval: number,
    private readonly cap: number,
    private readonly transitionMs: number,
  ) {
    this.origin = context.clock.now();
    this.host = {
      now: () => context.clock.now(),
      findTable: (nameOrArn) => {
        this.forgetDropped();
        return this.findTable(nameOrArn);
      },
      enabled: (table, state) => this.enable(table, state),
      disabled: (table, state) => this.disable(table, state),
    };
  }

  /** The table a name or ARN (of this region and account) names. */
  findTable(nameOrArn: string): TableView | undefined {
    return this.context.getTable(this.context.tableNameOf(nameOrArn));
  }

  /** For hideExpired: the table and TTL attribute to check a read against, if the table's TTL is ENABLED. */
  hidingCheck(nameOrArn: string): Watched | undefined {
    if (this.watched.size === 0) return undefined;
    const watch = this.watched.get(this.context.tableNameOf(nameOrArn));
    if (watch === undefined || watch.state.status !== 'ENABLED' || this.context.getTable(watch.table.name) !== watch.table) return undefined;
    return watch;
  }

  private enable(table: TableView, state: TableTtl): void {
    const attributeName = state.attributeName!;
    this.configured.set(state, table);
    this.forget(table.name);
    const watch: Watched = { table, state, attributeName };
    this.watched.set(table.name, watch);
    this.unsubscribe ??= this.context.onChange(this.listener);
    // Backfill: the operation runs synchronously, so the table cannot change between this pass and the
    // listener taking over. The live storage is read directly: a snapshot would make later writes copy.
    this.backfill(table, attributeName);
    this.transition(table.name, state, () => {
      state.status = 'ENABLED';
      this.planNext(false);
    });
  }

  /**
   * A table recovered by durable storage, with its persisted TTL setting: a transition caught by the
   * restart is timed again from now; an ENABLING or ENABLED table is watched again, and its items are
   * indexed by a pass just after the database has opened (recovery loads them after this call and
   * does not run the change feed).
   */
  restore(table: TableView, persisted: PersistedTtl): void {
    const state = tableTtlOf(table);
    this.configured.set(state, table);
    state.status = persisted.status;
    state.attributeName = persisted.attributeName ?? undefined;
    state.changedAt = persisted.changedAt ?? undefined;
    if (state.status === 'DISABLING') {
      this.transition(table.name, state, () => {
        state.status = 'DISABLED';
        state.attributeName = undefined;
      });
      return;
    }
    if (state.status === 'DISABLED' || state.attributeName === undefined) return;
    this.watched.set(table.name, { table, state, attributeName: state.attributeName });
    this.unsubscribe ??= this.context.onChange(this.listener);
    if (state.status === 'ENABLING') {
      this.transition(table.name, state, () => {
        state.status = 'ENABLED';
        this.planNext(false);
      });
    }
    this.context.clock.setTimer(0, () => {
      const watch = this.watched.get(table.name);
      if (watch === undefined || watch.table !== table || this.context.getTable(table.name) !== table) return;
      this.backfill(table, watch.attributeName);
      this.planNext(false);
    });
  }

  /**
   * For `db.savepoint()` (ModuleContext.addSavepointHook): saves every table's TTL setting (those that were
   * ever changed: the others are DISABLED and stay so), the watched tables and the expiry index (an O(1)
   * B+ tree clone), and returns what puts them back, re-timing a pending ENABLING or DISABLING step.
   * O(tables given TTL).
   */
  savepoint(): () => void {
    const index = this.index.clone();
    for (const [state, table] of this.configured) if (this.context.getTable(table.name) !== table) this.configured.delete(state);
    const saved = [...this.configured].map(([state, table]) => ({ state, table, copy: { ...state } }));
    return () => {
      for (const state of this.configured.keys()) state.cancelTransition?.();
      this.watched.clear();
      this.index.restore(index);
      this.configured = new Map();
      for (const { state, table, copy } of saved) {
        // The table's own TTL setting object (its module state, put back by the rollback), changed in place since.
        Object.assign(state, copy, { cancelTransition: undefined });
        this.configured.set(state, table);
        if (state.status === 'DISABLING') {
          this.transition(table.name, state, () => {
            state.status = 'DISABLED';
            state.attributeName = undefined;
          });
        }
        if (state.status !== 'ENABLING' && state.status !== 'ENABLED') continue;
        this.watched.set(table.name, { table, state, attributeName: state.attributeName! });
        if (state.status === 'ENABLING') {
          this.transition(table.name, state, () => {
            state.status = 'ENABLED';
            this.planNext(false);
          });
        }
      }
      this.cancelWake?.();
      this.cancelWake = undefined;
      this.wakeAt = undefined;
      if (this.watched.size === 0) {
        this.unsubscribe?.();
        this.unsubscribe = undefined;
        return;
      }
      this.unsubscribe ??= this.context.onChange(this.listener);
      this.planNext(false);
    };
  }

  /**
   * Indexes every item of a table that may expire (the table cannot change meanwhile: this is synchronous).
   * Reads each stored item's TTL attribute alone, and its key attributes only if it may expire.
   */
  private backfill(table: TableView, attributeName: string): void {
    const schema = table.keySchema;
    const keyNames = keyAttributesOf(schema).map((attribute) => attribute.name);
    const expiryName = [attributeName];
    const now = this.context.clock.now();
    table.snapshot().storage.visitStored(undefined, (key, stored) => {
      const expiryMs = expiryOf(decodeAttributes(stored, expiryName), attributeName);
      if (expiryMs === undefined || expiryMs < now - IGNORED_AFTER_MS) return true;
      const code = decodeStorageKey(key);
      this.index.set({ expiryMs, tableName: table.name, id: primaryKeyIdentity({ partitionKey: code.partitionKey, sortKey: code.sortKey }) }, decodeAttributes(stored, keyNames));
      return true;
    });
  }

  private disable(table: TableView, state: TableTtl): void {
    this.configured.set(state, table);
    this.forget(table.name);
    this.transition(table.name, state, () => {
      state.status = 'DISABLED';
      state.attributeName = undefined;
    });
  }

  private transition(tableName: string, state: TableTtl, settle: () => void): void {
    state.cancelTransition?.();
    state.cancelTransition = undefined;
    if (this.transitionMs <= 0) {
      settle();
      return;
    }
    state.cancelTransition = this.context.clock.setTimer(this.transitionMs, () => {
      state.cancelTransition = undefined;
      settle();
      // Settled outside any operation: durable storage logs the table's catalog entry.
      this.context.catalogChanged(tableName);
    });
  }

  /** Stops tracking a table (TTL disabled, table dropped or replaced); the last one out stops everything. */
  private forget(tableName: string): void {
    if (!this.watched.delete(tableName)) return;
    this.index.dropTable(tableName);
    if (this.watched.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cancelWake?.();
    this.cancelWake = undefined;
    this.wakeAt = undefined;
  }

  /** Forgets the tables dropped (or replaced by a new table of the same name) since they got TTL. */
  private forgetDropped(): void {
    for (const [name, watch] of this.watched) {
      if (this.context.getTable(name) !== watch.table) this.forget(name);
    }
  }

  /** Keeps the index in step with every committed write to a table with TTL. */
  private onChange(batch: ChangeBatch): void {
    for (const record of batch.records) {
      const watch = this.watched.get(record.tableName);
      if (watch === undefined) continue;
      const attributeName = watch.attributeName;
      const oldMs = expiryOf(record.oldImage, attributeName);
      const newMs = expiryOf(record.newImage, attributeName);
      if (oldMs === newMs) continue;
      if (this.context.getTable(record.tableName) !== watch.table) {
        // The table was dropped (and maybe re-created): its entries go, and the new table has no TTL.
        this.forget(record.tableName);
        continue;
      }
      const id = primaryKeyIdentity(primaryKeyCodeOf(record.keys, watch.table.keySchema));
      if (oldMs !== undefined) this.index.delete({ expiryMs: oldMs, tableName: record.tableName, id });
      if (newMs === undefined) continue;
      const now = this.context.clock.now();
      if (newMs < now - IGNORED_AFTER_MS) continue;
      this.index.set({ expiryMs: newMs, tableName: record.tableName, id }, record.keys);
      this.scheduleWake(this.tickAfter(Math.max(newMs, now)));
    }
  }

  /** The first sweep time strictly after `t`. */
  private tickAfter(t: number): number {
    return this.origin + (Math.floor((t - this.origin) / this.interval) + 1) * this.interval;
  }

  /** Makes sure a sweep happens at `at` or earlier. */
  private scheduleWake(at: number): void {
    if (this.wakeAt !== undefined && this.wakeAt <= at) return;
    this.cancelWake?.();
    this.wakeAt = at;
    this.arm();
  }

  private arm(): void {
    const clock = this.context.clock;
    const delay = Math.min(Math.max(0, this.wakeAt! - clock.now()), MAX_TIMER_MS);
    this.cancelWake = clock.setTimer(delay, () => {
      this.cancelWake = undefined;
      // A long wait comes in steps of at most MAX_TIMER_MS: sweeps only happen on the grid.
      if (this.wakeAt === undefined) return;
      if (clock.now() < this.wakeAt) {
        this.arm();
        return;
      }
      this.wakeAt = undefined;
      this.planNext(this.sweep());
    });
  }

  /** Schedules the next sweep: the next tick if work was left, else the tick after the earliest expiry. */
  private planNext(more: boolean): void {
    const now = this.context.clock.now();
    if (more) {
      this.scheduleWake(this.tickAfter(now));
      return;
    }
    const first = this.index.first();
    if (first !== undefined) this.scheduleWake(this.tickAfter(Math.max(first[0].expiryMs, now)));
  }

  /**
   * Deletes up to `cap` due items of tables whose TTL is ENABLED, in expiry order, each re-checked
   * against the item as it is now. Returns whether due items were left for the next sweep.
   */
  sweep(): boolean {
    const now = this.context.clock.now();
    this.forgetDropped();
    const ignored: ExpiryKey[] = [];
    const due: Array<[ExpiryKey, Watched, Key]> = [];
    let more = false;
    this.index.forEachBefore(now, (key, itemKey) => {
      const watch = this.watched.get(key.tableName)!;
      if (watch.state.status !== 'ENABLED') return true;
      if (key.expiryMs < now - IGNORED_AFTER_MS) {
        ignored.push(key);
        return true;
      }
      if (due.length >= this.cap) {
        more = true;
        return false;
      }
      due.push([key, watch, itemKey]);
      return true;
    });
    for (const key of ignored) this.index.delete(key);
    for (const [key, watch, itemKey] of due) {
      this.index.delete(key);
      const current = watch.table.getItem(itemKey);
      const expiryMs = expiryOf(current, watch.attributeName);
      // Rewritten since it was indexed: its new expiry (if any) has its own entry.
      if (expiryMs === undefined || !isDue(expiryMs, now)) continue;
      this.context.systemDelete(watch.table.name, itemKey, 'ttl');
    }
    return more;
  }
}
