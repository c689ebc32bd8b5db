import { KeyTree } from './key-tree.js';

/**
 * One partition of a table: it owns the hash prefixes in [lowHash, highHash) and keeps their items
 * in a B+ tree from encoded storage key (ordered by hash, partition key, sort key) to the slot of its encoded item (item-slots.ts).
 */
export class Partition {
  constructor(
    /** First hash prefix this partition owns. */
    readonly lowHash: number,
    /** First hash prefix past this partition's range. */
    readonly highHash: number,
    /** The partition's items, by storage key. */
    readonly items: KeyTree,
  ) {}

  /** An empty partition over [lowHash, highHash). */
  static create(lowHash: number, highHash: number, maxNodeSize?: number): Partition {
    return new Partition(lowHash, highHash, new KeyTree(maxNodeSize));
  }

  /** Whether this partition owns `hash`. O(1). */
  owns(hash: number): boolean {
    return hash >= this.lowHash && hash < this.highHash;
  }

  /** A read-only copy that later writes do not affect. O(1): the B+ tree is copy-on-write. */
  snapshot(): Partition {
    return new Partition(this.lowHash, this.highHash, this.items.clone());
  }
}
