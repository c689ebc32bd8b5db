import { keyValueBytes, md5, type ChangeRecord, type KeyValue } from '@magneto/core';
import { kinesisRecordData, type ApproximateCreationDateTimePrecision, type KinesisRecord } from './kinesis-record.js';
import { toHex } from './hex.js';

/** One change as the stream holds it: the record's bytes are only built when a consumer first reads it. */
interface StreamEntry {
  /** Released once the record is built: the bytes hold everything consumers need. */
  change: ChangeRecord | undefined;
  readonly partitionKeyName: string;
  /** Arrival on the stream, epoch ms of the database clock. */
  readonly arrival: number;
  readonly creationDateTime: number;
  readonly precision: ApproximateCreationDateTimePrecision;
  record?: KinesisRecord;
}

/** Where a named consumer is: the ordinal of the next record it reads. Outlives the consumer's handles. */
export interface ConsumerCheckpoint {
  nextOrdinal: number;
  /** Whether a handle of this consumer is open. */
  open: boolean;
}

const utf8 = new TextEncoder();
const SEPARATOR = new Uint8Array([0]);

/**
 * An in-process Kinesis data stream: records in arrival order, numbered by ordinal (0, 1, …), trimmed
 * lazily once older than the retention period. Appending costs a push: the record's JSON, event ID,
 * partition key and sequence number are made when a consumer first reads it, so a write to a table with
 * a destination does no serialization.
 */
export class KinesisStream {
  private entries: StreamEntry[] = [];
  private head = 0;
  /** The ordinal of `entries[head]`: how many records were trimmed. */
  private firstOrdinal = 0;
  private lastMicros = 0;
  /** Named consumers' positions, kept after they close so a re-created consumer resumes. */
  readonly checkpoints = new Map<string, ConsumerCheckpoint>();
  /** Called after each append, for push delivery (subscribed consumers only). */
  readonly wakers = new Set<() => void>();
  deleted = false;

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly retentionMs: number,
    readonly shardCount: number,
    readonly createdAt: number,
    private readonly region: string,
    private readonly newEventId: () => string,
  ) {}

  /** The ordinal the next appended record gets. */
  get endOrdinal(): number {
    return this.firstOrdinal + this.entries.length - this.head;
  }

  /** The oldest ordinal still retained (after trimming at `now`). */
  startOrdinal(now: number): number {
    this.trim(now);
    return this.firstOrdinal;
  }

  /** Appends one change, as written at `change.timestamp`, and wakes push consumers. */
  append(change: ChangeRecord, partitionKeyName: string, precision: ApproximateCreationDateTimePrecision, now: number): void {
    this.trim(now);
    let creationDateTime = change.timestamp;
    if (precision === 'MICROSECOND') {
      // The clock has milliseconds; microseconds keep the order of changes within one millisecond.
      const base = change.timestamp * 1000;
      creationDateTime = Math.min(base + 999, Math.max(base, this.lastMicros + 1));
      this.lastMicros = creationDateTime;
    }
    this.entries.push({ change, partitionKeyName, arrival: now, creationDateTime, precision });
    for (const wake of this.wakers) wake();
  }

  /** Up to `limit` records from `fromOrdinal` (which must be retained), in order. */
  slice(fromOrdinal: number, limit: number): KinesisRecord[] {
    const start = this.head + (fromOrdinal - this.firstOrdinal);
    const end = Math.min(this.entries.length, start + limit);
    const records: KinesisRecord[] = [];
    for (let i = start; i < end; i++) records.push(this.materialize(this.entries[i]!, this.firstOrdinal + (i - this.head)));
    return records;
  }

  /** The first retained ordinal whose record arrived at or after `timestamp` (the end if none). */
  ordinalAtTimestamp(timestamp: number, now: number): number {
    this.trim(now);
    for (let i = this.head; i < this.entries.length; i++) {
      if (this.entries[i]!.arrival >= timestamp) return this.firstOrdinal + (i - this.head);
    }
    return this.endOrdinal;
  }

  /**
   * The sequence number of an ordinal: "49", the stream's creation time (15 digits) and the ordinal
   * (39 digits), 56 digits in all like Kinesis's, so they compare as numbers and as strings alike.
   */
  sequenceNumber(ordinal: number): string {
    return `49${String(this.createdAt).padStart(15, '0')}${String(ordinal).padStart(39, '0')}`;
  }

  /** The shards, splitting the 128-bit hash key space evenly as Kinesis's CreateStream does. */
  shards(): { ShardId: string; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } }[] {
    const space = 1n << 128n;
    const n = BigInt(this.shardCount);
    const shards = [];
    for (let i = 0n; i < n; i++) {
      shards.push({
        ShardId: `shardId-${String(i).padStart(12, '0')}`,
        HashKeyRange: { StartingHashKey: String((space * i) / n), EndingHashKey: String((space * (i + 1n)) / n - 1n) },
      });
    }
    return shards;
  }

  /** Drops records older than the retention period (always from the front: arrivals only increase). */
  private trim(now: number): void {
    const horizon = now - this.retentionMs;
    const entries = this.entries;
    let head = this.head;
    while (head < entries.length && entries[head]!.arrival < horizon) head++;
    if (head === this.head) return;
    this.firstOrdinal += head - this.head;
    this.head = head;
    if (head > 1024 && head * 2 >= entries.length) {
      this.entries = entries.slice(head);
      this.head = 0;
    }
  }

  private materialize(entry: StreamEntry, ordinal: number): KinesisRecord {
    if (entry.record) return entry.record;
    const change = entry.change!;
    const data = kinesisRecordData(change, this.region, this.newEventId(), entry.creationDateTime, entry.precision);
    const record: KinesisRecord = {
      SequenceNumber: this.sequenceNumber(ordinal),
      PartitionKey: partitionKeyOf(change, entry.partitionKeyName),
      ApproximateArrivalTimestamp: new Date(entry.arrival),
      Data: data,
    };
    entry.record = record;
    entry.change = undefined;
    return record;
  }
}

/**
 * DynamoDB's partition key on Kinesis is an opaque 32-digit hexadecimal string, the same for every change
 * of one item (so changes to an item stay in order on one shard): here the MD5 of the table name and the
 * item's partition key value.
 */
function partitionKeyOf(change: ChangeRecord, partitionKeyName: string): string {
  const value = change.keys[partitionKeyName] as KeyValue | undefined;
  const name = utf8.encode(change.tableName);
  const key = value ? keyValueBytes(value) : new Uint8Array(0);
  const bytes = new Uint8Array(name.length + 1 + key.length);
  bytes.set(name);
  bytes.set(SEPARATOR, name.length);
  bytes.set(key, name.length + 1);
  return toHex(md5(bytes));
}
