import type { AttributeValue, Item } from '../model/attribute-value.js';

/*
 * How storage holds an item: one JS string of Latin-1 characters (a "one-byte" string: one heap object,
 * one byte per character, never walked by the garbage collector), instead of a graph of frozen objects.
 * A 100-byte item took ~600 bytes of heap as objects; encoded it takes about its own size.
 *
 * Layout: the item's size as DynamoDB counts it (varint), then each attribute in the item's own order:
 * its name, a type tag, its value.
 *   varint   7 bits per character, low bits first, high bit set on every character but the last.
 *   name     a character below 0xF0 is a code of the shared name dictionary; 0xF0 + varint is a larger
 *            code; 0xF1 + text is the name itself (once the dictionary is full).
 *   text     varint (length × 2) + characters, Latin-1 as they are; a string with any character above
 *            U+00FF is stored as varint (UTF-8 length × 2 + 1) + its UTF-8 bytes, so the item stays one-byte.
 *   values   S: 'S' text · N: 'N' varint + digits · B: 'B' varint + bytes · BOOL: 'T' / 'F' · NULL: '0'
 *            M: 'M' count + (name, value)… · L: 'L' count + value… · SS: 'a' count + text… ·
 *            NS: 'n' count + (varint + digits)… · BS: 'b' count + (varint + bytes)…
 * Decoding builds a fresh, deeply frozen item: reads share nothing mutable with storage (a binary value
 * is a new Uint8Array on every read).
 */

const freeze = Object.freeze;
const BOOL_TRUE: AttributeValue = freeze({ BOOL: true });
const BOOL_FALSE: AttributeValue = freeze({ BOOL: false });
const NULL_TRUE: AttributeValue = freeze({ NULL: true as const });

// ---------------------------------------------------------------------------------------------------------
// The name dictionary
// ---------------------------------------------------------------------------------------------------------

/**
 * Attribute names are few and repeat in every item: each is stored once here and by code in items.
 * Shared by every table of the process (an index entry of projection ALL is the table's very string);
 * bounded, so a workload of ever-new names stores them inline once it is full.
 */
const MAX_NAMES = 1 << 16;
const names: string[] = [];
const codes = new Map<string, number>();
const DIRECT_CODES = 0xf0;
const WIDE_CODE = 0xf0;
const INLINE_NAME = 0xf1;

function nameCode(name: string): number {
  let code = codes.get(name);
  if (code === undefined && names.length < MAX_NAMES) {
    code = names.length;
    names.push(name);
    codes.set(name, code);
  }
  return code ?? -1;
}

// ---------------------------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------------------------

// One growing buffer for every encoding (operations never nest): encoding allocates only its result.
let out = new Uint8Array(4096);
let at = 0;
const utf8 = new TextEncoder();

function reserve(bytes: number): void {
  if (at + bytes <= out.length) return;
  const bigger = new Uint8Array(Math.max(out.length * 2, at + bytes + 1024));
  bigger.set(out.subarray(0, at));
  out = bigger;
}

function writeVarint(value: number): void {
  reserve(5);
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[at++] = value;
}

function writeText(text: string): void {
  const length = text.length;
  let wide = false;
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(i) > 0xff) {
      wide = true;
      break;
    }
  }
  if (!wide) {
    writeVarint(length * 2);
    reserve(length);
    for (let i = 0; i < length; i++) out[at++] = text.charCodeAt(i);
    return;
  }
  const bytes = utf8.encode(text);
  writeVarint(bytes.length * 2 + 1);
  writeBytes(bytes);
}

function writeBytes(bytes: Uint8Array): void {
  reserve(bytes.length);
  out.set(bytes, at);
  at += bytes.length;
}

function writeName(name: string): void {
  const code = nameCode(name);
  reserve(1);
  if (code < 0) {
    out[at++] = INLINE_NAME;
    writeText(name);
  } else if (code < DIRECT_CODES) {
    out[at++] = code;
  } else {
    out[at++] = WIDE_CODE;
    writeVarint(code - DIRECT_CODES);
  }
}

function writeAscii(text: string): void {
  writeVarint(text.length);
  reserve(text.length);
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
}

function writeTag(tag: number): void {
  reserve(1);
  out[at++] = tag;
}

function writeValue(value: AttributeValue): void {
  if ('S' in value) {
    writeTag(0x53);
    writeText(value.S);
  } else if ('N' in value) {
    writeTag(0x4e);
    writeAscii(value.N);
  } else if ('BOOL' in value) {
    writeTag(value.BOOL ? 0x54 : 0x46);
  } else if ('B' in value) {
    writeTag(0x42);
    writeVarint(value.B.length);
    writeBytes(value.B);
  } else if ('NULL' in value) {
    writeTag(0x30);
  } else if ('M' in value) {
    writeTag(0x4d);
    const m = value.M;
    let count = 0;
    for (const name in m) if (Object.prototype.hasOwnProperty.call(m, name)) count++;
    writeVarint(count);
    for (const name in m) {
      if (!Object.prototype.hasOwnProperty.call(m, name)) continue;
      writeName(name);
      writeValue(m[name] as AttributeValue);
    }
  } else if ('L' in value) {
    writeTag(0x4c);
    writeVarint(value.L.length);
    for (const element of value.L) writeValue(element);
  } else if ('SS' in value) {
    writeTag(0x61);
    writeVarint(value.SS.length);
    for (const s of value.SS) writeText(s);
  } else if ('NS' in value) {
    writeTag(0x6e);
    writeVarint(value.NS.length);
    for (const n of value.NS) writeAscii(n);
  } else {
    writeTag(0x62);
    writeVarint(value.BS.length);
    for (const b of value.BS) {
      writeVarint(b.length);
      writeBytes(b);
    }
  }
}

