import { SerializationException } from '../errors.js';

/**
 * DynamoDB's JSON 1.0 wire encoding of the SDK's shapes: binary values travel as base64 strings and
 * dates as epoch seconds; everything else is plain JSON.
 */

/** Parses a request body, turning base64 `B`/`BS` AttributeValues into bytes. */
export function decodeRequestBody(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    throw new SerializationException('Start of structure or map found where not expected');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SerializationException('Start of structure or map found where not expected');
  }
  // Only walk the request when it can hold binary values at all.
  if (body.includes('"B')) decodeBinary(parsed);
  return parsed as Record<string, unknown>;
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
function decodeBinary(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const element of node) decodeBinary(element);
    return;
  }
  const record = node as Record<string, unknown>;
  for (const name in record) {
    const value = record[name];
    if (name === 'B' && typeof value === 'string') record.B = decodeBase64(value);
    else if (name === 'BS' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      record.BS = value.map((v: string) => decodeBase64(v));
    } else decodeBinary(value);
  }
}

/** Decodes standard base64 (atob exists in browsers and Node). */
export function decodeBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new SerializationException(`Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Encodes bytes as standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
