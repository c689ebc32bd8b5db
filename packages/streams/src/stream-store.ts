import { INVALID, ValidationException, type ChangeBatch, type ModuleContext, type TableView } from '@magneto/core';
import { streamArn, streamLabel } from './ids.js';
import { SequenceCounter } from './sequence-number.js';
import type { ChangeForm } from './persisted-change.js';
import { Stream, type PersistedStream, type StreamViewType } from './stream.js';

/** DynamoDB Streams keeps records, and disabled streams, for 24 hours. */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The streams module's state of one table (`table.getModuleState('streams')`). */
export interface TableStreams {
  /** The enabled stream, if any. */
  enabled: Stream | undefined;
  /** The latest stream, enabled or not (LatestStreamArn outlives a disabled stream, as on DynamoDB). */
  latest: Stream | undefined;
}

const STATE_KEY = 'streams';

/** What durable storage keeps of a table's stream (enough to re-create it when the log replays its enable). */
export interface PersistedStreamRef {
  readonly arn: string;
  readonly label: string;
  readonly viewType: StreamViewType;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

/** A table's stream settings as durable storage keeps them with the table's catalog entry. */
export interface PersistedTableStreams {
  readonly enabled: PersistedStreamRef | null;
  readonly latest: PersistedStreamRef;
}

/**
 * Told after a change batch appended records to a table's stream: the table, the stream and the ids of
 * the shards that received records (each once, in the order they first received one), so a reader can
 * read just those shards. `shardIds` is only valid during the call (it is reused: copy it to keep it).
 * Internal to this package.
 */
export type AppendListener = (tableName: string, streamArn: string, shardIds: readonly string[]) => void;

/** The module-wide state in a snapshot. */
export interface PersistedStreams {
  /** The last sequence number drawn. */
  readonly counter: number;
  readonly streams: readonly PersistedStream[];
}

function refOf(stream: Stream): PersistedStreamRef {
  return { arn: stream.arn, label: stream.label, viewType: stream.viewType, createdAt: stream.createdAt, disabledAt: stream.disabledAt ?? null };
}

/** The table's stream state, if the streams module ever touched it. */
export function tableStreams(table: TableView): TableStreams | undefined {
  return table.getModuleState(STATE_KEY) as TableStreams | undefined;
}

/**
 * Every stream of one database, enabled or within retention after being disabled, with the records
 * the change feed appends to them. Retention is applied lazily, on the database clock: on appends
 * and on reads, so nothing is scheduled and memory stays bounded.
 */
export class StreamStore {
  private readonly streams = new Map<string, Stream>();
  private readonly counter = new SequenceCounter();
  private readonly appendListeners: AppendListener[] = [];
  /** The shard ids of one notification, reused so a write allocates nothing for its listeners. */
  private readonly appendedShards: string[] = [];
  /** Tables with an enabled stream: the store listens to the change feed only while there are some. */
  private enabledStreams = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly context: ModuleContext,
    readonly retentionMs: number,
  ) {
    // DeleteTable: no write reaches the table after it answers DELETING, so its stream is disabled then
    // (readable for the retention period), after DeleteTable's description still showed it.
    context.onTableEvent((event) => {
      if (event.type === 'deleting') this.disable(event.table);
    });
  }

  /** Applies a StreamSpecification of CreateTable or UpdateTable, with DynamoDB's checks and messages. */
  applySpecification(table: TableView, value: unknown, operation: 'CreateTable' | 'UpdateTable'): void {
    const spec = value as { StreamEnabled?: boolean; StreamViewType?: string };
    const state = tableStreams(table);
    if (spec.StreamEnabled === true) {
      if (spec.StreamViewType === undefined || spec.StreamViewType === null) {
        throw new ValidationException(`${INVALID}If stream is being enabled then UpdateViewType is required`);
      }
      if (state?.enabled !== undefined) {
        throw new ValidationException(`Table already has an enabled stream: TableName: ${table.name}`);
      }
      this.enable(table, spec.StreamViewType as StreamViewType);
      return;
    }
    if (spec.StreamViewType !== undefined && spec.StreamViewType !== null) {
      throw new ValidationException(`${INVALID}If stream is being disabled, then UpdateViewType must not be specified`);
    }
    // CreateTable with StreamEnabled false asks for no stream.
    if (operation === 'CreateTable') return;
    if (state?.enabled === undefined) {
      throw new ValidationException(`Table has no stream to disable: TableName: ${table.name}`);
    }
    this.disable(table);
  }

