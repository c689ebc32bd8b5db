import { encodableItem, storedItem, type ChangeRecord, type Item } from '@magneto/core';

/*
 * Change records as stream snapshots keep them, with core's item encoding for durable storage: msgpack
 * reads a map key `__proto__` back as `__proto_`, so such attribute names are escaped before encoding
 * (`encodableItem`), and restored items are unescaped, frozen and given plain Uint8Array binaries
 * (`storedItem`), exactly as the table's own items are.
 */

/**
 * How a persisted stream holds its records: `durable` as a snapshot encodes them (persistableChange) and
 * decodes them (restoredChange); `live` as the change feed published them (deeply frozen, never changed),
 * for `db.savepoint()`, which keeps them in memory and hands the same records back at every rollback.
 */
export type ChangeForm = 'durable' | 'live';

/** The change as a snapshot may encode it. */
export function persistableChange(change: ChangeRecord): ChangeRecord {
  const keys = encodableItem(change.keys);
  const newImage = change.newImage && encodableItem(change.newImage);
  const oldImage = change.oldImage && encodableItem(change.oldImage);
  if (keys === change.keys && newImage === change.newImage && oldImage === change.oldImage) return change;
  return { ...change, keys, newImage, oldImage };
}

/** The change a snapshot held (freshly decoded), as the change feed published it. */
export function restoredChange(change: ChangeRecord): ChangeRecord {
  const restore = (item: Item | undefined): Item | undefined => (item === undefined ? undefined : storedItem(item as Record<string, unknown>));
  return { ...change, keys: restore(change.keys)!, newImage: restore(change.newImage), oldImage: restore(change.oldImage) };
}
