import type { Item, TableSnapshot } from '@magneto/core';

/** The items a restore starts from: a table snapshot (O(1) to take) or items recovered from durable storage. */
export interface ItemSource {
  readonly itemCount: number;
  readonly sizeBytes: number;
  items(): Iterable<Item>;
  /** What a restore loads (ModuleContext.systemLoad): the snapshot itself when there is one, so its items are shared, not copied. */
  loadable(): TableSnapshot | Iterable<Item>;
}

/**
 * A snapshot's items, read only when a restore or a durable save asks for them. `itemCount` is the live
 * table's at the snapshot's instant (O(1) there; a snapshot counts its items on first use).
 */
export function snapshotItems(snapshot: TableSnapshot, itemCount: number): ItemSource {
  const storage = snapshot.storage;
  return {
    itemCount,
    sizeBytes: storage.sizeBytes,
    *items() {
      for (const [, item] of storage.entries()) yield item;
    },
    loadable: () => snapshot,
  };
}

/** Items held in an array (recovered from durable storage). */
export function arrayItems(items: readonly Item[], sizeBytes: number): ItemSource {
  return { itemCount: items.length, sizeBytes, items: () => items, loadable: () => items };
}
