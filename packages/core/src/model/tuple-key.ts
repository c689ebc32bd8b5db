import type { AttributeValue } from './attribute-value.js';
import { encodeSortableKeyValue, type KeyValue } from './compare-keys.js';
import type { KeyAttribute } from './key-schema.js';
import { memberOf } from './set-member.js';

/*
 * Multi-attribute (tuple) keys of global secondary indexes as one sortable string, so storage, paging
 * and ordering treat them like any other key. Each component is its value's sortable string
 * (compare-keys.ts) with every U+0000 escaped as U+0000 U+0002, followed by the terminator
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
 * The encoded tuple of `item`'s values of `attributes` (in order), or undefined when one is missing.
 * An empty attribute list encodes as `''`.
 */
export function encodeTupleOf(item: Readonly<Record<string, AttributeValue>>, attributes: readonly KeyAttribute[]): string | undefined {
  let out = '';
  for (const attribute of attributes) {
    const value = memberOf(item, attribute.name);
    if (value === undefined) return undefined;
    out += encodeTupleComponent(value as KeyValue);
  }
  return out;
}
