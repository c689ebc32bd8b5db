import type { AttributeValue } from './attribute-value.js';
import { encodeSortableKeyValue, type KeyValue } from './compare-keys.js';
import type { KeyAttribute } from './key-schema.js';
import { memberOf } from './set-member.js';

/*
 * Key parts (a partition key or a sort key, each a tuple of attributes: model/key-schema.ts) as one
 * sortable string, so storage, paging and ordering treat every key alike. A part of one attribute (every
 * table key, most index keys) is its value's own sortable string (compare-keys.ts). A part of several
 * attributes (a multi-attribute GSI key) joins its components: each is its value's sortable string
 * with every U+0000 escaped as U+0000 U+0002, followed by the terminator
 * U+0000 U+0001: the terminator sorts below anything a component can continue with, so the JS order of
 * the joined strings is the tuples' order (component by component, a shorter component first), and
 * the keys whose first k components equal given values are exactly those starting with the encoding
 * of those k values.
 */

/** What ends each encoded component. */
export const TUPLE_TERMINATOR = '\u0000\u0001';

/** One component's encoding without its terminator (a begins_with prefix of the component). */
export function encodeTupleComponentBody(value: KeyValue): string {
  const s = encodeSortableKeyValue(value);
  return s.indexOf('\u0000') < 0 ? s : s.split('\u0000').join('\u0000\u0002');
}

/** One component's encoding, terminator included. */
export function encodeTupleComponent(value: KeyValue): string {
  return encodeTupleComponentBody(value) + TUPLE_TERMINATOR;
}

/**
 * The sortable string of a key part: `item`'s values of `attributes` (in order) encoded as above, or
 * undefined when one is missing. No attribute (a key without sort key) encodes as `''`.
 */
export function encodeKeyPart(item: Readonly<Record<string, AttributeValue>>, attributes: readonly KeyAttribute[]): string | undefined {
  if (attributes.length === 1) {
    const value = memberOf(item, attributes[0]!.name);
    return value === undefined ? undefined : encodeSortableKeyValue(value as KeyValue);
  }
  let out = '';
  for (const attribute of attributes) {
    const value = memberOf(item, attribute.name);
    if (value === undefined) return undefined;
    out += encodeTupleComponent(value as KeyValue);
  }
  return out;
}

/** One component of a key part of `count` attributes, as encodeKeyPart writes it. */
export function encodeKeyComponent(value: KeyValue, count: number): string {
  return count === 1 ? encodeSortableKeyValue(value) : encodeTupleComponent(value);
}

/** encodeKeyComponent without a tuple component's terminator: a begins_with prefix of the component. */
export function encodeKeyComponentBody(value: KeyValue, count: number): string {
  return count === 1 ? encodeSortableKeyValue(value) : encodeTupleComponentBody(value);
}
