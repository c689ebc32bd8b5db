import type { Item } from '../model/attribute-value.js';
import { decodeItem } from './item-codec.js';

/*
 * The items reads decoded last, so a hot item (the same GetItem, the same Query page) is decoded once,
 * not on every read: measured on `bench/compare.ts`, decoding 20 fresh frozen items was the whole of
 * Query(20)'s cost over the object layout. One direct-mapped cache for the process, bounded whatever the
 * tables hold: CACHE_SIZE entries (~26 MB of decoded ~100-byte items when full; nothing until read).
 *
 * An entry is valid by its encoding alone — it holds the encoded string it was decoded from, and a
 * lookup compares that string with the one to decode — so it is never stale: a rewritten slot holds a
 * new string, a snapshot or another table reading an equal string may use the same frozen item (items
 * are deeply frozen, as the object layout shared them too). The position only spreads items over entries.
 *
 * Reads of items not read recently (random reads over a table larger than the cache, a Scan) must cost
 * little beyond their decode, so an entry keeps an item only from the KEPT_FROM-th read in a row of its
 * position, and until then records only the position (an integer: no pointer written, no string compared).
 * Measured on random Query(20) over 400,000 items (~6 positions per entry): comparing and writing the
 * cached string on every read, and keeping items from their second read (each kept item is promoted to
 * the old generation, then dropped), cost ~25 % of the Query; keeping from the third read costs ~4 %.
 */

const CACHE_BITS = 16;
const CACHE_SIZE = 1 << CACHE_BITS;
const MASK = CACHE_SIZE - 1;
/** An entry keeps an item from this read in a row of its position (a rewritten item: from its next read). */
const KEPT_FROM = 3;

/** Each entry's last position read, and how many reads in a row it has had (up to KEPT_FROM - 1). */
const positions = new Int32Array(CACHE_SIZE).fill(-1);
const streaks = new Uint8Array(CACHE_SIZE);
/** Each entry's encoded item ('' when empty: no encoding is empty), and its decoded form. */
const encodings = new Array<string>(CACHE_SIZE).fill('');
const items = new Array<Item | undefined>(CACHE_SIZE).fill(undefined);

/**
 * The item `stored` encodes, decoded (frozen) or from the cache; `position` picks its entry. O(1) when cached.
 * A read may pass `decodeOnce` (item-codec.ts attributesReader, sharingDecoder, collectionsDecoder): an item
 * that is not cached is decoded by it, unless this read is the one from which the entry keeps the whole
 * item (decoded by decodeItem, as every kept item is).
 */
export function decodeCached(stored: string, position: number, decodeOnce: (stored: string) => Item = decodeItem): Item {
  const at = position & MASK;
  if (positions[at] !== (position | 0)) {
    positions[at] = position;
    streaks[at] = 1;
    return decodeOnce(stored);
  }
  if (encodings[at] === stored) return items[at]!;
  if (streaks[at]! < KEPT_FROM - 1) {
    streaks[at] = streaks[at]! + 1;
    return decodeOnce(stored);
  }
  const item = decodeItem(stored);
  encodings[at] = stored;
  items[at] = item;
  return item;
}
