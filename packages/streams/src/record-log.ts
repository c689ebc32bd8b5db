import type { ChangeRecord } from '@magneto/core';

/** Records per chunk: a power of two, so a record's chunk and place are a shift and a mask. */
const CHUNK_BITS = 8;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** A run of up to CHUNK records: parallel arrays of sequence numbers and changes. */
interface Chunk {
  readonly sequences: number[];
  readonly changes: ChangeRecord[];
}

/**
 * A shard's records (sequence number, change), in commit order, stored in chunks of CHUNK records so that a
 * copy (`fork`, for `db.savepoint()` and `db.rollback()`) costs O(chunks), not O(records): a full chunk is
 * never changed again and both copies share it; the last, partial chunk is shared until either copy
 * appends, which copies it first (at most CHUNK records).
 *
 * Records are addressed by position: positions only grow (0 is the shard's first record ever). Positions
 * before `head` are trimmed; whole trimmed chunks are dropped, so memory follows the retained records.
 */
export class RecordLog {
  private chunks: Chunk[] = [];
  /** The position of the first record of `chunks[0]`. */
  private base = 0;
  /** The position of the oldest retained record. */
  private first = 0;
  /** The position past the newest record. */
  private past = 0;
  /** Whether the last chunk is shared with a fork (copied before the next append). */
  private tailShared = false;

  /** The position of the oldest retained record. */
  get head(): number {
    return this.first;
  }

  /** The position past the newest record (`head` when none is retained). */
  get end(): number {
    return this.past;
  }

  /** How many records memory holds, trimmed ones included (at most CHUNK - 1 of those). */
  get held(): number {
    return this.past - this.base;
  }

  /** The sequence number of the record at `position` (head ≤ position < end). O(1). */
  sequenceAt(position: number): number {
    const offset = position - this.base;
    return this.chunks[offset >>> CHUNK_BITS]!.sequences[offset & MASK]!;
  }

  /** The change of the record at `position` (head ≤ position < end). O(1). */
  changeAt(position: number): ChangeRecord {
    const offset = position - this.base;
    return this.chunks[offset >>> CHUNK_BITS]!.changes[offset & MASK]!;
  }

  /** Appends a record. O(1), and O(CHUNK) once after a fork. */
  append(sequence: number, change: ChangeRecord): void {
    const chunks = this.chunks;
    let tail = chunks[chunks.length - 1];
    if (tail === undefined || tail.changes.length === CHUNK) {
      tail = { sequences: [], changes: [] };
      chunks.push(tail);
      this.tailShared = false;
    } else if (this.tailShared) {
      tail = { sequences: tail.sequences.slice(), changes: tail.changes.slice() };
      chunks[chunks.length - 1] = tail;
      this.tailShared = false;
    }
    tail.sequences.push(sequence);
    tail.changes.push(change);
    this.past++;
  }

  /** Trims the records before `position` (head ≤ position ≤ end), dropping the chunks wholly before it. */
  trimTo(position: number): void {
    this.first = position;
    if (position === this.past) {
      this.chunks = [];
      this.base = position;
      return;
    }
    const dead = (position - this.base) >>> CHUNK_BITS;
    if (dead === 0) return;
    this.chunks.splice(0, dead);
    this.base += dead * CHUNK;
  }

  /** The position of the first retained record whose sequence number is ≥ `sequence` (end if none). O(log n). */
  positionAtOrAfter(sequence: number): number {
    let low = this.first;
    let high = this.past;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sequenceAt(mid) < sequence) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** A copy holding the same records, sharing every chunk with this log copy-on-write. O(chunks). */
  fork(): RecordLog {
    const copy = new RecordLog();
    copy.chunks = this.chunks.slice();
    copy.base = this.base;
    copy.first = this.first;
    copy.past = this.past;
    copy.tailShared = true;
    this.tailShared = true;
    return copy;
  }
}
