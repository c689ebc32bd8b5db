import type { Item } from '../model/attribute-value.js';
import type { StorageKey } from './storage-key.js';

/**
 * The holder a partition's B+ tree keeps for one item. Replacing an item whose holder no snapshot
 * shares updates the holder in place: no tree descent. Once a snapshot may share it (it was created
 * before the latest snapshot), a replacement gets a new holder, so the snapshot keeps the old item.
 */
export interface StoredItem {
  /** The key the tree holds this item under. */
  readonly key: StorageKey;
  item: Item;
  /** The item's size as DynamoDB counts it, kept so reads (the 1 MB page, capacity) need not measure it. */
  size: number;
  /** The storage's snapshot epoch when this holder was created. */
  readonly epoch: number;
}
