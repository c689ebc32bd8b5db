import { ValidationException, type ChangeBatch, type ModuleContext, type TableState } from '@magneto/core';
import { streamArn, streamLabel } from './ids.js';
import { SequenceCounter } from './sequence-number.js';
import { Stream, type StreamViewType } from './stream.js';

/** DynamoDB Streams keeps records, and disabled streams, for 24 hours. */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The streams module's state of one table (`table.moduleState.get('streams')`). */
export interface TableStreams {
  /** The enabled stream, if any. */
  enabled: Stream | undefined;
  /** The latest stream, enabled or not (LatestStreamArn outlives a disabled stream, as on DynamoDB). */
  latest: Stream | undefined;
}

const STATE_KEY = 'streams';
const INVALID = 'One or more parameter values were invalid: ';
const VIEW_TYPES: ReadonlySet<string> = new Set(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']);

/** The table's stream state, if the streams module ever touched it. */
export function tableStreams(table: TableState): TableStreams | undefined {
  return table.moduleState.get(STATE_KEY) as TableStreams | undefined;
}

/**
 * Every stream of one database, enabled or within retention after being disabled, with the records
 * the change feed appends to them. Retention is applied lazily, on the database clock: on appends
 * and on reads, so nothing is scheduled and memory stays bounded.
 */
export class StreamStore {
  private readonly streams = new Map<string, Stream>();
  private readonly counter = new SequenceCounter();
  private readonly appendListeners: Array<(tableName: string) => void> = [];
  /** Tables with an enabled stream: the store listens to the change feed only while there are some. */
  private enabledStreams = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly context: ModuleContext,
    readonly retentionMs: number,
  ) {}

  /** Applies a StreamSpecification of CreateTable or UpdateTable, with DynamoDB's checks and messages. */
  applySpecification(table: TableState, value: unknown, operation: 'CreateTable' | 'UpdateTable'): void {
    const spec = value as { StreamEnabled?: boolean; StreamViewType?: string };
    const state = tableStreams(table);
    if (spec.StreamEnabled === true) {
      if (spec.StreamViewType === undefined || spec.StreamViewType === null) {
        throw new ValidationException(`${INVALID}If stream is being enabled then UpdateViewType is required`);
      }
      if (!VIEW_TYPES.has(spec.StreamViewType)) {
        // Core validates the enum; this guards direct callers.
        throw new ValidationException(`${INVALID}Invalid StreamViewType: ${spec.StreamViewType}`);
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
  enable(table: TableState, viewType: StreamViewType): Stream {
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
    table.moduleState.set(STATE_KEY, state);
    // Writes build change records only when someone listens: a database whose tables have no stream pays nothing.
    if (this.enabledStreams++ === 0) this.unsubscribe = this.context.onChange(this.onChange);
    return stream;
  }

  /** Disables the table's stream: its shards close; it stays readable for the retention period. */
  disable(table: TableState): void {
    const state = tableStreams(table);
    if (state?.enabled === undefined) return;
    const stream = state.enabled;
    stream.disable(this.context.clock.now());
    state.enabled = undefined;
    // Past retention the stream is gone: free its records even if nothing reads or enables again.
    this.context.clock.setTimer(this.retentionMs, () => {
      if (this.streams.get(stream.arn) === stream) this.streams.delete(stream.arn);
      stream.release();
    });
    if (--this.enabledStreams === 0) {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
    }
  }

  /** The change-feed listener: appends each record to its table's enabled stream. */
  readonly onChange = (batch: ChangeBatch): void => {
    const records = batch.records;
    let tableName: string | undefined;
    let stream: Stream | undefined;
    let appendedTo: string | undefined;
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
      stream.append(change, cutoff);
      if (appendedTo !== tableName) {
        if (appendedTo !== undefined) this.notify(appendedTo);
        appendedTo = tableName;
      }
    }
    if (appendedTo !== undefined) this.notify(appendedTo);
  };

  /** Calls `listener` with a table's name after records were appended to its stream. */
  onRecordsAppended(listener: (tableName: string) => void): () => void {
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

  private notify(tableName: string): void {
    for (const listener of this.appendListeners) {
      try {
        listener(tableName);
      } catch (error) {
        // A listener's failure must not fail the write that produced the records.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
