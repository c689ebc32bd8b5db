import type { Item } from '../model/attribute-value.js';
import { decodeItem } from './item-codec.js';

/*
 * The items reads decoded last, so a hot item (the same GetItem, the same Query page) is decoded once,
 * not on every read: measured on `bench/compare.ts`, decoding 20 fresh frozen items was the whole of
 * Query(20)'s cost over the object layout. One direct-mapped cache for the process, bounded whatever the
 * tables hold: CACHE_SIZE entries (~26 MB of decoded ~100-byte items when full; nothing until read).
 * An item is kept from its second read in a row at its entry, so read-once items die young.
 *
 * An entry is valid by its encoding alone — it holds the encoded string it was decoded from, and a
 * lookup compares that string with the one to decode — so it is never stale: a rewritten slot holds a
 * new string, a snapshot or another table reading an equal string may use the same frozen item (items
 * are deeply frozen, as the object layout shared them too). The position only spreads items over entries.
 */

const CACHE_BITS = 16;
const CACHE_SIZE = 1 << CACHE_BITS;
const MASK = CACHE_SIZE - 1;

/** Each entry's encoded item ('' when empty: no encoding is empty). */
const encodings = new Array<string>(CACHE_SIZE).fill('');
const items = new Array<Item | undefined>(CACHE_SIZE).fill(undefined);

/** The item `stored` encodes, decoded (frozen) or from the cache; `position` picks its entry. O(1) when cached. */
export function decodeCached(stored: string, position: number): Item {
  const at = position & MASK;
  if (encodings[at] !== stored) {
    // A first read only marks the entry: keeping every item read once would promote each to the old
    // generation, and a read-once workload (a Scan, random reads over a large table) would pay for that.
    encodings[at] = stored;
    items[at] = undefined;
    return decodeItem(stored);
  }
  return (items[at] ??= decodeItem(stored));
}
