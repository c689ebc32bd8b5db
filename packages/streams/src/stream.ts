import type { ChangeRecord, KeySchemaElement, PartitionView, TableView } from '@magneto/core';
import { hashString, shardId } from './ids.js';
import type { SequenceCounter } from './sequence-number.js';
import type { ChangeForm } from './persisted-change.js';
import { Shard, type PersistedShard } from './shard.js';

/** What a stream writes for each change: DynamoDB's four view types. */
export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

/** DynamoDB's StreamStatus values this module shows. */
export type StreamStatus = 'ENABLED' | 'DISABLED';

/** A stream as durable storage keeps it (plain data). */
export interface PersistedStream {
  readonly arn: string;
  readonly label: string;
  readonly tableName: string;
  readonly tableId: string;
  readonly keySchema: ReadonlyArray<{ AttributeName: string; KeyType: string }>;
  readonly viewType: StreamViewType;
  readonly createdAt: number;
  readonly status: StreamStatus;
  readonly disabledAt: number | null;
  readonly shardOrdinal: number;
  readonly shards: readonly PersistedShard[];
}

/**
 * One stream of one table: from when it was enabled until it is disabled (or the table deleted), and
 * readable for the retention period after that. Its shards follow the table's partitions.
 */
export class Stream {
  status: StreamStatus = 'ENABLED';
  /** When the stream was disabled (database clock). */
  disabledAt: number | undefined;
  /** Every shard still within retention, in creation order (parents before children). */
  shards: Shard[] = [];
  /** The open shards, ordered by hash range. */
  private open: Shard[] = [];
  private readonly byId = new Map<string, Shard>();
  /** The partition count the open shards were laid out for. */
  private partitionCount = 0;
  /** Salt of the ids derived from this stream (shard ids, event ids). */
  readonly salt: number;
  private shardOrdinal = 0;
  /**
   * A lower bound of what a trim could drop: the oldest retained record's commit time and the earliest
   * closing time of a closed shard. A trim with an older cutoff has nothing to do and returns at once, so
   * GetRecords (which trims the stream first) costs O(1), not O(shards). Unknown (-∞) until a full trim.
   */
  private trimmableAt = Number.NEGATIVE_INFINITY;
  /** Appends since the last full trim: closed shards are trimmed every so often even if nobody reads. */
  private appendsSinceTrim = 0;
  readonly tableName: string;
  /** The table's KeySchema, as DescribeStream shows it (kept: the stream outlives a deleted table). */
  readonly keySchema: readonly KeySchemaElement[];
  /** The table's id: a table re-created under the same name is another table. */
  readonly tableId: string;

