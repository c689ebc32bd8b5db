import type { AttributeValue, Item } from '@magneto/core';
import { canonicalNumber } from './canonical-number.js';

/**
 * A written item as the target will return it: a deep copy with every number canonical, frozen as the
 * Database freezes the items it returns (binary values stay unfrozen: a typed array cannot be frozen).
 * The caller's object is not kept, so changing it after the write cannot change the cache.
 */
export function cachedItem(item: Item): Item {
  const copy: Record<string, AttributeValue> = {};
  for (const name of Object.keys(item)) copy[name] = cachedValue(item[name]!);
  return Object.freeze(copy);
}

function cachedValue(value: AttributeValue): AttributeValue {
  const v = value as Record<string, unknown>;
  let copy: unknown;
  if (typeof v.N === 'string') copy = { N: canonicalNumber(v.N) };
  else if (Array.isArray(v.NS)) copy = { NS: Object.freeze((v.NS as string[]).map(canonicalNumber)) };
  else if (Array.isArray(v.SS)) copy = { SS: Object.freeze([...(v.SS as string[])]) };
  else if (Array.isArray(v.BS)) copy = { BS: Object.freeze((v.BS as Uint8Array[]).map((b) => b.slice())) };
  else if (v.B instanceof Uint8Array) copy = { B: v.B.slice() };
  else if (Array.isArray(v.L)) copy = { L: Object.freeze((v.L as AttributeValue[]).map(cachedValue)) };
  else if (typeof v.M === 'object' && v.M !== null) copy = { M: cachedItem(v.M as Item) };
  else copy = { ...v };
  return Object.freeze(copy) as AttributeValue;
}
