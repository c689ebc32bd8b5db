import { INVALID, SerializationException, ValidationException } from '../errors.js';
import type { AttributeValue, Item } from './attribute-value.js';
import { utf8Length } from './item-size.js';
import { normalizeNumber, numberSize } from './number.js';
import { setMember } from './set-member.js';

/** DynamoDB's item size limit: an item of exactly 409,600 bytes is accepted, one byte more is not. */
export const MAX_ITEM_SIZE = 409600;
/**
 * How many levels of L/M may nest inside one another: 31, so that, counting the attribute itself as level
 * 1, a scalar sits at level 32 at the deepest (real DynamoDB accepts 31 map wraps and refuses 32 with
 * MSG_NESTING; paritysuite/dynamodb-conformance tests/tier3/limits/nestingDepth, eu-west-2 and us-east-1).
 */
export const MAX_NESTING_DEPTH = 31;

const MSG_EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const MSG_MANY = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
const MSG_NULL = INVALID + 'Null attribute value types must have the value of true';
const MSG_EMPTY_SS = INVALID + 'An string set  may not be empty';
const MSG_EMPTY_NS = INVALID + 'An number set  may not be empty';
const MSG_EMPTY_BS = INVALID + 'Binary sets should not be empty';
const MSG_DUPLICATE_NS = 'Input collection contains duplicates';
/** DynamoDB's answer to AttributeValues nested deeper than MAX_NESTING_DEPTH. */
export const MSG_NESTING = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
const MSG_ITEM_SIZE = 'Item size has exceeded the maximum allowed size';

/**
 * The longest attribute name, in UTF-8 bytes. DynamoDB's documentation says "64 KB", but 65,536 bytes is
 * refused and 65,535 accepted (ScyllaDB's test/alternator/test_limits.py, run against DynamoDB:
 * test_limit_attribute_length_nonkey_good/bad).
 */
export const MAX_ATTRIBUTE_NAME_BYTES = 65535;
/*
 * The messages for an empty and an over-long attribute name (in an item, a map key, a Key, an
 * ExpressionAttributeNames value) are DynamoDB Local's (ErrorFactory EMPTY_ATTRIBUTE_NAME and
 * ATTRIBUTE_NAME_TOO_LARGE, thrown by LocalDBInputConverter.newAttributeName, which InputConverter calls
 * for every item and map member after converting its value). No recording of DynamoDB itself with the
 * exact text was found (searched: moto, LocalStack, dynalite, ScyllaDB's alternator tests, aws-sdk
 * issues); the ExpressionAttributeNames form "… contains invalid value: Empty attribute name for key #a",
 * recorded from DynamoDB, carries the same text.
 */
/** DynamoDB's answer to an attribute name of zero length. */
export const MSG_EMPTY_ATTRIBUTE_NAME = 'Empty attribute name';
/** DynamoDB's answer to an attribute name over MAX_ATTRIBUTE_NAME_BYTES. */
export const MSG_ATTRIBUTE_NAME_TOO_LARGE = 'Attribute name is too large, must be less than 65536 bytes';
/** A name of at most this many UTF-16 units has at most 3 UTF-8 bytes per unit, so it cannot be too large. */
const MAX_NAME_UNITS_UNCOUNTED = Math.floor(MAX_ATTRIBUTE_NAME_BYTES / 3);

/** Whether an attribute name is over MAX_ATTRIBUTE_NAME_BYTES; counts its bytes only when it could be. */
export function isAttributeNameTooLarge(name: string): boolean {
  return name.length > MAX_NAME_UNITS_UNCOUNTED && utf8Length(name) > MAX_ATTRIBUTE_NAME_BYTES;
}

/** Throws DynamoDB's ValidationException for an empty or over-long attribute name (AttributeUpdates' names). */
export function validateAttributeName(name: string): void {
  if (name.length === 0) throw new ValidationException(MSG_EMPTY_ATTRIBUTE_NAME);
  if (isAttributeNameTooLarge(name)) throw new ValidationException(MSG_ATTRIBUTE_NAME_TOO_LARGE);
}

