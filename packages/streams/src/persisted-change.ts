import type { AttributeValue, ChangeRecord, Item } from '@magneto/core';

/**
 * Change records as stream snapshots keep them. Durable storage encodes module state with msgpack,
 * which reads a map key `__proto__` back as `__proto_` (its guard against prototype pollution), yet
 * `__proto__` is a valid attribute name. Such names — and names starting with ESCAPE, so the scheme
 * is reversible — get ESCAPE prepended here and stripped on restore. Items without such names (all
 * but a few) are kept as they are, after one walk over their attribute names.
 */
const ESCAPE = '\u0001';

const needsEscape = (name: string): boolean => name === '__proto__' || name.charCodeAt(0) === 1;

function mapNeeds(map: Record<string, AttributeValue>): boolean {
  for (const name in map) if (needsEscape(name) || valueNeeds(map[name]!)) return true;
  return false;
}

function valueNeeds(value: AttributeValue): boolean {
  if ('M' in value) return mapNeeds(value.M as Record<string, AttributeValue>);
  if ('L' in value) return (value.L as AttributeValue[]).some(valueNeeds);
  return false;
}

/** Own properties only: assigning `__proto__` would set the prototype instead. */
function put(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function mapTransform(map: Record<string, AttributeValue>, rename: (name: string) => string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const name of Object.keys(map)) put(out, rename(name), valueTransform(map[name]!, rename));
  return out;
}

function valueTransform(value: AttributeValue, rename: (name: string) => string): AttributeValue {
  if ('M' in value) return { M: mapTransform(value.M as Record<string, AttributeValue>, rename) } as AttributeValue;
  if ('L' in value) return { L: (value.L as AttributeValue[]).map((v) => valueTransform(v, rename)) } as AttributeValue;
  return value;
}

const escapeName = (name: string): string => (needsEscape(name) ? ESCAPE + name : name);
const unescapeName = (name: string): string => (name.charCodeAt(0) === 1 ? name.slice(1) : name);

function escapeItem(item: Item | undefined): Item | undefined {
  if (item === undefined || !mapNeeds(item as Record<string, AttributeValue>)) return item;
  return mapTransform(item as Record<string, AttributeValue>, escapeName) as Item;
}

function mapHasEscaped(map: Record<string, AttributeValue>): boolean {
  for (const name in map) if (name.charCodeAt(0) === 1 || valueHasEscaped(map[name]!)) return true;
  return false;
}

function valueHasEscaped(value: AttributeValue): boolean {
  if ('M' in value) return mapHasEscaped(value.M as Record<string, AttributeValue>);
  if ('L' in value) return (value.L as AttributeValue[]).some(valueHasEscaped);
  return false;
}

function unescapeItem(item: Item | undefined): Item | undefined {
  if (item === undefined || !mapHasEscaped(item as Record<string, AttributeValue>)) return item;
  return mapTransform(item as Record<string, AttributeValue>, unescapeName) as Item;
}

/** The change as a snapshot may encode it. */
export function persistableChange(change: ChangeRecord): ChangeRecord {
  const keys = escapeItem(change.keys);
  const newImage = escapeItem(change.newImage);
  const oldImage = escapeItem(change.oldImage);
  if (keys === change.keys && newImage === change.newImage && oldImage === change.oldImage) return change;
  return { ...change, keys: keys!, newImage, oldImage };
}

/** The change a snapshot held, as the change feed published it. */
export function restoredChange(change: ChangeRecord): ChangeRecord {
  const keys = unescapeItem(change.keys);
  const newImage = unescapeItem(change.newImage);
  const oldImage = unescapeItem(change.oldImage);
  if (keys === change.keys && newImage === change.newImage && oldImage === change.oldImage) return change;
  return { ...change, keys: keys!, newImage, oldImage };
}
