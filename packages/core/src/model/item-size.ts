import type { AttributeValue, Item } from './attribute-value.js';
import { numberSize } from './number.js';

/*
 * DynamoDB's item size (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * for each attribute, the UTF-8 bytes of its name plus the size of its value:
 *   S: UTF-8 bytes; B: raw bytes; N: the length of DynamoDB's number serialization (1 byte of exponent,
 *   1 byte per base-100 digit pair, 1 more for a negative number of fewer than 20 pairs; zero is 1);
 *   BOOL, NULL: 1; SS/NS/BS: the sum of the members' sizes;
 *   L, M: 3 bytes + 1 byte per element + the elements' sizes (and, for M, the UTF-8 bytes of each key).
 */

/** UTF-8 length of a JS string, without encoding it (a lone surrogate counts as U+FFFD: 3 bytes). */
export function utf8Length(s: string): number {
  const len = s.length;
  let bytes = len;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < len && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** The size DynamoDB counts for one (validated, normalized) AttributeValue, without its name. */
export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Length(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return value.B.length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('M' in value) {
    let size = 3;
    const m = value.M;
    for (const name in m) size += 1 + utf8Length(name) + attributeValueSize(m[name] as AttributeValue);
    return size;
  }
  if ('L' in value) {
    let size = 3;
    for (const element of value.L) size += 1 + attributeValueSize(element);
    return size;
  }
  let size = 0;
  if ('SS' in value) for (const s of value.SS) size += utf8Length(s);
  else if ('NS' in value) for (const n of value.NS) size += numberSize(n);
  else for (const b of value.BS) size += b.length;
  return size;
}

/** The size of an item exactly as DynamoDB counts it, in bytes. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += utf8Length(name) + attributeValueSize(item[name] as AttributeValue);
  return size;
}

/**
 * Sizes of stored items by identity: items are frozen, so an item's size never changes. Whoever
 * measures an item anyway (an update building it) records it here; others find it or measure once.
 */
const knownSizes = new WeakMap<Item, number>();

/** The item's size, measured at most once per frozen item. */
export function knownItemSize(item: Item): number {
  let size = knownSizes.get(item);
  if (size === undefined) {
    size = itemSize(item);
    if (Object.isFrozen(item)) knownSizes.set(item, size);
  }
  return size;
}

/** Records the size of a frozen item measured elsewhere (see knownItemSize). */
export function recordItemSize(item: Item, size: number): void {
  knownSizes.set(item, size);
}
