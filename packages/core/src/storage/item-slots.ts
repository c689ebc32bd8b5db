import type { Item } from '../model/attribute-value.js';
import { decodeCached } from './decoded-items.js';

/*
 * A storage's items by slot number: each slot holds an item's encoded storage key (storage-key.ts), its
 * encoded attributes (item-codec.ts) and its identity's hash (identity-index.ts, which probes by it). The
 * partitions' B+ trees map a storage key to its slot, and
 * the identity index (identity-index.ts) a primary key to its slot, so replacing an item rewrites one
 * array element: no tree descent, no map update.
 *
 * Slots live in chunks of CHUNK slots shared with snapshots copy-on-write: a snapshot takes the chunk
 * directory as it is (O(1)); the first write after it copies the directory, and the first write to a
 * chunk copies that chunk, so a snapshot keeps seeing the strings it was taken with.
 */

const CHUNK_BITS = 9;
/** Spreads each storage's slots over the decoded-item cache (golden-ratio steps), so tables share it evenly. */
const LINEAGE_STEP = 0x9e3779b1;
let lineages = 0;
const CHUNK = 1 << CHUNK_BITS;
const OFFSET_MASK = CHUNK - 1;

/** Slot-addressed encoded storage keys and items, in copy-on-write chunks. */
export class ItemSlots {
  /** chunk[2 × offset] is a slot's storage key, chunk[2 × offset + 1] its item. */
  private chunks: string[][] = [];
  /** Each slot's identity hash, in chunks of CHUNK beside `chunks` (shared and copied with them). */
  private hashChunks: Int32Array[] = [];
  /** Whether this store may write a chunk (and its hash chunk) in place (no snapshot shares it). */
  private owned: boolean[] = [];
  /** A snapshot shares the chunk directory itself: copy it before the next write. */
  private directoryShared = false;
  /** Freed slots for later adds; shared with snapshots copy-on-write like the directory. */
  private free: number[] = [];
  private freeShared = false;
  private next = 0;
  /** This store's place in the decoded-item cache, shared with its snapshots (they hold the same strings). */
  private lineage = Math.imul(++lineages, LINEAGE_STEP);

  /** The encoded storage key in `slot`. O(1). */
  key(slot: number): string {
    return this.chunks[slot >>> CHUNK_BITS]![(slot & OFFSET_MASK) << 1]!;
  }

  /** The identity hash of the item in `slot`. O(1). */
  hash(slot: number): number {
    return this.hashChunks[slot >>> CHUNK_BITS]![slot & OFFSET_MASK]!;
  }

  /** The encoded item in `slot`. O(1). */
  item(slot: number): string {
    return this.chunks[slot >>> CHUNK_BITS]![((slot & OFFSET_MASK) << 1) + 1]!;
  }

  /**
   * The item in `slot` (`stored`, when the caller read it already), decoded (deeply frozen), or as a recent
   * read decoded it (decoded-items.ts); `decodeOnce` decodes an item not cached as the read wants it (only
   * some attributes, or sharing a value among its items). O(item), O(1) when cached.
   */
  decoded(slot: number, stored: string = this.item(slot), decodeOnce?: (stored: string) => Item): Item {
    return decodeCached(stored, this.lineage + slot, decodeOnce);
  }

  /** Replaces the item in `slot`. O(1), O(CHUNK) for the first write to a chunk a snapshot shares. */
  setItem(slot: number, item: string): void {
    this.writable(slot >>> CHUNK_BITS)[((slot & OFFSET_MASK) << 1) + 1] = item;
  }

  /** Stores a new key, item and identity hash; returns their slot. O(1). */
  add(key: string, item: string, hash: number): number {
    const slot = this.free.length > 0 ? this.ownFree().pop()! : this.next++;
    const index = slot >>> CHUNK_BITS;
    const chunk = this.writable(index);
    const at = (slot & OFFSET_MASK) << 1;
    chunk[at] = key;
    chunk[at + 1] = item;
    this.hashChunks[index]![slot & OFFSET_MASK] = hash;
    return slot;
  }

  /** Frees `slot` for a later add. O(1). */
  remove(slot: number): void {
    const chunk = this.writable(slot >>> CHUNK_BITS);
    const at = (slot & OFFSET_MASK) << 1;
    chunk[at] = '';
    chunk[at + 1] = '';
    this.ownFree().push(slot);
  }

  /**
   * A copy that later writes to either do not affect. O(1). A storage's snapshot only reads its copy;
   * a rollback (TableStorage.restore) writes on in a copy of the snapshot's.
   */
  snapshot(): ItemSlots {
    this.directoryShared = true;
    this.freeShared = true;
    const copy = new ItemSlots();
    copy.chunks = this.chunks;
    copy.hashChunks = this.hashChunks;
    copy.directoryShared = true;
    copy.free = this.free;
    copy.freeShared = true;
    copy.next = this.next;
    copy.lineage = this.lineage;
    return copy;
  }

  private ownFree(): number[] {
    if (this.freeShared) {
      this.free = this.free.slice();
      this.freeShared = false;
    }
    return this.free;
  }

  /** The chunk holding `index`'s slots, this store's own (its hash chunk too). */
  private writable(index: number): string[] {
    if (this.directoryShared) {
      this.chunks = this.chunks.slice();
      this.hashChunks = this.hashChunks.slice();
      this.owned = new Array<boolean>(this.chunks.length).fill(false);
      this.directoryShared = false;
    }
    let chunk = this.chunks[index];
    if (chunk === undefined) {
      chunk = new Array<string>(CHUNK * 2).fill('');
      this.chunks[index] = chunk;
      this.hashChunks[index] = new Int32Array(CHUNK);
      this.owned[index] = true;
    } else if (this.owned[index] !== true) {
      chunk = chunk.slice();
      this.chunks[index] = chunk;
      this.hashChunks[index] = this.hashChunks[index]!.slice();
      this.owned[index] = true;
    }
    return chunk;
  }
}
