import { SerializationException } from '../errors.js';
import { START_OF_STRUCTURE } from '../operations/validation/shapes.js';
import { MAX_INPUT_DEPTH } from '../wire-input.js';

/**
 * DynamoDB's JSON 1.0 wire encoding of the SDK's shapes: binary values travel as base64 strings and
 * dates as epoch seconds; everything else is plain JSON.
 */

/**
 * The deepest JSON nesting a request body may have. A valid request nests far less (an AttributeValue
 * at most 32 levels, two JSON levels each, inside a few levels of request); DynamoDB's answer to a
 * deeper document is not recorded, so Magneto refuses it as a body its deserializer cannot read
 * (1,000 is the Java JSON parsers' usual limit). Bounding the depth before parsing keeps a 16 MB
 * `[[[[…` from costing seconds in the parser, and every later walk of the request within this many levels.
 */
export const MAX_REQUEST_DEPTH = MAX_INPUT_DEPTH;

/**
 * Parses a request body, turning base64 `B`/`BS` AttributeValues into bytes. A body that is not JSON, or
 * nested deeper than {@link MAX_REQUEST_DEPTH}, is a SerializationException without a message, as
 * DynamoDB answers a body it cannot read.
 */
export function decodeRequestBody(body: string): Record<string, unknown> {
  // Fewer characters than the limit cannot nest deeper than it: small requests skip the scan.
  if (body.length > MAX_REQUEST_DEPTH && nestsDeeperThan(body, MAX_REQUEST_DEPTH)) throw new SerializationException('');
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    // DynamoDB answers a body that is not JSON with a message-less SerializationException.
    throw new SerializationException('');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SerializationException(START_OF_STRUCTURE);
  }
  // Only walk the request when it can hold binary values at all.
  if (body.includes('"B')) decodeBinary(parsed);
  return parsed as Record<string, unknown>;
}

/**
 * Whether the JSON text opens more than `max` arrays or objects inside one another (brackets inside
 * strings do not count). Malformed text is left to JSON.parse. O(n), skipping strings with indexOf.
 */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The index of the quote closing the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let i = text.indexOf('"', open + 1);
  while (i > 0) {
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return i;
    i = text.indexOf('"', i + 1);
  }
  return -1;
}

/** Serializes a response or error body: bytes to base64, dates to epoch seconds. */
export function encodeResponseBody(value: unknown): string {
  // A replacer costs a call from native code per key (GetItem's answer ~2x slower); a JS walk that
  // finds no bytes and no dates is cheaper, and most data-plane answers have neither.
  if (!holdsBytesOrDates(value)) return JSON.stringify(value);
  return JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, encoded: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    if (encoded instanceof Uint8Array) return encodeBase64(encoded);
    return encoded;
  });
}

function holdsBytesOrDates(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (node instanceof Uint8Array || node instanceof Date) return true;
  if (Array.isArray(node)) {
    for (const element of node) if (holdsBytesOrDates(element)) return true;
    return false;
  }
  const record = node as Record<string, unknown>;
  for (const name in record) if (holdsBytesOrDates(record[name])) return true;
  return false;
}

// An AttributeValue is the only request shape with a member named B or BS, and it has exactly one member.
// Iterative: the request's depth is the client's to choose.
function decodeBinary(root: object): void {
  const pending: object[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (Array.isArray(node)) {
      for (const element of node) if (element !== null && typeof element === 'object') pending.push(element as object);
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const name in record) {
      const value = record[name];
      if (name === 'B' && typeof value === 'string') record.B = decodeBase64(value);
      else if (name === 'BS' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        record.BS = value.map((v: string) => decodeBase64(v));
      } else if (value !== null && typeof value === 'object') pending.push(value);
    }
  }
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Each character's 6-bit value, or -1. */
const BASE64_VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) values[BASE64_ALPHABET.charCodeAt(i)] = i;
  return values;
})();

/**
 * Decodes strict, padded standard base64, as DynamoDB does: a length that is not a multiple of 4, or any
 * character, padding or leftover bit that canonical base64 would not hold, is a SerializationException
 * with DynamoDB's message (recorded in dynalite's test helpers: `'23456'`, `'=+/='`, `'+/+='`; the typo
 * "dectected" is DynamoDB's). atob would accept `QQ`, `Q Q==` or `QR==`.
 */
export function decodeBase64(text: string): Uint8Array {
  const n = text.length;
  if (n % 4 !== 0) throw new SerializationException(`Base64 encoded length is expected a multiple of 4 bytes but found: ${n}`);
  const padding = n === 0 ? 0 : text.charCodeAt(n - 1) !== 0x3d ? 0 : text.charCodeAt(n - 2) !== 0x3d ? 1 : 2;
  const bytes = new Uint8Array((n / 4) * 3 - padding);
  let out = 0;
  for (let i = 0; i < n; i += 4) {
    const last = i + 4 === n;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = last && padding === 2 ? 0 : sextet(text, i + 2);
    const d = last && padding >= 1 ? 0 : sextet(text, i + 3);
    // A padded quantum's unused low bits must be zero, or another string would decode to the same bytes.
    if ((a | b | c | d) < 0 || (last && padding === 2 && (b & 0x0f) !== 0) || (last && padding === 1 && (c & 0x03) !== 0)) {
      throw new SerializationException(INVALID_BASE64);
    }
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[out++] = bits >> 16;
    if (out < bytes.length) bytes[out++] = (bits >> 8) & 0xff;
    if (out < bytes.length) bytes[out++] = bits & 0xff;
  }
  return bytes;
}

const INVALID_BASE64 = 'Invalid last non-pad Base64 character dectected';

function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? BASE64_VALUES[code]! : -1;
}

/** Encodes bytes as standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
