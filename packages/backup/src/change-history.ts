import { decodeRecords, encodableItem, encodeRecords, itemSize, storedItem, type Item, type Key } from '@magneto/core';
import type { ReplayedChange } from './restore-table.js';

/** Bytes counted per retained change on top of its item's size (its slots and its share of the encoded chunk). */
export const CHANGE_OVERHEAD_BYTES = 64;

/** One retained change as the history hands it out (restores, durable saves). */
export interface RetainedChange extends ReplayedChange {
  readonly sequenceNumber: number;
  readonly timestamp: number;
}

/** How many changes a chunk holds before its images are encoded. */
const CHUNK_CHANGES = 1024;

/**
 * A run of consecutive changes. While open, its images are the change feed's items themselves; once
 * full it is sealed: the images are encoded into one byte array (msgpack records) and the item objects
 * are let go, so the collector sees one buffer instead of thousands of long-lived objects.
 */
interface Chunk {
  /** Sequence numbers, negated for a delete. */
  readonly seqs: Float64Array;
  readonly times: Float64Array;
  readonly sizes: Float64Array;
  /** The first change still retained (earlier ones were dropped by a checkpoint). */
  start: number;
  length: number;
  images: Array<Item | Key> | undefined;
  encoded: Uint8Array | undefined;
}

function openChunk(): Chunk {
  return { seqs: new Float64Array(CHUNK_CHANGES), times: new Float64Array(CHUNK_CHANGES), sizes: new Float64Array(CHUNK_CHANGES), start: 0, length: 0, images: [], encoded: undefined };
}

function imagesOf(chunk: Chunk): ReadonlyArray<Item | Key> {
  if (chunk.images !== undefined) return chunk.images;
  return (decodeRecords(chunk.encoded!) as Array<Record<string, unknown>>).map(storedItem);
}

/**
 * The changes a table's point-in-time recovery keeps, oldest first, in chunks of CHUNK_CHANGES: the
 * sequence numbers, times and sizes in typed arrays, the items encoded once a chunk is full. Holding the
 * change records themselves made every retained change a handful of long-lived objects for the collector
 * to trace, which was most of PITR's cost on PutItem.
 */
export class ChangeHistory {
  private chunks: Chunk[] = [];
  /** Bytes of the retained changes (item sizes plus CHANGE_OVERHEAD_BYTES each). */
  bytes = 0;

  /** Appends a change: `newImage` for a put, else a delete of `keys`. */
  append(sequenceNumber: number, timestamp: number, keys: Key, newImage: Item | undefined): void {
    let chunk = this.chunks[this.chunks.length - 1];
    if (chunk === undefined || chunk.length === CHUNK_CHANGES) {
      if (chunk !== undefined) seal(chunk);
      chunk = openChunk();
      this.chunks.push(chunk);
    }
    // Measured here rather than looked up (knownItemSize): its WeakMap entry per item cost several times the walk.
    const size = newImage === undefined ? 0 : itemSize(newImage);
    const i = chunk.length++;
    chunk.seqs[i] = newImage === undefined ? -sequenceNumber : sequenceNumber;
    chunk.times[i] = timestamp;
    chunk.sizes[i] = size;
    chunk.images!.push(newImage ?? keys);
    this.bytes += size + CHANGE_OVERHEAD_BYTES;
  }

  /** Drops every change with a sequence number up to `seq` (a checkpoint holds them). */
  dropThrough(seq: number): void {
    while (this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      while (chunk.start < chunk.length && Math.abs(chunk.seqs[chunk.start]!) <= seq) this.bytes -= chunk.sizes[chunk.start++]! + CHANGE_OVERHEAD_BYTES;
      if (chunk.start < chunk.length) return;
      this.chunks.shift();
    }
  }

  /** The changes after sequence number `afterSeq` up to and including time `until`, in order. */
  *between(afterSeq: number, until: number): IterableIterator<RetainedChange> {
    for (const chunk of this.chunks) {
      if (Math.abs(chunk.seqs[chunk.length - 1]!) <= afterSeq) continue;
      const images = imagesOf(chunk);
      for (let i = chunk.start; i < chunk.length; i++) {
        if (Math.abs(chunk.seqs[i]!) <= afterSeq) continue;
        if (chunk.times[i]! > until) return;
        yield changeAt(chunk, images, i);
      }
    }
  }

  /** Every retained change, in order. */
  *all(): IterableIterator<RetainedChange> {
    for (const chunk of this.chunks) {
      const images = imagesOf(chunk);
      for (let i = chunk.start; i < chunk.length; i++) yield changeAt(chunk, images, i);
    }
  }
}

function seal(chunk: Chunk): void {
  chunk.encoded = encodeRecords(chunk.images!.map(encodableItem));
  chunk.images = undefined;
}

function changeAt(chunk: Chunk, images: ReadonlyArray<Item | Key>, i: number): RetainedChange {
  const seq = chunk.seqs[i]!;
  const image = images[i]!;
  const timestamp = chunk.times[i]!;
  return seq < 0 ? { sequenceNumber: -seq, timestamp, keys: image } : { sequenceNumber: seq, timestamp, keys: image, newImage: image };
}
