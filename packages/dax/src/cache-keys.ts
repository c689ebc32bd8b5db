import type { AttributeValue, Item } from '@magneto/core';
import { canonicalNumber } from './canonical-number.js';

/*
 * The strings the caches are keyed by. An item is named by table and primary key; an item-cache entry by
 * that and the projection it was read with (DAX keeps a projected read apart from the whole item); a
 * query-cache entry by the whole request. Anything that is not a well-formed request of the kind expected
 * gets `undefined`: the request then goes to the target uncached, which answers it with its own error.
 */

const SEP = '\u0000';

/**
 * The item a Key names in `tableName`, as a string: attributes sorted by name, numbers canonical, binary as
 * its bytes. undefined when `key` is not a map of 1 or 2 scalar key values.
 */
export function itemKeyOf(tableName: unknown, key: unknown): string | undefined {
  if (typeof tableName !== 'string' || typeof key !== 'object' || key === null) return undefined;
  const names = Object.keys(key);
  if (names.length === 0 || names.length > 2) return undefined;
  if (names.length === 2 && names[0]! > names[1]!) names.reverse();
  let text = tableName;
  for (const name of names) {
    const value = scalarText((key as Record<string, unknown>)[name]);
    if (value === undefined) return undefined;
    text += SEP + name + SEP + value;
  }
  return text;
}

/** The item key of `item` given its table's key attribute names; undefined when the item lacks one. */
export function itemKeyFromItem(tableName: string, keyNames: readonly string[], item: Item): string | undefined {
  const key: Record<string, AttributeValue> = {};
  for (const name of keyNames) {
    const value = item[name];
    if (value === undefined) return undefined;
    key[name] = value;
  }
  return itemKeyOf(tableName, key);
}

/** A key value as text, its type first; undefined for anything but S, N or binary B. */
function scalarText(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  // More than one member is DynamoDB's ValidationException: the target must see it.
  let members = 0;
  for (const _name in v) members++;
  if (members !== 1) return undefined;
  if (typeof v.S === 'string') return `S${v.S}`;
  if (typeof v.N === 'string') return `N${canonicalNumber(v.N)}`;
  if (v.B instanceof Uint8Array) return `B${latin1(v.B)}`;
  return undefined;
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return text;
}

/**
 * What a read projects, as a string: '' for the whole item, else its ProjectionExpression with the
 * ExpressionAttributeNames it uses, or its AttributesToGet. undefined when these are malformed.
 */
export function projectionOf(request: Record<string, unknown>): string | undefined {
  const { ProjectionExpression: expression, ExpressionAttributeNames: names, AttributesToGet: attributes } = request;
  if (expression === undefined && names === undefined && attributes === undefined) return '';
  if (expression !== undefined && typeof expression !== 'string') return undefined;
  if (attributes !== undefined && !(Array.isArray(attributes) && attributes.every((a) => typeof a === 'string'))) return undefined;
  return stableText({ expression, names, attributes });
}

/** The item-cache key of one read: the item and its projection. */
export function entryKeyOf(itemKey: string, projection: string): string {
  return projection === '' ? itemKey : itemKey + SEP + SEP + projection;
}

/** A JSON-like text of `value` with object members sorted, so two equal requests give one text. */
export function stableText(value: unknown): string {
  if (value === undefined) return 'u';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Uint8Array) return `b${JSON.stringify(latin1(value))}`;
  if (Array.isArray(value)) return `[${value.map(stableText).join(',')}]`;
  const names = Object.keys(value).sort();
  return `{${names.map((name) => `${JSON.stringify(name)}:${stableText((value as Record<string, unknown>)[name])}`).join(',')}}`;
}
