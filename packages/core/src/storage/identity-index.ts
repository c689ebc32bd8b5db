import type { ItemSlots } from './item-slots.js';

/*
 * A storage's point-lookup structure: an item's identity (its table primary key, as a string) to its
 * slot (item-slots.ts). An open-addressing hash table of Int32 positions rather than a Map, so it costs
 * ~8 bytes per item and no key strings of its own: an identity is how its slot's storage key ends, and
 * its hash is kept in its slot, so a probe compares against what the slot already holds.
 *
 * The positions live in chunks shared with snapshots copy-on-write, as the slots' are: a snapshot, a
 * rollback (TableStorage.restore) or a fork (loadFork) shares the chunk directory (O(1)); the first write
 * after it copies the directory, and the first write to a chunk copies that chunk. So a restored or forked
 * storage looks items up at once, with no index to rebuild or mend.
 */

const EMPTY = 0;
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const OFFSET_MASK = CHUNK - 1;
const INITIAL_LENGTH = 64;

/** The identity's 32-bit hash: FNV-1a, then a final mix so the low bits (the table position) spread. */
export function identityHash(identity: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < identity.length; i++) h = Math.imul(h ^ identity.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** Identity → slot, by linear probing (deletion shifts entries back, so no tombstones). */
export class IdentityIndex {
  /**
   * Slot + 1 per position, EMPTY where none, in chunks of CHUNK positions (one shorter chunk while the
   * table is smaller): `length` positions, a power of two, at most half full.
   */
  private chunks: Int32Array[] = [new Int32Array(INITIAL_LENGTH)];
  private length = INITIAL_LENGTH;
  /** Whether this index may write a chunk in place (no snapshot shares it). */
  private owned: boolean[] = [true];
  /** Another index shares the chunk directory itself: copy it before the next write. */
  private directoryShared = false;
  private count = 0;

  /**
   * `afterHash`: the identity is the whole storage key after its 3-character hash prefix (a table);
   * otherwise it is the storage key's last tuple, after the index key's terminator (an index).
   */
  constructor(
    private readonly slots: ItemSlots,
    private readonly afterHash: boolean,
  ) {}

  /** The number of identities held. O(1). */
  get size(): number {
    return this.count;
  }

  /** The slot of the item with this identity (and `hash`, its identityHash), or -1. O(1). */
  find(identity: string, hash: number): number {
    const chunks = this.chunks;
    const mask = this.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const entry = chunks[i >>> CHUNK_BITS]![i & OFFSET_MASK]!;
      if (entry === EMPTY) return -1;
      const slot = entry - 1;
      if (this.slots.hash(slot) === hash && this.endsWith(this.slots.key(slot), identity)) return slot;
    }
  }

  /** Records the identity of a new slot (its hash already in the slot). O(1) amortized. */
  insert(slot: number): void {
    if (++this.count * 2 > this.length) this.grow();
    const mask = this.length - 1;
    let i = this.slots.hash(slot) & mask;
    while (this.entry(i) !== EMPTY) i = (i + 1) & mask;
    this.writable(i >>> CHUNK_BITS)[i & OFFSET_MASK] = slot + 1;
  }

  /** Forgets `slot`'s identity. O(1). */
  remove(slot: number): void {
    const mask = this.length - 1;
    let hole = this.slots.hash(slot) & mask;
    while (this.entry(hole) !== slot + 1) hole = (hole + 1) & mask;
    // Backward shift: move up every later entry of the run whose home is not between the hole and it.
    for (let j = (hole + 1) & mask; this.entry(j) !== EMPTY; j = (j + 1) & mask) {
      const entry = this.entry(j);
      const home = this.slots.hash(entry - 1) & mask;
      const between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (between) continue;
      this.writable(hole >>> CHUNK_BITS)[hole & OFFSET_MASK] = entry;
      hole = j;
    }
    this.writable(hole >>> CHUNK_BITS)[hole & OFFSET_MASK] = EMPTY;
    this.count--;
  }

  /**
   * A copy probing against `slots` (a copy of this index's slots, holding the same items) that later
   * writes to either do not affect. O(1): the chunks are shared copy-on-write.
   */
  share(slots: ItemSlots): IdentityIndex {
    this.directoryShared = true;
    const copy = new IdentityIndex(slots, this.afterHash);
    copy.chunks = this.chunks;
    copy.length = this.length;
    copy.directoryShared = true;
    copy.count = this.count;
    return copy;
  }

  /**
   * Whether `key` ends with `identity` where an identity starts: a shorter tuple can end like a longer
   * one ("x", "s") ends ("ax", "s"), but never right after a terminator (U+0000 U+0001) or the hash.
   */
  private endsWith(key: string, identity: string): boolean {
    const at = key.length - identity.length;
    if (this.afterHash ? at !== 3 : at < 5 || key.charCodeAt(at - 1) !== 1 || key.charCodeAt(at - 2) !== 0) return false;
    return key.endsWith(identity);
  }

  private entry(position: number): number {
    return this.chunks[position >>> CHUNK_BITS]![position & OFFSET_MASK]!;
  }

  private writable(index: number): Int32Array {
    if (this.directoryShared) {
      this.chunks = this.chunks.slice();
      this.owned = new Array<boolean>(this.chunks.length).fill(false);
      this.directoryShared = false;
    }
    let chunk = this.chunks[index]!;
    if (this.owned[index] !== true) {
      chunk = chunk.slice();
      this.chunks[index] = chunk;
      this.owned[index] = true;
    }
    return chunk;
  }

  /** Doubles the table into new chunks of its own. O(items), amortized O(1) per insert. */
  private grow(): void {
    const old = this.chunks;
    const length = this.length * 2;
    const chunkLength = Math.min(length, CHUNK);
    const chunks = Array.from({ length: length / chunkLength }, () => new Int32Array(chunkLength));
    const mask = length - 1;
    for (const chunk of old) {
      for (const entry of chunk) {
        if (entry === EMPTY) continue;
        let i = this.slots.hash(entry - 1) & mask;
        while (chunks[i >>> CHUNK_BITS]![i & OFFSET_MASK] !== EMPTY) i = (i + 1) & mask;
        chunks[i >>> CHUNK_BITS]![i & OFFSET_MASK] = entry;
      }
    }
    this.chunks = chunks;
    this.length = length;
    this.owned = new Array<boolean>(chunks.length).fill(true);
    this.directoryShared = false;
  }
}