/** The UTF-8 size of an item's or a map's attribute name (which the item size counts), refusing empty and over-long names. */
function attributeNameSize(name: string): number {
  if (name.length === 0) throw new ValidationException(MSG_EMPTY_ATTRIBUTE_NAME);
  const size = utf8Length(name);
  if (size > MAX_ATTRIBUTE_NAME_BYTES) throw new ValidationException(MSG_ATTRIBUTE_NAME_TOO_LARGE);
  return size;
}

const hasOwn = Object.prototype.hasOwnProperty;
const freeze = Object.freeze;

/** Whether `key` names one of the ten data types; other members are ignored, as DynamoDB's JSON reader does. */
function isDataType(key: string): boolean {
  switch (key) {
    case 'S':
    case 'N':
    case 'B':
    case 'BOOL':
    case 'NULL':
    case 'M':
    case 'L':
    case 'SS':
    case 'NS':
    case 'BS':
      return true;
    default:
      return false;
  }
}

/**
 * Validation state of one pass: the size accumulated so far (names + values, DynamoDB's rules, see
 * item-size.ts) so that validating and measuring an item is a single walk.
 */
interface Pass {
  size: number;
}

/**
 * Validates an item of a request (PutItem's `Item`) and returns a normalized, deeply frozen copy
 * (numbers normalized, sets kept in request order, binary values copied). Throws ValidationException with
 * DynamoDB's message: the first invalid value or attribute name (empty, over 65,535 UTF-8 bytes) in
 * document order, a value before its name, then the 400 KB item size limit.
 * `measured.size` receives the item's size, measured on the way.
 */
export function validateItem(item: Record<string, unknown>, measured?: { size: number }): Item {
  const pass: Pass = { size: 0 };
  const out: Record<string, AttributeValue> = {};
  for (const name in item) {
    if (!hasOwn.call(item, name)) continue;
    const raw = item[name];
    if (raw === undefined) continue;
    const value = validateValue(raw, 0, pass);
    // The name after its value, as DynamoDB Local's InputConverter checks them.
    pass.size += attributeNameSize(name);
    setMember(out, name, value);
  }
  if (pass.size > MAX_ITEM_SIZE) throw new ValidationException(MSG_ITEM_SIZE);
  if (measured !== undefined) measured.size = pass.size;
  return freeze(out);
}

/** The pass of validateAttributeValue, whose size nobody reads: one for every call, so a call allocates none. */
const UNMEASURED: Pass = { size: 0 };

/** Validates one AttributeValue (any type) and returns a normalized, deeply frozen copy. */
export function validateAttributeValue(value: unknown): AttributeValue {
  UNMEASURED.size = 0;
  return validateValue(value, 0, UNMEASURED);
}

function validateValue(raw: unknown, depth: number, pass: Pass): AttributeValue {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationException(MSG_EMPTY);
  const value = raw as Record<string, unknown>;
  let type: string | undefined;
  let member: unknown;
  let count = 0;
  for (const key in value) {
    const v = value[key];
    if (v === undefined || v === null || !isDataType(key)) continue;
    if (count++ === 0) {
      type = key;
      member = v;
    }
  }
  if (type === undefined) throw new ValidationException(MSG_EMPTY);
  if (count > 1) {
    // DynamoDB checks each member's own value before it complains about there being several.
    for (const key in value) {
      const v = value[key];
      if (v === undefined || v === null || !isDataType(key)) continue;
      validateTyped(key, v, depth, { size: 0 });
    }
    throw new ValidationException(MSG_MANY);
  }
  return validateTyped(type, member, depth, pass);
}

