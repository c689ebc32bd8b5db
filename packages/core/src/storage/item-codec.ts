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
  outLatin1 = latin1Reader(out);
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
  const start = at;
  writeVarint(length * 2);
  reserve(length);
  // Latin-1 as it is, in one pass; the first wider character starts over in UTF-8.
  const bytes = out;
  let i = 0;
  for (let c: number; i < length && (c = text.charCodeAt(i)) <= 0xff; i++) bytes[at + i] = c;
  if (i === length) {
    at += length;
    return;
  }
  at = start;
  const utf8Bytes = utf8.encode(text);
  writeVarint(utf8Bytes.length * 2 + 1);
  writeBytes(utf8Bytes);
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
  return outLatin1(0, at);
}

/** The Latin-1 string (one character per byte) of bytes [start, end) of the array it was made for. */
type Latin1Reader = (start: number, end: number) => string;

/** Node's Buffer, where there is one. */
interface NodeBufferClass {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array & { toString(encoding: 'latin1', start: number, end: number): string };
}

/**
 * The fastest exact way here to make a one-byte string from bytes. Node's Buffer slices 'latin1' ~8x
 * faster than its TextDecoder (measured: ~60 vs ~540 ns for 85 bytes); Node's TextDecoder reads 'latin1'
 * as ISO-8859-1 (every byte its own code point), but the WHATWG standard (browsers) reads it as
 * windows-1252, which moves 0x80–0x9F. Each way is checked once on all 256 bytes; String.fromCharCode is
 * the last resort.
 */
const latin1Readers: ReadonlyArray<(bytes: Uint8Array) => Latin1Reader> = [
  (bytes) => {
    const view = (globalThis as { Buffer?: NodeBufferClass }).Buffer!.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return (start, end) => view.toString('latin1', start, end);
  },
  (bytes) => {
    const decoder = new TextDecoder('latin1');
    return (start, end) => decoder.decode(bytes.subarray(start, end));
  },
];

const latin1Reader: (bytes: Uint8Array) => Latin1Reader = /* @__PURE__ */ exactLatin1Reader();
// The encoding buffer's reader, made again whenever the buffer grows.
let outLatin1 = latin1Reader(out);

