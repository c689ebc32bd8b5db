import type { ChangeRecord, PartitionView } from '@magneto/core';
import { persistableChange, restoredChange, type ChangeForm } from './persisted-change.js';
import { RecordLog } from './record-log.js';

/**
 * A shard as durable storage keeps it (plain data): its range, lineage, sequence numbers and retained records;
 * in the `live` form (savepoints) the records are `log`, a fork of the shard's own, and the arrays are empty.
 */
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
  readonly log?: RecordLog;
}

/**
 * One shard of a stream: the records of one table partition's hash range, in commit order. A shard is
 * open while its partition exists; when the partition splits, the shard closes (EndingSequenceNumber)
 * and two child shards, whose ParentShardId is this one, take over its range.
 *
 * Records are kept as the change feed's ChangeRecords with their sequence numbers in a RecordLog (chunks
 * shared copy-on-write, so a savepoint or rollback copies no record): appending is two pushes, and a record
 * is shaped into DynamoDB's form only when it is read.
 */
export class Shard {
  /** The records, by position (increasing sequence numbers); positions before `records.head` are trimmed. */
  records = new RecordLog();
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
    const sequences: number[] = [];
    const changes: ChangeRecord[] = [];
    const records = this.records;
    if (form === 'durable') {
      for (let position = records.head; position < records.end; position++) {
        sequences.push(records.sequenceAt(position));
        changes.push(persistableChange(records.changeAt(position)));
      }
    }
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
      sequences,
      changes,
      ...(form === 'live' ? { log: records.fork() } : {}),
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
    if (form === 'live') shard.records = persisted.log!.fork();
    else for (let i = 0; i < persisted.changes.length; i++) shard.records.append(persisted.sequences[i]!, restoredChange(persisted.changes[i]!));
    return shard;
  }

  get isOpen(): boolean {
    return this.endingSequence === undefined;
  }

  /** The sequence number of the newest record, or the starting sequence number when there is none. */
  get lastSequence(): number {
    return this.newestSequence ?? Math.max(this.startingSequence, this.trimmedThrough);
  }

  /** The sequence number of the newest retained record (null when none is retained). */
  get newestSequence(): number | null {
    const { records } = this;
    return records.end > records.head ? records.sequenceAt(records.end - 1) : null;
  }

  /** The oldest retained record's change (undefined when none is retained). */
  get oldestChange(): ChangeRecord | undefined {
    const { records } = this;
    return records.end > records.head ? records.changeAt(records.head) : undefined;
  }

  append(sequence: number, change: ChangeRecord): void {
    this.records.append(sequence, change);
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
    const { records } = this;
    let head = records.head;
    const end = records.end;
    if (head >= end || records.changeAt(head).timestamp > cutoff) return;
    while (head < end && records.changeAt(head).timestamp <= cutoff) head++;
    this.trimmedThrough = records.sequenceAt(head - 1);
    // The log drops whole trimmed chunks, so a long-running table's memory stays bounded.
    records.trimTo(head);
  }
}