function validateTyped(type: string, v: unknown, depth: number, pass: Pass): AttributeValue {
  switch (type) {
    case 'S': {
      if (typeof v !== 'string') throw wrongType(type);
      pass.size += utf8Length(v);
      return freeze({ S: v });
    }
    case 'N': {
      if (typeof v !== 'string') throw wrongType(type);
      const n = normalizeNumber(v);
      pass.size += numberSize(n);
      return freeze({ N: n });
    }
    case 'B': {
      if (!(v instanceof Uint8Array)) throw wrongType(type);
      pass.size += v.length;
      return freeze({ B: v.slice() });
    }
    case 'BOOL': {
      if (typeof v !== 'boolean') throw wrongType(type);
      pass.size += 1;
      return v ? BOOL_TRUE : BOOL_FALSE;
    }
    case 'NULL': {
      if (typeof v !== 'boolean') throw wrongType(type);
      if (!v) throw new ValidationException(MSG_NULL);
      pass.size += 1;
      return NULL_TRUE;
    }
    case 'M': {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) throw wrongType(type);
      if (depth >= MAX_NESTING_DEPTH) throw new ValidationException(MSG_NESTING);
      const m = v as Record<string, unknown>;
      const out: Record<string, AttributeValue> = {};
      pass.size += 3;
      for (const name in m) {
        if (!hasOwn.call(m, name)) continue;
        const raw = m[name];
        if (raw === undefined) continue;
        const element = validateValue(raw, depth + 1, pass);
        pass.size += 1 + attributeNameSize(name);
        setMember(out, name, element);
      }
      return freeze({ M: freeze(out) });
    }
    case 'L': {
      if (!Array.isArray(v)) throw wrongType(type);
      if (depth >= MAX_NESTING_DEPTH) throw new ValidationException(MSG_NESTING);
      const out = new Array<AttributeValue>(v.length);
      pass.size += 3 + v.length;
      for (let i = 0; i < v.length; i++) out[i] = validateValue(v[i], depth + 1, pass);
      return freeze({ L: frozen(out) });
    }
    case 'SS':
      return validateStringSet(v, pass);
    case 'NS':
      return validateNumberSet(v, pass);
    default:
      return validateBinarySet(v, pass);
  }
}

/** Freezes an array in place, keeping its mutable type (AttributeValue's arrays are not `readonly`). */
function frozen<T>(array: T[]): T[] {
  freeze(array);
  return array;
}

const BOOL_TRUE: AttributeValue = freeze({ BOOL: true });
const BOOL_FALSE: AttributeValue = freeze({ BOOL: false });
const NULL_TRUE: AttributeValue = freeze({ NULL: true as const });

function wrongType(type: string): SerializationException {
  return new SerializationException(`Unexpected value type for AttributeValue member ${type}`);
}

function validateStringSet(v: unknown, pass: Pass): AttributeValue {
  if (!Array.isArray(v)) throw wrongType('SS');
  if (v.length === 0) throw new ValidationException(MSG_EMPTY_SS);
  const out = new Array<string>(v.length);
  let size = 0;
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s !== 'string') throw wrongType('SS');
    out[i] = s;
    size += utf8Length(s);
  }
  if (out.length > 1 && new Set(out).size !== out.length) {
    throw new ValidationException(`${INVALID}Input collection [${out.join(', ')}] contains duplicates.`);
  }
  pass.size += size;
  return freeze({ SS: frozen(out) });
}

function validateNumberSet(v: unknown, pass: Pass): AttributeValue {
  if (!Array.isArray(v)) throw wrongType('NS');
  if (v.length === 0) throw new ValidationException(MSG_EMPTY_NS);
  const out = new Array<string>(v.length);
  let size = 0;
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s !== 'string') throw wrongType('NS');
    const n = normalizeNumber(s);
    out[i] = n;
    size += numberSize(n);
  }
  // Normalized texts are equal exactly when the values are.
  if (out.length > 1 && new Set(out).size !== out.length) throw new ValidationException(MSG_DUPLICATE_NS);
  pass.size += size;
  return freeze({ NS: frozen(out) });
}

function validateBinarySet(v: unknown, pass: Pass): AttributeValue {
  if (!Array.isArray(v)) throw wrongType('BS');
  if (v.length === 0) throw new ValidationException(MSG_EMPTY_BS);
  const out = new Array<Uint8Array>(v.length);
  let size = 0;
  for (let i = 0; i < v.length; i++) {
    const b: unknown = v[i];
    if (!(b instanceof Uint8Array)) throw wrongType('BS');
    out[i] = b.slice();
    size += b.length;
  }
  if (out.length > 1) {
    const seen = new Set<string>();
    for (const b of out) seen.add(latin1(b));
    if (seen.size !== out.length) {
      throw new ValidationException(`${INVALID}Input collection [${out.map(base64).join(', ')}]of type BS contains duplicates.`);
    }
  }
  pass.size += size;
  return freeze({ BS: frozen(out) });
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (how DynamoDB echoes binary values in messages). */
function base64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + BASE64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + '=';
  }
  return out;
}