  /** Starts a new stream on the table (a new ARN and label, even if the table had one before). */
  enable(table: TableView, viewType: StreamViewType): Stream {
    const now = this.context.clock.now();
    this.prune(now);
    const state = tableStreams(table) ?? { enabled: undefined, latest: undefined };
    // Two streams of one table enabled within a millisecond still need distinct labels.
    let labelMs = now;
    if (state.latest !== undefined && streamLabel(labelMs) <= state.latest.label) labelMs = Date.parse(`${state.latest.label}Z`) + 1;
    const label = streamLabel(labelMs);
    const arn = streamArn(this.context.region, this.context.accountId, table.name, label);
    const stream = new Stream(arn, label, table, viewType, now, this.counter);
    this.streams.set(arn, stream);
    state.enabled = stream;
    state.latest = stream;
    table.setModuleState(STATE_KEY, state);
    // Writes build change records only when someone listens: a database whose tables have no stream pays nothing.
    this.startListening();
    return stream;
  }

  /** Disables the table's stream: its shards close; it stays readable for the retention period. */
  disable(table: TableView, at: number = this.context.clock.now()): void {
    const state = tableStreams(table);
    if (state?.enabled === undefined) return;
    const stream = state.enabled;
    stream.disable(at);
    state.enabled = undefined;
    this.releaseAfterRetention(stream);
    this.stopListening();
  }

  /** Past retention the stream is gone: free its records even if nothing reads or enables again. */
  private releaseAfterRetention(stream: Stream): void {
    const remaining = stream.disabledAt! + this.retentionMs - this.context.clock.now();
    this.context.clock.setTimer(Math.max(0, remaining), () => {
      if (this.streams.get(stream.arn) === stream) this.streams.delete(stream.arn);
      stream.release();
    });
  }

  private startListening(): void {
    if (this.enabledStreams++ === 0) this.unsubscribe = this.context.onChange(this.onChange);
  }

  private stopListening(): void {
    if (--this.enabledStreams === 0) {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
    }
  }

  // --- durable storage (see streams-persistence.ts for the format and the recovery order) ----------

  /** Module-wide state for a snapshot: the counter and every stream still held, with its records in `form`. */
  snapshotState(form: ChangeForm = 'durable'): PersistedStreams {
    return { counter: this.counter.current, streams: [...this.streams.values()].map((stream) => stream.persist(form)) };
  }

  /**
   * Restores what `snapshotState` returned, replacing whatever the snapshot's tables set up while they
   * loaded (their settings come first; the caller links them again with `restoreTable`).
   */
  restoreState(state: PersistedStreams, form: ChangeForm = 'durable'): void {
    this.streams.clear();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.enabledStreams = 0;
    this.counter.resume(state.counter);
    for (const persisted of state.streams) {
      const stream = new Stream(persisted.arn, persisted.label, undefined, persisted.viewType, persisted.createdAt, this.counter, persisted, form);
      this.streams.set(stream.arn, stream);
      if (stream.status === 'DISABLED') this.releaseAfterRetention(stream);
    }
  }

  /**
   * For `db.savepoint()` (ModuleContext.addSavepointHook): saves every stream, its records and each table's
   * stream settings as they are now, and returns what puts them back, through the same path durable storage
   * recovers them by, with the records as they are: each shard's RecordLog is forked (its chunks shared
   * copy-on-write), at the savepoint and at each rollback. O(shards + chunks); no record is copied or encoded.
   */
  savepoint(): () => void {
    const state = this.snapshotState('live');
    const tables = tableNamesOf(this.context).map((name) => [name, this.persistTable(this.context.getTable(name)!)] as const);
    return () => {
      this.restoreState(state, 'live');
      for (const name of tableNamesOf(this.context)) {
        const table = this.context.getTable(name)!;
        const persisted = tables.find(([saved]) => saved === name)?.[1];
        if (persisted === undefined) table.setModuleState(STATE_KEY, undefined);
        else this.restoreTable(table, persisted);
      }
      this.recovered();
    };
  }

  /** A table's stream settings as plain data (undefined: the module never touched the table). */
  persistTable(table: TableView): PersistedTableStreams | undefined {
    const state = tableStreams(table);
    if (state?.latest === undefined) return undefined;
    return { enabled: state.enabled === undefined ? null : refOf(state.enabled), latest: refOf(state.latest) };
  }

  /**
   * Puts a table's recovered stream settings back: links the stream recovered from the snapshot,
   * creates one enabled after it (as the original enable did: same ARN, shard ids and sequence numbers,
   * since recovery replays in commit order), or disables one disabled after it.
   */
  restoreTable(table: TableView, persisted: PersistedTableStreams): void {
    const latest = this.streams.get(persisted.latest.arn) ?? this.recreate(table, persisted.latest, persisted.enabled !== null);
    const state: TableStreams = { enabled: undefined, latest };
    if (persisted.enabled !== null && latest.status === 'ENABLED') {
      if (!latest.isLinked || latest.table !== table) {
        const wasLinked = latest.isLinked;
        latest.relink(table);
        if (!wasLinked) this.startListening();
      }
      state.enabled = latest;
    }
    table.setModuleState(STATE_KEY, state);
    if (persisted.enabled === null && latest.status === 'ENABLED') {
      // Disabled after the snapshot (UpdateTable, DeleteTable): at the time it was.
      state.enabled = latest;
      if (!latest.isLinked) {
        latest.relink(table);
        this.startListening();
      }
      this.disable(table, persisted.latest.disabledAt ?? this.context.clock.now());
    }
  }

