import type { ChangeBatch, ModuleContext, TableDescription, TableSnapshot, TableView } from '@magneto/core';
import { ChangeHistory, type RetainedChange } from './change-history.js';
import { snapshotItems, type ItemSource } from './item-source.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A checkpoint: the table's items as of every change up to `seq` (an O(1) snapshot, or recovered items). */
export interface Checkpoint {
  readonly takenAt: number;
  readonly seq: number;
  readonly items: ItemSource;
}

/**
 * The point-in-time recovery history of one table (by TableId: a table re-created under the same name
 * has another): periodic checkpoints plus every change since the oldest, so a restore to time T starts
 * from the newest checkpoint at or before T and replays at most one interval of changes.
 */
export interface TableHistory {
  readonly tableId: string;
  readonly tableName: string;
  readonly tableArn: string;
  /** The table's definition, refreshed on every catalog change while it exists. */
  source: TableDescription;
  enabled: boolean;
  recoveryPeriodInDays: number;
  /** The earliest restorable time: when PITR was enabled, moved forward as history is dropped. */
  earliest: number;
  /** When the table was deleted (restorable up to then, for its recovery period). */
  deletedAt?: number;
  checkpoints: Checkpoint[];
  /** Every change since the oldest checkpoint (and its bytes, toward maxHistoryBytes). */
  readonly changes: ChangeHistory;
}

/** Options of PITR history (see BackupOptions). */
export interface HistoryOptions {
  readonly checkpointIntervalMs: number;
  readonly maxHistoryBytes: number;
  /** How far LatestRestorableDateTime trails the clock (DynamoDB: "typically 5 minutes before the current time"). */
  readonly latestRestorableDelayMs: number;
}

/**
 * PITR for every table of a database: it follows the change feed, keeps each enabled table's history,
 * trims it to the recovery period and to `maxHistoryBytes`, and answers restores.
 */
export class ContinuousBackups {
  /** Histories of live tables, by table name (the change feed names tables). */
  private readonly live = new Map<string, TableHistory>();
  /** Histories of deleted tables still within their recovery period. */
  private readonly deleted: TableHistory[] = [];

  constructor(
    private readonly context: ModuleContext,
    private readonly options: HistoryOptions,
  ) {}

  /** The history of the live table, if PITR was ever enabled on it. */
  historyOf(table: TableView): TableHistory | undefined {
    const history = this.live.get(table.name);
    return history?.tableId === table.id ? history : undefined;
  }

  /** The newest deleted-table history with this ARN, within its window. */
  deletedHistory(tableArn: string): TableHistory | undefined {
    this.dropExpiredDeleted();
    for (let i = this.deleted.length - 1; i >= 0; i--) if (this.deleted[i]!.tableArn === tableArn) return this.deleted[i];
    return undefined;
  }

  /** Every history, live and deleted (durable storage saves them). */
  histories(): TableHistory[] {
    return [...this.live.values(), ...this.deleted];
  }

  /** Puts a history back (durable storage's recovery). */
  adopt(history: TableHistory): void {
    if (history.deletedAt === undefined) this.live.set(history.tableName, history);
    else this.deleted.push(history);
  }

  /** UpdateContinuousBackups: enables (a first checkpoint now) or disables (history dropped) PITR. */
  update(table: TableView, source: TableDescription, enabled: boolean, recoveryPeriodInDays: number, now: number): TableHistory | undefined {
    const current = this.historyOf(table);
    if (!enabled) {
      this.live.delete(table.name);
      return undefined;
    }
    if (current !== undefined && current.enabled) {
      current.recoveryPeriodInDays = recoveryPeriodInDays;
      this.trim(current, now);
      return current;
    }
    const history: TableHistory = {
      tableId: table.id,
      tableName: table.name,
      tableArn: table.arn,
      source,
      enabled: true,
      recoveryPeriodInDays,
      earliest: now,
      checkpoints: [],
      changes: new ChangeHistory(),
    };
    history.checkpoints.push(this.checkpointOf(this.context.snapshotTable(table.name), now));
    this.live.set(table.name, history);
    return history;
  }

  /** The highest sequence number seen on the change feed (a checkpoint holds every change up to it). */
  lastSeq = 0;