  /**
   * A new stream on `table` (its shards laid out on the table's partitions), or, with `restored`, a
   * stream recovered by durable storage as it was persisted (its table, if any, linked by `relink`).
   */
  constructor(
    readonly arn: string,
    readonly label: string,
    /** The table (undefined for a recovered stream not linked yet, or of a deleted table). */
    private linked: TableView | undefined,
    readonly viewType: StreamViewType,
    readonly createdAt: number,
    private readonly counter: SequenceCounter,
    restored?: PersistedStream,
    /** How `restored` holds its records. */
    form: ChangeForm = 'durable',
  ) {
    this.salt = hashString(arn);
    if (restored !== undefined) {
      this.tableName = restored.tableName;
      this.tableId = restored.tableId;
      this.keySchema = restored.keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType as KeySchemaElement['KeyType'] }));
      this.status = restored.status;
      this.disabledAt = restored.disabledAt ?? undefined;
      this.shardOrdinal = restored.shardOrdinal;
      for (const persisted of restored.shards) {
        const shard = Shard.restore(persisted, form);
        this.shards.push(shard);
        this.byId.set(shard.id, shard);
        if (shard.isOpen) this.open.push(shard);
      }
      this.open.sort((a, b) => a.lowHash - b.lowHash);
      // Forces a layout check on the first append, unless `relink` finds the same partitions.
      this.partitionCount = -1;
      return;
    }
    const live = linked!;
    this.tableName = live.name;
    this.tableId = live.id;
    this.keySchema = live.keySchemaElements;
    this.layOutShards(createdAt);
  }

  /** The table the stream follows. Throws for a recovered stream whose table is gone (see `isLinked`). */
  get table(): TableView {
    if (this.linked === undefined) throw new Error(`The stream ${this.arn} follows no table (its table was deleted)`);
    return this.linked;
  }

  /** Whether the stream follows a live table (false for a recovered stream of a deleted table). */
  get isLinked(): boolean {
    return this.linked !== undefined;
  }

  /** The stream as plain data, for durable storage's snapshots (and savepoints): identity, shards and retained records in `form`. */
  persist(form: ChangeForm = 'durable'): PersistedStream {
    return {
      arn: this.arn,
      label: this.label,
      tableName: this.tableName,
      tableId: this.tableId,
      keySchema: this.keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
      viewType: this.viewType,
      createdAt: this.createdAt,
      status: this.status,
      disabledAt: this.disabledAt ?? null,
      shardOrdinal: this.shardOrdinal,
      shards: this.shards.map((shard) => shard.persist(form)),
    };
  }

  /**
   * Links a recovered stream to its recovered table: each open shard follows the partition with the
   * same hash range. Where the recovered partitions differ, the next append lays the shards out anew
   * (closing the old ones, whose children name them as parents), as after a split.
   */
  relink(table: TableView): void {
    this.linked = table;
    const byRange = new Map<string, PartitionView>();
    for (const partition of table.partitions()) byRange.set(`${partition.lowHash}:${partition.highHash}`, partition);
    let matched = 0;
    for (const shard of this.open) {
      const partition = byRange.get(`${shard.lowHash}:${shard.highHash}`);
      shard.partition = partition;
      if (partition !== undefined) matched++;
    }
    this.partitionCount = matched === this.open.length && matched === byRange.size ? matched : -1;
  }

  /**
   * Appends one committed change to the shard of its partition; returns that shard's id. The hot path:
   * O(1) with one partition.
   */
  append(change: ChangeRecord, retentionCutoff: number): string {
    // The field, not the checking getter: appends only reach streams that follow a table (the hot path).
    const table = this.linked!;
    if (table.partitionCount !== this.partitionCount) this.layOutShards(change.timestamp);
    const open = this.open;
    const shard = open.length === 1 ? open[0]! : this.openShardOf(table.partitionOf(change.keys));
    shard.append(this.counter.next(), change);
    if (change.timestamp < this.trimmableAt) this.trimmableAt = change.timestamp;
    shard.trim(retentionCutoff);
    if (++this.appendsSinceTrim >= 4096) {
      this.appendsSinceTrim = 0;
      this.trim(retentionCutoff);
    }
    return shard.id;
  }

  /** Closes every open shard (the stream is disabled, or its table deleted). */
  disable(now: number): void {
    if (this.status === 'DISABLED') return;
    this.status = 'DISABLED';
    this.disabledAt = now;
    for (const shard of this.open) shard.close(now);
    if (now < this.trimmableAt) this.trimmableAt = now;
    this.open = [];
  }

  /** Drops every shard and record (the stream is past retention; LatestStreamArn may still name it). */
  release(): void {
    this.shards = [];
    this.open = [];
    this.byId.clear();
  }

  shard(id: string): Shard | undefined {
    return this.byId.get(id);
  }

  /** Trims records committed at or before the cutoff and forgets shards that closed by then. */
  trim(cutoff: number): void {
    if (cutoff < this.trimmableAt) return;
    let dropped = false;
    let next = Number.POSITIVE_INFINITY;
    for (const shard of this.shards) {
      shard.trim(cutoff);
      if (shard.closedAt !== undefined) {
        if (shard.closedAt <= cutoff) dropped = true;
        else if (shard.closedAt < next) next = shard.closedAt;
      }
      const oldest = shard.oldestChange;
      if (oldest !== undefined && oldest.timestamp < next) next = oldest.timestamp;
    }
    this.trimmableAt = next;
    if (!dropped) return;
    this.shards = this.shards.filter((shard) => {
      if (shard.closedAt === undefined || shard.closedAt > cutoff) return true;
      this.byId.delete(shard.id);
      return false;
    });
  }

  /**
   * Matches the open shards to the table's partitions: a shard whose partition has split closes, and
   * each partition without a shard gets one whose parent is the closed shard that covered its range.
   */
  private layOutShards(now: number): void {
    const partitions = this.table.partitions();
    this.partitionCount = partitions.length;
    const live = new Set<PartitionView>(partitions);
    const closed: Shard[] = [];
    const kept = new Map<PartitionView, Shard>();
    for (const shard of this.open) {
      if (shard.partition !== undefined && live.has(shard.partition)) kept.set(shard.partition, shard);
      else {
        shard.close(now);
        closed.push(shard);
        if (now < this.trimmableAt) this.trimmableAt = now;
      }
    }
    const open: Shard[] = [];
    for (const partition of partitions) {
      let shard = kept.get(partition);
      if (shard === undefined) {
        const parent = closed.find((c) => c.lowHash <= partition.lowHash && partition.highHash <= c.highHash);
        shard = new Shard(
          shardId(now, this.salt, this.shardOrdinal++),
          parent?.id,
          partition.lowHash,
          partition.highHash,
          partition,
          this.counter.next(),
          now,
        );
        this.shards.push(shard);
        this.byId.set(shard.id, shard);
      }
      open.push(shard);
    }
    this.open = open;
  }

  /** The open shard of a partition: binary search of the open shards' ranges (they follow the partitions). */
  private openShardOf(partition: PartitionView): Shard {
    const hash = partition.lowHash;
    const open = this.open;
    let low = 0;
    let high = open.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (open[mid]!.lowHash <= hash) low = mid;
      else high = mid - 1;
    }
    return open[low]!;
  }
}
