import { primaryKeyIdentity } from '../storage/storage-key.js';
import { indexable } from './index-key-checks.js';
import { entryRef, indexStorageKey } from './index-placement.js';
import { projectItemForIndex, type SecondaryIndex } from './secondary-index.js';
import type { TableState } from './table-state.js';

/** Fills a new index from the table's items (an UpdateTable GSI Create); items it cannot index are skipped. */
export function backfillIndex(table: TableState, index: SecondaryIndex): void {
  for (const [key, item] of table.storage.entries()) {
    if (!indexable(index, item)) continue;
    const tableKey = primaryKeyIdentity(key);
    index.storage.put(entryRef(tableKey), projectItemForIndex(index, item), () => indexStorageKey(index, item, tableKey)!);
  }
}
