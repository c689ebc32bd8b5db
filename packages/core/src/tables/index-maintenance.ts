import type { Item } from '../model/attribute-value.js';
import { itemSize } from '../model/item-size.js';
import { entryRef, indexStorageKey, inIndex, sameIndexKey } from './index-placement.js';
import { projectItemForIndex, type SecondaryIndex } from './secondary-index.js';
import type { TableState } from './table-state.js';

/**
 * Brings one index up to date with a table write (`next` undefined: the item was deleted); `stored` is
 * `next` as the table stores it, which an index of projection ALL shares.
 */
export function updateIndex(index: SecondaryIndex, tableKey: string, old: Item | undefined, next: Item | undefined, stored?: string): void {
  const wasIn = inIndex(index, old);
  if (next === undefined || !inIndex(index, next)) {
    if (wasIn) index.storage.delete(entryRef(tableKey));
    return;
  }
  if (wasIn && !sameIndexKey(index, old!, next)) index.storage.delete(entryRef(tableKey));
  // An entry whose index key did not change is replaced in place: `place` only runs for a new entry.
  const item = next;
  const place = () => indexStorageKey(index, item, tableKey)!;
  if (stored !== undefined && index.projectedAttributes === undefined) index.storage.putStored(entryRef(tableKey), stored, place);
  else {
    // `write`, not `put`: a projected entry is fresh (its size is measured, not looked up) and the entry
    // it replaces is not decoded.
    const entry = projectItemForIndex(index, item);
    index.storage.write(entryRef(tableKey), entry, place, itemSize(entry));
  }
}

/**
 * The write units each index consumed for a write from `old` to `next` (ConsumedCapacity INDEXES):
 * an entry written or deleted costs its size in 1 KB units; a changed index key costs both.
 */
export function indexWriteSizes(table: TableState, old: Item | undefined, next: Item | undefined): Array<{ index: SecondaryIndex; bytes: number[] }> {
  const out: Array<{ index: SecondaryIndex; bytes: number[] }> = [];
  for (const index of table.indexes) {
    const wasIn = inIndex(index, old);
    const isIn = inIndex(index, next);
    if (!wasIn && !isIn) continue;
    const oldSize = wasIn ? itemSize(projectItemForIndex(index, old!)) : 0;
    const newSize = isIn ? itemSize(projectItemForIndex(index, next!)) : 0;
    if (wasIn && isIn && !sameIndexKey(index, old!, next!)) out.push({ index, bytes: [oldSize, newSize] });
    else out.push({ index, bytes: [Math.max(oldSize, newSize)] });
  }
  return out;
}