/** The stored form of a (validated) item whose size, as DynamoDB counts it, is `size`. */
export function encodeItem(item: Item, size: number): string {
  at = 0;
  writeVarint(size);
  for (const name in item) {
    if (!Object.prototype.hasOwnProperty.call(item, name)) continue;
    writeName(name);
    writeValue(item[name] as AttributeValue);
  }
  return latin1(out, at);
}

/**
 * Node's TextDecoder reads 'latin1' as ISO-8859-1 (every byte its own code point) and is the fastest way
 * to make a one-byte string; the WHATWG standard (browsers) reads it as windows-1252, which moves 0x80–0x9F.
 * Checked once: where it is not exact, String.fromCharCode builds the string instead.
 */
const latin1Decoder = /* @__PURE__ */ exactLatin1Decoder();

function exactLatin1Decoder(): TextDecoder | undefined {
  try {
    const decoder = new TextDecoder('latin1');
    const all = new Uint8Array(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    const text = decoder.decode(all);
    for (let i = 0; i < 256; i++) if (text.charCodeAt(i) !== i) return undefined;
    return decoder;
  } catch {
    return undefined;
  }
}

/** The Latin-1 string of the first `length` bytes of `bytes`. */
function latin1(bytes: Uint8Array, length: number): string {
  if (latin1Decoder !== undefined) return latin1Decoder.decode(bytes.subarray(0, length));
  const CHUNK = 8192;
  let text = '';
  for (let k = 0; k < length; k += CHUNK) {
    text += String.fromCharCode.apply(null, Array.from(bytes.subarray(k, Math.min(length, k + CHUNK))));
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------

// The read position in the string being decoded (decoding never nests either).
let pos = 0;

function readVarint(s: string): number {
  let c = s.charCodeAt(pos++);
  if (c < 0x80) return c;
  let value = c & 0x7f;
  let shift = 7;
  do {
    c = s.charCodeAt(pos++);
    value += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c >= 0x80);
  return value;
}

const utf8Decoder = new TextDecoder();

function readText(s: string): string {
  const header = readVarint(s);
  const length = header >>> 1;
  if ((header & 1) === 1) {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = s.charCodeAt(pos + i);
    pos += length;
    return utf8Decoder.decode(bytes);
  }
  const text = s.slice(pos, pos + length);
  pos += length;
  return text;
}

function readBytes(s: string): Uint8Array {
  const length = readVarint(s);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = s.charCodeAt(pos + i);
  pos += length;
  return bytes;
}

function readName(s: string): string {
  const c = s.charCodeAt(pos++);
  if (c < DIRECT_CODES) return names[c]!;
  if (c === WIDE_CODE) return names[readVarint(s) + DIRECT_CODES]!;
  return readText(s);
}

function readValue(s: string): AttributeValue {
  switch (s.charCodeAt(pos++)) {
    case 0x53:
      return freeze({ S: readText(s) });
    case 0x4e: {
      const length = readVarint(s);
      const n = s.slice(pos, pos + length);
      pos += length;
      return freeze({ N: n });
    }
    case 0x54:
      return BOOL_TRUE;
    case 0x46:
      return BOOL_FALSE;
    case 0x42:
      return freeze({ B: readBytes(s) });
    case 0x30:
      return NULL_TRUE;
    case 0x4d: {
      const count = readVarint(s);
      const m: Record<string, AttributeValue> = {};
      for (let i = 0; i < count; i++) setOwn(m, readName(s), readValue(s));
      return freeze({ M: freeze(m) });
    }
    case 0x4c: {
      const list = new Array<AttributeValue>(readVarint(s));
      for (let i = 0; i < list.length; i++) list[i] = readValue(s);
      return freeze({ L: freezeArray(list) });
    }
    case 0x61: {
      const set = new Array<string>(readVarint(s));
      for (let i = 0; i < set.length; i++) set[i] = readText(s);
      return freeze({ SS: freezeArray(set) });
    }
    case 0x6e: {
      const set = new Array<string>(readVarint(s));
      for (let i = 0; i < set.length; i++) {
        const length = readVarint(s);
        set[i] = s.slice(pos, pos + length);
        pos += length;
      }
      return freeze({ NS: freezeArray(set) });
    }
    case 0x62: {
      const set = new Array<Uint8Array>(readVarint(s));
      for (let i = 0; i < set.length; i++) set[i] = readBytes(s);
      return freeze({ BS: freezeArray(set) });
    }
    default:
      throw new Error(`stored item: unknown type tag at ${pos - 1}`);
  }
}

/** Freezes an array in place, keeping its mutable type (AttributeValue's arrays are not `readonly`). */
function freezeArray<T>(array: T[]): T[] {
  freeze(array);
  return array;
}

/** `record[name] = value`, also for `__proto__` (see model/set-member.ts; inlined: this is the read path). */
function setOwn(record: Record<string, AttributeValue>, name: string, value: AttributeValue): void {
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}

/** A fresh, deeply frozen item from its stored form. O(item). */
export function decodeItem(stored: string): Item {
  pos = 0;
  readVarint(stored);
  const item: Record<string, AttributeValue> = {};
  const end = stored.length;
  while (pos < end) setOwn(item, readName(stored), readValue(stored));
  return freeze(item);
}

/** The item's size as DynamoDB counts it, read from its stored form. O(1). */
export function storedItemSize(stored: string): number {
  pos = 0;
  return readVarint(stored);
}
