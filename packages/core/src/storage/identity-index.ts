import type { ItemSlots } from './item-slots.js';

/*
 * A storage's point-lookup structure: an item's identity (its table primary key, as a string) to its
 * slot (item-slots.ts). An open-addressing hash table in two Int32Arrays rather than a Map, so it costs
 * ~12 bytes per item and no key strings of its own: an identity is how its slot's storage key ends, so
 * a probe compares against the key the slot already holds.
 */

const EMPTY = 0;

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
  /** Slot + 1 per position, EMPTY where none; a power-of-two length, at most half full. */
  private table = new Int32Array(64);
  /** Each occupied slot's identity hash, so a probe rejects most candidates and growing rehashes nothing. */
  private hashes = new Int32Array(64);
  private count = 0;

  /**
   * `afterHash`: the identity is the whole storage key after its 3-character hash prefix (a table);
   * otherwise it is the storage key's last tuple, after the index key's terminator (an index).
   */
  constructor(
    private slots: ItemSlots,
    private readonly afterHash: boolean,
  ) {}

  /** Probes against `slots` from now on (a rollback swaps a storage's slots for the snapshot's). */
  useSlots(slots: ItemSlots): void {
    this.slots = slots;
  }

  /** The slot of the item with this identity (and `hash`, its identityHash), or -1. O(1). */
  find(identity: string, hash: number): number {
    const table = this.table;
    const mask = table.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const entry = table[i]!;
      if (entry === EMPTY) return -1;
      const slot = entry - 1;
      if (this.hashes[slot] === hash && this.endsWith(this.slots.key(slot), identity)) return slot;
    }
  }

  /** Records a new identity's slot. O(1) amortized. */
  insert(hash: number, slot: number): void {
    if (slot >= this.hashes.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.hashes.length * 2));
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[slot] = hash;
    if (++this.count * 2 > this.table.length) this.grow();
    this.place(this.table, slot);
  }

  /** Forgets `slot`'s identity. O(1). */
  remove(slot: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let hole = this.hashes[slot]! & mask;
    while (table[hole] !== slot + 1) hole = (hole + 1) & mask;
    // Backward shift: move up every later entry of the run whose home is not between the hole and it.
    for (let j = (hole + 1) & mask; table[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.hashes[table[j]! - 1]! & mask;
      const between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (between) continue;
      table[hole] = table[j]!;
      hole = j;
    }
    table[hole] = EMPTY;
    this.count--;
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

  private place(table: Int32Array, slot: number): void {
    const mask = table.length - 1;
    let i = this.hashes[slot]! & mask;
    while (table[i] !== EMPTY) i = (i + 1) & mask;
    table[i] = slot + 1;
  }

  private grow(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2);
    for (const entry of old) if (entry !== EMPTY) this.place(table, entry - 1);
    this.table = table;
  }
}
