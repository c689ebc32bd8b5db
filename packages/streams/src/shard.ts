import type { ChangeRecord, PartitionView } from '@magneto/core';
import { persistableChange, restoredChange, type ChangeForm } from './persisted-change.js';

/** A shard as durable storage keeps it (plain data): its range, lineage, sequence numbers and retained records. */
export interface PersistedShard {
  readonly id: string;
  readonly parentId: string | null;
  readonly lowHash: number;
  readonly highHash: number;
  readonly startingSequence: number;
  readonly createdAt: number;
  readonly endingSequence: number | null;
  readonly closedAt: number | null;
  readonly trimmedThrough: number;
  readonly sequences: readonly number[];
  readonly changes: readonly ChangeRecord[];
}

/**
 * One shard of a stream: the records of one table partition's hash range, in commit order. A shard is
 * open while its partition exists; when the partition splits, the shard closes (EndingSequenceNumber)
 * and two child shards, whose ParentShardId is this one, take over its range.
 *
 * Records are kept as the change feed's ChangeRecords in two parallel arrays (sequence number, change):
 * appending is two pushes, and a record is shaped into DynamoDB's form only when it is read.
 */
export class Shard {
  /** The records' sequence numbers (counter values), increasing. Entries before `head` are trimmed. */
  sequences: number[] = [];
  /** The records' changes, parallel to `sequences`. */
  changes: ChangeRecord[] = [];
  /** Index of the oldest retained record. */
  head = 0;
  /** The highest sequence number trimmed away; positions at or below it are TrimmedDataAccessException. */
  trimmedThrough: number;
  /** The last sequence number of the shard once it is closed. */
  endingSequence: number | undefined;
  /** When the shard closed (database clock). */
  closedAt: number | undefined;

  constructor(
    readonly id: string,
    readonly parentId: string | undefined,
    /** First hash prefix of the range this shard covers. */
    readonly lowHash: number,
    /** First hash prefix past the range. */
    readonly highHash: number,
    /** The live partition this shard follows while open (undefined once closed). */
    public partition: PartitionView | undefined,
    /** The sequence number the shard starts at (drawn when it opened; records follow it). */
    readonly startingSequence: number,
    readonly createdAt: number,
  ) {
    this.trimmedThrough = startingSequence - 1;
  }

  /** The shard as plain data: only the retained records (from `head`), in `form`. */
  persist(form: ChangeForm = 'durable'): PersistedShard {
    return {
      id: this.id,
      parentId: this.parentId ?? null,
      lowHash: this.lowHash,
      highHash: this.highHash,
      startingSequence: this.startingSequence,
      createdAt: this.createdAt,
      endingSequence: this.endingSequence ?? null,
      closedAt: this.closedAt ?? null,
      trimmedThrough: this.trimmedThrough,
      sequences: this.sequences.slice(this.head),
      changes: form === 'durable' ? this.changes.slice(this.head).map(persistableChange) : this.changes.slice(this.head),
    };
  }

  /** A shard back from `persist(form)` (unlinked from any partition: see Stream.relink); `persisted` stays as it is. */
  static restore(persisted: PersistedShard, form: ChangeForm = 'durable'): Shard {
    const shard = new Shard(
      persisted.id,
      persisted.parentId ?? undefined,
      persisted.lowHash,
      persisted.highHash,
      undefined,
      persisted.startingSequence,
      persisted.createdAt,
    );
    shard.trimmedThrough = persisted.trimmedThrough;
    shard.endingSequence = persisted.endingSequence ?? undefined;
    shard.closedAt = persisted.closedAt ?? undefined;
    shard.sequences = persisted.sequences.slice();
    shard.changes = form === 'durable' ? persisted.changes.map(restoredChange) : persisted.changes.slice();
    return shard;
  }

  get isOpen(): boolean {
    return this.endingSequence === undefined;
  }

  /** The sequence number of the newest record, or the starting sequence number when there is none. */
  get lastSequence(): number {
    const n = this.sequences.length;
    return n > this.head ? this.sequences[n - 1]! : Math.max(this.startingSequence, this.trimmedThrough);
  }

  append(sequence: number, change: ChangeRecord): void {
    this.sequences.push(sequence);
    this.changes.push(change);
  }

  /** Closes the shard: no record is appended after this. */
  close(now: number): void {
    if (this.endingSequence !== undefined) return;
    this.endingSequence = this.lastSequence;
    this.closedAt = now;
    this.partition = undefined;
  }

  /** Drops the records committed at or before `cutoff` (database clock). Amortized O(1) per record. */
  trim(cutoff: number): void {
    const { sequences, changes } = this;
    let head = this.head;
    const n = changes.length;
    if (head >= n || changes[head]!.timestamp > cutoff) return;
    while (head < n && changes[head]!.timestamp <= cutoff) head++;
    this.trimmedThrough = sequences[head - 1]!;
    // Compact once the dead prefix is most of the arrays, so a long-running table's memory stays bounded.
    if (head > 64 && head * 2 > n) {
      sequences.splice(0, head);
      changes.splice(0, head);
      head = 0;
    }
    this.head = head;
  }

  /** The index of the first retained record whose sequence number is ≥ `sequence`. O(log n). */
  indexAtOrAfter(sequence: number): number {
    let low = this.head;
    let high = this.sequences.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sequences[mid]! < sequence) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
