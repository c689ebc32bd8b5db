import { Packr } from 'msgpackr';
import type { AttributeValue, Item } from '../model/attribute-value.js';

/**
 * The one msgpack codec of log records and snapshot chunks. Plain maps (no msgpackr "records"), so
 * each frame decodes on its own, with no structure table shared across frames or files.
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Decodes `bytes`, or its [start, end) (cheaper than a subarray: msgpackr caches one DataView per buffer). */
export function decode(bytes: Uint8Array, start?: number, end?: number): unknown {
  return start === undefined ? packr.unpack(bytes) : packr.unpack(bytes, { start, end: end ?? bytes.length });
}

const freeze = Object.freeze;

/**
 * Makes a decoded item what the engine stores: frozen all the way down, binary as plain Uint8Array
 * (msgpackr hands Node Buffers, which are views into the whole file buffer).
 */
export function storedItem(decoded: Record<string, unknown>): Item {
  for (const name in decoded) decoded[name] = storedValue(decoded[name] as Record<string, unknown>);
  return freeze(decoded) as Item;
}

function storedValue(value: Record<string, unknown>): AttributeValue {
  if ('S' in value || 'N' in value || 'BOOL' in value || 'NULL' in value) return freeze(value) as AttributeValue;
  if ('B' in value) return freeze({ B: copyBytes(value.B as Uint8Array) });
  if ('M' in value) {
    const map = value.M as Record<string, unknown>;
    for (const name in map) map[name] = storedValue(map[name] as Record<string, unknown>);
    freeze(map);
    return freeze(value) as AttributeValue;
  }
  if ('L' in value) {
    const list = value.L as unknown[];
    for (let i = 0; i < list.length; i++) list[i] = storedValue(list[i] as Record<string, unknown>);
    freeze(list);
    return freeze(value) as AttributeValue;
  }
  if ('BS' in value) return freeze({ BS: freeze((value.BS as Uint8Array[]).map(copyBytes)) as Uint8Array[] });
  if ('SS' in value) freeze(value.SS);
  else if ('NS' in value) freeze(value.NS);
  return freeze(value) as AttributeValue;
}

function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}