function exactLatin1Reader(): (bytes: Uint8Array) => Latin1Reader {
  const all = new Uint8Array(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  for (const make of latin1Readers) {
    try {
      const text = make(all)(0, 256);
      let exact = text.length === 256;
      for (let i = 0; exact && i < 256; i++) exact = text.charCodeAt(i) === i;
      if (exact) return make;
    } catch {
      // Not available here: try the next way.
    }
  }
  return (bytes) => (start, end) => {
    const CHUNK = 8192;
    let text = '';
    for (let k = start; k < end; k += CHUNK) text += String.fromCharCode.apply(null, Array.from(bytes.subarray(k, Math.min(end, k + CHUNK))));
    return text;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------------------

/*
 * Decoding is the read path's main cost, and within it Object.freeze (a runtime call per object) and
 * adding attributes to a fresh object by computed name. So:
 *   - values that repeat are shared, frozen objects (immutable, so sharing is safe): BOOL, NULL, and N
 *     values that are small non-negative integers; every other value is a new frozen object per read.
 *   - items of a shape met before (the same attribute names in the same order) are built by a function
 *     compiled for that shape: one object literal with the names written out, reading S, N and BOOL
 *     values inline. Where `new Function` is forbidden, or for shapes beyond the first few starting with
 *     the same name, the generic decoder builds the item; both give the same item.
 */

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

// The dictionary name codes are read from: this process's, but another's while reading a snapshot's items.
let readingNames: readonly string[] = names;

function readName(s: string): string {
  const c = s.charCodeAt(pos++);
  if (c < DIRECT_CODES) return readingNames[c]!;
  if (c === WIDE_CODE) return readingNames[readVarint(s) + DIRECT_CODES]!;
  return readText(s);
}

/**
 * Shared {N} values of the integers of up to SHARED_DIGITS digits (0 … 9,999), made on first read. Filled
 * up front: an empty array whose first value was stored far past its end (a first read of 9876) would
 * hold its elements in a dictionary, making every later lookup a hash probe (measured ~30 ns per item).
 */
const SHARED_DIGITS = 4;
const sharedNumbers: (AttributeValue | undefined)[] = new Array<AttributeValue | undefined>(10 ** SHARED_DIGITS).fill(undefined);

/** The N value of the `length` digits at `at` of `s`: shared when a small integer in its normal form. */
function numberValue(s: string, at: number, length: number): AttributeValue {
  if (length <= SHARED_DIGITS) {
    let n = 0;
    let i = 0;
    for (; i < length; i++) {
      const digit = s.charCodeAt(at + i) - 0x30;
      if (digit < 0 || digit > 9 || (digit === 0 && i === 0 && length > 1)) break;
      n = n * 10 + digit;
    }
    if (i === length && length > 0) return (sharedNumbers[n] ??= freeze({ N: s.slice(at, at + length) }));
  }
  return freeze({ N: s.slice(at, at + length) });
}

function readValue(s: string): AttributeValue {
  switch (s.charCodeAt(pos++)) {
    case 0x53:
      return freeze({ S: readText(s) });
    case 0x4e: {
      const length = readVarint(s);
      const value = numberValue(s, pos, length);
      pos += length;
      return value;
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

/** The generic decoder: the item whose attributes start at `start` of `stored`. */
function decodeGeneric(stored: string, start: number): Item {
  pos = start;
  const item: Record<string, AttributeValue> = {};
  const end = stored.length;
  while (pos < end) setOwn(item, readName(stored), readValue(stored));
  return freeze(item);
}

/**
 * Only the named top-level attributes of a stored item (those it has), frozen as decodeItem's are; the
 * others are skipped without being built. For reads that need a few attributes of each item: its key.
 */
export function decodeAttributes(stored: string, wanted: readonly string[]): Item {
  return decodeWanted(stored, wanted, undefined, 0, -1, undefined);
}

/**
 * A decoder of only the attributes `wanted` (as decodeAttributes) for the items of one read: it tells a
 * wanted attribute by its name code, not by comparing names (measured on 3 of 5 attributes: ~60 % of
 * decodeAttributes' time), and given `shared` (a name and text all its items hold, as sharingDecoder's)
 * puts one frozen S of it in every item.
 */
export function attributesReader(wanted: readonly string[], shared?: { readonly name: string; readonly text: string }): (stored: string) => Item {
  const { known, codeWanted, set } = wantedCodes(wanted);
  const sharedCode = shared === undefined ? -1 : (codes.get(shared.name) ?? -1);
  const sharedValue = shared === undefined ? undefined : freeze({ S: shared.text });
  return (stored) =>
    (set === undefined ? undefined : decodeShaped(set, stored, sharedCode, sharedValue, undefined)) ??
    decodeWanted(stored, wanted, codeWanted, known, sharedCode, sharedValue);
}

/** What attributesReader derives from a list of wanted names, for the dictionary's first `known` codes. */
interface WantedCodes {
  readonly known: number;
  readonly codeWanted: Uint8Array;
  readonly set: ShapeSet | undefined;
}

/**
 * Reads reuse one frozen list of wanted names per projection (read-attributes.ts), so what a frozen list's
 * names mean is worked out once (a Uint8Array, a join and a Map lookup: ~200 ns a read) and kept while the
 * dictionary's direct codes stay as many — a name given a code later has a code past `known`, told by name.
 * A list that is not frozen may be a read's own (a filter's names): worked out afresh, never kept.
 */
const wantedCodesOf = new WeakMap<readonly string[], WantedCodes>();

function wantedCodes(wanted: readonly string[]): WantedCodes {
  // Codes given later (none are during one read: reads encode nothing) are told by name.
  const known = Math.min(names.length, DIRECT_CODES);
  const kept = Object.isFrozen(wanted);
  const cached = kept ? wantedCodesOf.get(wanted) : undefined;
  if (cached !== undefined && cached.known === known) return cached;
  const codeWanted = new Uint8Array(known);
  for (const name of wanted) {
    const code = codes.get(name);
    if (code !== undefined && code < known) codeWanted[code] = 1;
  }
  const computed = { known, codeWanted, set: partialSet(wanted) };
  if (kept) wantedCodesOf.set(wanted, computed);
  return computed;
}

/**
 * The compiled decoders of reads wanting these attributes, made on first use: undefined when a name has
 * no code yet (it could get one later, which the set's codes would miss) or too many sets were met.
 */
function partialSet(wanted: readonly string[]): ShapeSet | undefined {
  const key = wanted.join('\u0000');
  let set = partialSets.get(key);
  if (set !== undefined || partialSets.size >= MAX_PARTIAL_SETS) return set;
  const codeWanted = new Uint8Array(DIRECT_CODES);
  for (const name of wanted) {
    const code = codes.get(name);
    if (code === undefined) return undefined;
    if (code < DIRECT_CODES) codeWanted[code] = 1;
  }
  set = { buckets: [], wanted: codeWanted };
  partialSets.set(key, set);
  return set;
}

/** decodeAttributes; names of a code below `known` are wanted by `codeWanted` (this process's dictionary). */
function decodeWanted(
  stored: string,
  wanted: readonly string[],
  codeWanted: Uint8Array | undefined,
  known: number,
  sharedCode: number,
  sharedValue: AttributeValue | undefined,
): Item {
  storedItemSize(stored);
  const item: Record<string, AttributeValue> = {};
  const end = stored.length;
  while (pos < end) {
    const code = stored.charCodeAt(pos);
    if (code < known) {
      pos++;
      if (codeWanted![code] === 0) {
        skipValue(stored);
      } else if (code === sharedCode && stored.charCodeAt(pos) === 0x53) {
        pos++;
        skipText(stored);
        setOwn(item, names[code]!, sharedValue!);
      } else {
        setOwn(item, names[code]!, readValue(stored));
      }
      continue;
    }
    const name = readName(stored);
    if (wanted.includes(name)) setOwn(item, name, readValue(stored));
    else skipValue(stored);
  }
  return freeze(item);
}

function skipText(s: string): void {
  const length = readVarint(s) >>> 1;
  pos += length;
}

function skipCounted(s: string): void {
  const length = readVarint(s);
  pos += length;
}

function skipValue(s: string): void {
  switch (s.charCodeAt(pos++)) {
    case 0x53:
      return skipText(s);
    case 0x4e:
    case 0x42:
      return skipCounted(s);
    case 0x54:
    case 0x46:
    case 0x30:
      return;
    case 0x4d:
      for (let count = readVarint(s); count > 0; count--) {
        readName(s);
        skipValue(s);
      }
      return;
    case 0x4c:
      for (let count = readVarint(s); count > 0; count--) skipValue(s);
      return;
    case 0x61:
      for (let count = readVarint(s); count > 0; count--) skipText(s);
      return;
    case 0x6e:
    case 0x62:
      for (let count = readVarint(s); count > 0; count--) skipCounted(s);
      return;
    default:
      throw new Error(`stored item: unknown type tag at ${pos - 1}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Decoders compiled per item shape
// ---------------------------------------------------------------------------------------------------------

/**
 * A compiled decoder: the item whose attributes start at `start`, or undefined if it has another shape.
 * An attribute of name code `sharedCode` stored as a short Latin-1 S is `sharedValue` (see sharingDecoder),
 * if its text is `comparedText` when that is given (see collectionsDecoder).
 */
type ShapeDecoder = (
  stored: string,
  start: number,
  sharedCode: number,
  sharedValue: AttributeValue | undefined,
  comparedText: string | undefined,
) => Item | undefined;

/** The compiled decoders of the shapes whose first attribute has one name code, and how they fare. */
interface ShapeBucket {
  readonly decoders: ShapeDecoder[];
  compiles: number;
  hits: number;
  misses: number;
}

/** Shapes compiled per first attribute name at most: items of one table rarely have more (optional attributes). */
const MAX_SHAPES = 8;
/** Once a bucket is full: how many misses make a window in which hits and misses are compared. */
const MISS_WINDOW = 256;
/** Items with more top-level attributes than this are left to the generic decoder. */
const MAX_COMPILED_ATTRIBUTES = 64;

/** The compiled decoders of one kind of read: of whole items, or of one set of wanted attributes. */
interface ShapeSet {
  /** By the name code of the shape's first attribute. */
  readonly buckets: (ShapeBucket | undefined)[];
  /** Whether an attribute (by name code) is read (1) or skipped; undefined: every attribute is read. */
  readonly wanted: Uint8Array | undefined;
}

const wholeItems: ShapeSet = { buckets: [], wanted: undefined };
/** The sets of wanted attributes reads met (by their names, joined), each with its compiled decoders. */
const partialSets = new Map<string, ShapeSet>();
/** Sets of wanted attributes compiled at most (a projection's, a filter's, a key's: few per application). */
const MAX_PARTIAL_SETS = 64;
let compiler: ((names: readonly string[], codes: readonly number[], wanted: Uint8Array | undefined) => ShapeDecoder | undefined) | undefined =
  compileShape;

/** A fresh, deeply frozen item from its stored form. O(item). */
export function decodeItem(stored: string): Item {
  return decodeSharing(stored, -1, undefined);
}

/**
 * A decoder of whole items (as decodeItem) that all hold the string `text` in their attribute `name` (the
 * items of one item collection all hold its partition key): the items it decodes share one frozen
 * { S: text } instead of a fresh one each (a frozen object less per item: freezing is most of a decode).
 * Only short Latin-1 values read by compiled shape decoders are shared, and only under a name the
 * dictionary held when the decoder was made; any other value is decoded afresh, equal all the same.
 */
export function sharingDecoder(name: string, text: string): (stored: string) => Item {
  const code = codes.get(name) ?? -1;
  const value = freeze({ S: text });
  return (stored) => decodeSharing(stored, code, value);
}

/**
 * A decoder of whole items (as decodeItem) read in storage order (a Scan), where items of one item
 * collection come one after another: an item whose attribute `name` holds the same short S as the last
 * item it decoded gets that item's frozen value (compared, not assumed: the next collection's differs).
 */
export function collectionsDecoder(name: string): (stored: string) => Item {
  const code = codes.get(name) ?? -1;
  let last: AttributeValue | undefined;
  return (stored) => {
    const item = last === undefined ? decodeItem(stored) : decodeSharing(stored, code, last, (last as { S: string }).S);
    const value = item[name];
    last = value !== undefined && 'S' in value ? value : undefined;
    return item;
  };
}

/**
 * decodeItem, sharing `sharedValue` as the value of the attribute of name code `sharedCode` (-1: none),
 * when its text is `comparedText` if given.
 */
function decodeSharing(stored: string, sharedCode: number, sharedValue: AttributeValue | undefined, comparedText?: string): Item {
  const item = decodeShaped(wholeItems, stored, sharedCode, sharedValue, comparedText);
  if (item !== undefined) return item;
  storedItemSize(stored);
  return decodeGeneric(stored, pos);
}

/**
 * The item `stored` holds (its attributes `set` wants) through a decoder compiled for its shape, if one
 * applies or can be compiled; undefined leaves it to the generic decoders.
 */
function decodeShaped(
  set: ShapeSet,
  stored: string,
  sharedCode: number,
  sharedValue: AttributeValue | undefined,
  comparedText: string | undefined,
): Item | undefined {
  // Skip the size varint.
  let start = 0;
  while (stored.charCodeAt(start++) >= 0x80);
  const first = stored.charCodeAt(start);
  if (first >= DIRECT_CODES || compiler === undefined) return undefined;
  const bucket = (set.buckets[first] ??= { decoders: [], compiles: 0, hits: 0, misses: 0 });
  const decoders = bucket.decoders;
  for (let i = 0; i < decoders.length; i++) {
    const decoder = decoders[i]!;
    const item = decoder(stored, start, sharedCode, sharedValue, comparedText);
    if (item !== undefined) {
      bucket.hits++;
      // The shape met last is tried first: consecutive reads (a Query page) mostly meet one shape.
      if (i > 0) {
        decoders[i] = decoders[0]!;
        decoders[0] = decoder;
      }
      return item;
    }
  }
  if (bucket.compiles < MAX_SHAPES) {
    bucket.compiles++;
    const decoder = compileFor(stored, start, set.wanted);
    if (decoder !== undefined) {
      decoders.push(decoder);
      const item = decoder(stored, start, sharedCode, sharedValue, comparedText);
      if (item !== undefined) return item;
    }
  } else if (++bucket.misses >= MISS_WINDOW) {
    // Too many shapes start with this name for the compiled ones to pay: the generic decoder only.
    if (bucket.misses > bucket.hits) decoders.length = 0;
    bucket.hits = 0;
    bucket.misses = 0;
  }
  return undefined;
}

/** The compiled decoder of the shape of the item at `start` of `stored`, if it can be compiled. */
function compileFor(stored: string, start: number, wanted: Uint8Array | undefined): ShapeDecoder | undefined {
  const shapeNames: string[] = [];
  const shapeCodes: number[] = [];
  pos = start;
  while (pos < stored.length) {
    const code = stored.charCodeAt(pos);
    if (code >= DIRECT_CODES || shapeNames.length === MAX_COMPILED_ATTRIBUTES) return undefined;
    shapeCodes.push(code);
    shapeNames.push(readName(stored));
    readValue(stored);
  }
  // `__proto__` in an object literal sets the prototype: leave such items to the generic decoder.
  if (shapeNames.includes('__proto__')) return undefined;
  return compiler?.(shapeNames, shapeCodes, wanted);
}

/**
 * The decoder of items with exactly these attribute names (by code) in this order: it checks each name
 * code as it reads, reads short S (Latin-1), N and BOOL values inline and any other value through
 * readValue, and builds the item as one object literal; the attributes `wanted` does not mark (when
 * given) are skipped, not built. A short S of the shared name code `k` is the shared value `v` (when its
 * text is `w`, if given), its characters skipped. Undefined where `new Function` is forbidden (a
 * Content-Security-Policy without 'unsafe-eval'); then no shape is compiled again.
 */
function compileShape(shapeNames: readonly string[], shapeCodes: readonly number[], wanted: Uint8Array | undefined): ShapeDecoder | undefined {
  const reads: string[] = [];
  const fields: string[] = [];
  const locals: string[] = [];
  for (let i = 0; i < shapeCodes.length; i++) {
    if (wanted !== undefined && wanted[shapeCodes[i]!] !== 1) {
      reads.push(`
      if (s.charCodeAt(p) !== ${shapeCodes[i]}) return undefined;
      t = s.charCodeAt(p + 1); l = s.charCodeAt(p + 2); p += 3;
      if (t === 0x53 && l < 0x80 && (l & 1) === 0) p += l >>> 1;
      else if (t === 0x4e && l < 0x80) p += l;
      else if (t === 0x54 || t === 0x46 || t === 0x30) p--;
      else { setPos(p - 2); skipValue(s); p = getPos(); }`);
      continue;
    }
    locals.push(`a${i}`);
    reads.push(`
      if (s.charCodeAt(p) !== ${shapeCodes[i]}) return undefined;
      t = s.charCodeAt(p + 1); l = s.charCodeAt(p + 2); p += 3;
      if (t === 0x53 && l < 0x80 && (l & 1) === 0) { l >>>= 1; a${i} = k === ${shapeCodes[i]} && (w === undefined || (l === w.length && s.startsWith(w, p))) ? v : freeze({ S: s.slice(p, p + l) }); p += l; }
      else if (t === 0x4e && l < 0x80) { a${i} = numberValue(s, p, l); p += l; }
      else if (t === 0x54) { a${i} = BOOL_TRUE; p--; }
      else if (t === 0x46) { a${i} = BOOL_FALSE; p--; }
      else { setPos(p - 2); a${i} = readValue(s); p = getPos(); }`);
    fields.push(`${JSON.stringify(shapeNames[i])}: a${i}`);
  }
  const body = `
    return function decodeShape(s, p, k, v, w) {
      let ${['t', 'l', ...locals].join(', ')};
      ${reads.join('')}
      if (p !== s.length) return undefined;
      return freeze({ ${fields.join(', ')} });
    };`;
  try {
    const make = new Function('freeze', 'numberValue', 'readValue', 'skipValue', 'setPos', 'getPos', 'BOOL_TRUE', 'BOOL_FALSE', body);
    return make(freeze, numberValue, readValue, skipValue, setPos, getPos, BOOL_TRUE, BOOL_FALSE) as ShapeDecoder;
  } catch {
    compiler = undefined;
    return undefined;
  }
}

function setPos(at: number): void {
  pos = at;
}

function getPos(): number {
  return pos;
}

/** The item's size as DynamoDB counts it, read from its stored form. O(1). */
export function storedItemSize(stored: string): number {
  pos = 0;
  return readVarint(stored);
}

// ---------------------------------------------------------------------------------------------------------
// Stored items in snapshots
// ---------------------------------------------------------------------------------------------------------

/*
 * A durable snapshot holds items in their stored form (no decoding and encoding again), with the name
 * dictionary they were encoded with: the process reading it back may have met names in another order.
 */

/** The name dictionary as it is now (its codes never change; it only grows). O(names). */
export function nameDictionary(): readonly string[] {
  return names.slice();
}

/**
 * A function turning an item stored with `dictionary` (another process's nameDictionary) into this
 * process's stored form. Registers the dictionary's names in order first, so in a process that has met
 * no other names (a recovering store) every code means the same and stored items are used as they are;
 * otherwise each item is decoded with `dictionary` and encoded again.
 */
export function storedItemReader(dictionary: readonly string[]): (stored: string) => string {
  let same = true;
  for (let code = 0; code < dictionary.length; code++) if (nameCode(dictionary[code]!) !== code) same = false;
  if (same) return (stored) => stored;
  return (stored) => {
    const size = storedItemSize(stored);
    const start = pos; // after the size
    readingNames = dictionary;
    let item: Item;
    try {
      item = decodeGeneric(stored, start);
    } finally {
      readingNames = names;
    }
    return encodeItem(item, size);
  };
}

/** Stored items side by side in one byte array (each is one byte per character), for a snapshot chunk. */
export function packStoredItems(items: readonly string[]): Uint8Array {
  let length = 0;
  for (const item of items) length += item.length;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const item of items) {
    for (let i = 0; i < item.length; i++) bytes[at++] = item.charCodeAt(i);
  }
  return bytes;
}

/** The stored items `packStoredItems` packed, given their lengths; throws if they do not add up. */
export function unpackStoredItems(bytes: Uint8Array, lengths: readonly number[]): string[] {
  const items = new Array<string>(lengths.length);
  const latin1 = latin1Reader(bytes);
  let at = 0;
  for (let n = 0; n < lengths.length; n++) {
    const end = at + lengths[n]!;
    if (!(end >= at && end <= bytes.length)) throw new Error('stored items: lengths out of the bytes');
    items[n] = latin1(at, end);
    at = end;
  }
  if (at !== bytes.length) throw new Error('stored items: bytes left over');
  return items;
}