  /** After recovery: a stream left enabled on a table that is gone (deleted at once) is disabled now. */
  recovered(): void {
    for (const stream of this.streams.values()) {
      if (stream.status !== 'ENABLED') continue;
      const table = this.context.getTable(stream.tableName);
      if (table !== undefined && table.id === stream.tableId && tableStreams(table)?.enabled === stream) continue;
      stream.disable(this.context.clock.now());
      this.releaseAfterRetention(stream);
      if (stream.isLinked) this.stopListening();
    }
  }

  /** A stream the snapshot did not hold: enabled after it, or released past retention before it. */
  private recreate(table: TableView, ref: PersistedStreamRef, enabled: boolean): Stream {
    if (enabled) {
      // Enabled after the snapshot (or the log holds the whole history): its records come from the replay.
      const stream = new Stream(ref.arn, ref.label, table, ref.viewType, ref.createdAt, this.counter);
      this.streams.set(stream.arn, stream);
      this.startListening();
      return stream;
    }
    // Disabled and unknown: it was released past retention (the snapshot or the replay would hold it
    // otherwise); only LatestStreamArn/Label still name it.
    return new Stream(ref.arn, ref.label, undefined, ref.viewType, ref.createdAt, this.counter, {
      arn: ref.arn,
      label: ref.label,
      tableName: table.name,
      tableId: table.id,
      keySchema: table.keySchemaElements,
      viewType: ref.viewType,
      createdAt: ref.createdAt,
      status: 'DISABLED',
      disabledAt: ref.disabledAt,
      shardOrdinal: 0,
      shards: [],
    });
  }

  /** The change-feed listener: appends each record to its table's enabled stream. */
  readonly onChange = (batch: ChangeBatch): void => {
    const records = batch.records;
    // Which shards received records is only collected while someone listens (a trigger).
    const listening = this.appendListeners.length > 0;
    let tableName: string | undefined;
    let stream: Stream | undefined;
    let appendedTo: Stream | undefined;
    const shardIds = this.appendedShards;
    let cutoff = 0;
    for (let i = 0; i < records.length; i++) {
      const change = records[i]!;
      if (change.tableName !== tableName) {
        tableName = change.tableName;
        const table = this.context.getTable(tableName);
        stream = table === undefined ? undefined : tableStreams(table)?.enabled;
        cutoff = change.timestamp - this.retentionMs;
      }
      if (stream === undefined) continue;
      const shardId = stream.append(change, cutoff);
      if (!listening) continue;
      if (appendedTo !== stream) {
        if (appendedTo !== undefined) this.notify(appendedTo, shardIds);
        appendedTo = stream;
        shardIds.length = 0;
        shardIds.push(shardId);
      } else if (shardIds[shardIds.length - 1] !== shardId && !shardIds.includes(shardId)) {
        shardIds.push(shardId);
      }
    }
    if (appendedTo !== undefined) this.notify(appendedTo, shardIds);
  };

  /** Calls `listener` after records were appended to a table's stream (see {@link AppendListener}). */
  onRecordsAppended(listener: AppendListener): () => void {
    this.appendListeners.push(listener);
    return () => {
      const index = this.appendListeners.indexOf(listener);
      if (index >= 0) this.appendListeners.splice(index, 1);
    };
  }

  /** The stream with this ARN, trimmed to retention, if it is still readable. */
  stream(arn: string): Stream | undefined {
    const stream = this.streams.get(arn);
    if (stream === undefined) return undefined;
    const now = this.context.clock.now();
    if (this.expired(stream, now)) {
      this.streams.delete(arn);
      return undefined;
    }
    stream.trim(now - this.retentionMs);
    return stream;
  }

  /** Every readable stream, ordered by ARN (table name, then label). */
  list(): Stream[] {
    this.prune(this.context.clock.now());
    return [...this.streams.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  private expired(stream: Stream, now: number): boolean {
    return stream.disabledAt !== undefined && stream.disabledAt + this.retentionMs <= now;
  }

  /** Forgets disabled streams past retention. */
  private prune(now: number): void {
    for (const [arn, stream] of this.streams) if (this.expired(stream, now)) this.streams.delete(arn);
  }

  private notify(stream: Stream, shardIds: readonly string[]): void {
    for (const listener of this.appendListeners) {
      try {
        listener(stream.tableName, stream.arn, shardIds);
      } catch (error) {
        // A listener's failure must not fail the write that produced the records.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** Every table's name, through ListTables (the module contract lists tables no other way). */
function tableNamesOf(context: ModuleContext): string[] {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = context.execute('DynamoDB_20120810', 'ListTables', start === undefined ? {} : { ExclusiveStartTableName: start }) as { TableNames: string[]; LastEvaluatedTableName?: string };
    names.push(...page.TableNames);
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  return names;
}
