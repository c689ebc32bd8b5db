import type { StoredItem } from './stored-item.js';
import { BTree } from './btree.js';
import { compareStorageKeys, type StorageKey } from './storage-key.js';

/**
 * One partition of a table: it owns the hash prefixes in [lowHash, highHash) and keeps their items
 * in a B+ tree ordered by (hash, partition key, sort key).
 */
export class Partition {
  constructor(
    /** First hash prefix this partition owns. */
    readonly lowHash: number,
    /** First hash prefix past this partition's range. */
    readonly highHash: number,
    /** The partition's items, by storage key. */
    readonly items: BTree<StorageKey, StoredItem>,
  ) {}

  /** An empty partition over [lowHash, highHash). */
  static create(lowHash: number, highHash: number, maxNodeSize?: number): Partition {
    return new Partition(lowHash, highHash, new BTree<StorageKey, StoredItem>(undefined, compareStorageKeys, maxNodeSize));
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