  /** The change feed: records each change of a table with PITR, and takes a checkpoint once an interval has passed. */
  onChange(batch: ChangeBatch): void {
    const records = batch.records;
    if (records.length === 0) return;
    this.lastSeq = records[records.length - 1]!.sequenceNumber;
    if (this.live.size === 0) return;
    let touched: TableHistory[] | undefined;
    for (const record of records) {
      const history = this.live.get(record.tableName);
      if (history === undefined) continue;
      history.changes.append(record.sequenceNumber, record.timestamp, record.keys, record.newImage);
      (touched ??= []).push(history);
    }
    if (touched === undefined) return;
    for (const history of touched) {
      const last = history.checkpoints[history.checkpoints.length - 1]!;
      const now = records[records.length - 1]!.timestamp;
      if (now - last.takenAt >= this.options.checkpointIntervalMs || history.changes.bytes > this.options.maxHistoryBytes) {
        history.checkpoints.push(this.checkpointOf(this.context.snapshotTable(history.tableName), now));
        this.trim(history, now);
      }
    }
  }

  /** Records that a table is gone: its history stays restorable up to now for its recovery period. */
  tableDeleted(tableName: string, tableId: string, now: number, source: TableDescription): void {
    const history = this.live.get(tableName);
    if (history === undefined || history.tableId !== tableId) return;
    this.live.delete(tableName);
    history.deletedAt = now;
    history.source = source;
    this.deleted.push(history);
  }

  /** The instants a history holds, in ms (trimming it first): from its earliest to the deletion or now (exports read it). */
  window(history: TableHistory): { earliest: number; latest: number } {
    const now = this.context.clock.now();
    const latest = history.deletedAt ?? now;
    this.trim(history, now);
    return { earliest: Math.max(history.earliest, latest - history.recoveryPeriodInDays * DAY_MS), latest };
  }

  /**
   * EarliestRestorableDateTime and LatestRestorableDateTime as DynamoDB reports them: a live table's
   * latest trails the clock by `latestRestorableDelayMs` (never before the window's start); a deleted
   * table's is its deletion.
   */
  restorableWindow(history: TableHistory): { earliest: number; latest: number } {
    const { earliest, latest } = this.window(history);
    if (history.deletedAt !== undefined) return { earliest, latest };
    const lagged = Math.max(earliest, latest - this.options.latestRestorableDelayMs);
    return { earliest, latest: lagged };
  }

  /**
   * The items of the table at `time` (ms, within the window): the newest checkpoint at or before it and
   * the changes after that checkpoint up to and including `time`.
   */
  stateAt(history: TableHistory, time: number): { checkpoint: Checkpoint; changes: RetainedChange[] } {
    let checkpoint = history.checkpoints[0]!;
    for (const candidate of history.checkpoints) if (candidate.takenAt <= time) checkpoint = candidate;
    return { checkpoint, changes: [...history.changes.between(checkpoint.seq, time)] };
  }

  /** A checkpoint of the table now, holding every change up to the last one seen, as of `takenAt` (the clock, or a replayed change's time). */
  private checkpointOf(snapshot: TableSnapshot, takenAt: number): Checkpoint {
    return { takenAt, seq: this.lastSeq, items: snapshotItems(snapshot, this.context.getTable(snapshot.tableName)!.itemCount) };
  }

  /**
   * Drops what no restore within the window needs: checkpoints older than the newest one at or before the
   * window's start, and the changes they cover. Past `maxHistoryBytes` it drops whole intervals from the
   * oldest on, moving EarliestRestorableDateTime forward to the oldest checkpoint left.
   */
  private trim(history: TableHistory, now: number): void {
    const checkpoints = history.checkpoints;
    for (;;) {
      const next = checkpoints[1];
      if (next === undefined) return;
      const windowStart = (history.deletedAt ?? now) - history.recoveryPeriodInDays * DAY_MS;
      const overBudget = history.changes.bytes > this.options.maxHistoryBytes;
      if (next.takenAt > windowStart && !overBudget) return;
      checkpoints.shift();
      if (overBudget) history.earliest = Math.max(history.earliest, next.takenAt);
      history.changes.dropThrough(next.seq);
    }
  }

  private dropExpiredDeleted(): void {
    const now = this.context.clock.now();
    for (let i = this.deleted.length - 1; i >= 0; i--) {
      const history = this.deleted[i]!;
      if (now - history.deletedAt! > history.recoveryPeriodInDays * DAY_MS) this.deleted.splice(i, 1);
    }
  }
}

