import type { Item } from '../model/attribute-value.js';
import { equalItems } from '../model/equal-values.js';
import { keyOf } from '../model/validate-key.js';
import type { PrimaryKeySchema } from '../model/key-schema.js';
import type { ChangeOrigin, ChangeRecord } from './change-record.js';

/**
 * The change record (before the engine numbers it) of a committed write to one item: REMOVE when `next`
 * is undefined, INSERT when `old` is, MODIFY otherwise. Undefined when the write changed nothing (no item
 * before or after, or an equal item): such a write publishes nothing.
 */
export function itemChange(
  table: { readonly name: string; readonly keySchema: PrimaryKeySchema },
  old: Item | undefined,
  next: Item | undefined,
  timestamp: number,
  origin: ChangeOrigin,
): Omit<ChangeRecord, 'sequenceNumber'> | undefined {
  if (next === undefined) {
    if (old === undefined) return undefined;
    return { tableName: table.name, eventName: 'REMOVE', keys: keyOf(old, table.keySchema), oldImage: old, timestamp, origin };
  }
  if (old !== undefined && equalItems(old, next)) return undefined;
  return {
    tableName: table.name,
    eventName: old === undefined ? 'INSERT' : 'MODIFY',
    keys: keyOf(next, table.keySchema),
    oldImage: old,
    newImage: next,
    timestamp,
    origin,
  };
}
