import type { Key } from '../model/attribute-value.js';
import { BTree } from '../storage/btree.js';

/** One entry of the expiry index: when, which table, which item (its primary key identity). */
export interface ExpiryKey {
  readonly expiryMs: number;
  readonly tableName: string;
  /** primaryKeyIdentity of the item's key. */
  readonly id: string;
}

function compareExpiryKeys(a: ExpiryKey, b: ExpiryKey): number {
  if (a.expiryMs !== b.expiryMs) return a.expiryMs < b.expiryMs ? -1 : 1;
  if (a.tableName !== b.tableName) return a.tableName < b.tableName ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/**
 * Every item that may expire, across the tables with TTL, ordered by (expiry time, table, key): a sweep
 * walks it from the start and stops at the first entry not yet due, so it costs O(items expiring).
 * Values are the items' primary keys, for the delete.
 */
export class ExpiryIndex {
  constructor(private tree = new BTree<ExpiryKey, Key>(undefined, compareExpiryKeys)) {}

  /** A copy that later changes to either do not affect (db.savepoint). O(1): the B+ tree is copy-on-write. */
  clone(): ExpiryIndex {
    return new ExpiryIndex(this.tree.clone());
  }

  /** Takes over `saved`'s entries (db.rollback), leaving `saved` as it is. O(1). */
  restore(saved: ExpiryIndex): void {
    this.tree = saved.tree.clone();
  }

  set(key: ExpiryKey, itemKey: Key): void {
    this.tree.set(key, itemKey);
  }

  delete(key: ExpiryKey): void {
    this.tree.delete(key);
  }

  /** The earliest entry, if any. */
  first(): [ExpiryKey, Key] | undefined {
    const key = this.tree.minKey();
    return key === undefined ? undefined : [key, this.tree.get(key)!];
  }

  /**
   * Calls `visit` with entries in order while they expire before `beforeMs` and `visit` returns true.
   * `visit` must not change the index; collect and delete afterwards.
   */
  forEachBefore(beforeMs: number, visit: (key: ExpiryKey, itemKey: Key) => boolean): void {
    for (const [key, itemKey] of this.tree.entries()) {
      if (key.expiryMs >= beforeMs || !visit(key, itemKey)) return;
    }
  }

  /** Drops every entry of one table (TTL disabled, table dropped): O(entries). */
  dropTable(tableName: string): void {
    this.tree.editAll((key) => (key.tableName === tableName ? { delete: true } : undefined));
  }
}
