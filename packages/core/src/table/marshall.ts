/*
 * Native JS values ⇄ DynamoDB AttributeValues.
 *
 * Writing is by the value's run-time type (one `typeof` switch, no schema lookups on the hot path):
 * string S, number/bigint/Decimal N, Uint8Array B, boolean BOOL, null NULL, array L, plain object M,
 * Set SS/NS/BS by its elements. `undefined` members and empty Sets are left out (DynamoDB has no empty
 * sets). Reading follows the attribute's schema where there is one (numbers, sets); elsewhere a Number
 * reads as `numeric()` does.
 */
import type { AttributeValue, Item } from '../model/attribute-value.js';
import { normalizeNumber } from '../model/number.js';
import type { AttributeSchema, AttributeSchemas } from './attribute-schema.js';
import { Decimal } from './decimal.js';

/** The AttributeValue of a native value; undefined for `undefined` and for an empty Set (both mean "no attribute"). */
export function encodeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Cannot store ${value}: a DynamoDB Number must be finite`);
      return { N: String(value) };
    case 'boolean':
      return { BOOL: value };
    case 'bigint':
      return { N: value.toString() };
    case 'undefined':
      return undefined;
    case 'object':
      if (value === null) return { NULL: true };
      if (value instanceof Uint8Array) return { B: value };
      if (Array.isArray(value)) return { L: encodeList(value) };
      if (value instanceof Decimal) return { N: value.text };
      if (value instanceof Set) return encodeSet(value);
      if (isPlainObject(value)) return { M: encodeMap(value as Record<string, unknown>) };
      throw new TypeError(`Cannot store a ${(value as object).constructor?.name ?? 'object'}: use a plain object, array, Set, Uint8Array or Decimal`);
    default:
      throw new TypeError(`Cannot store a ${typeof value}`);
  }
}

/** An item's AttributeValues (members that are undefined or empty Sets left out). */
export function encodeItem(item: object): Item {
  return encodeMap(item as Record<string, unknown>);
}

function encodeMap(map: Record<string, unknown>): Item {
  const out: Item = {};
  for (const name in map) {
    const encoded = encodeValue(map[name]);
    if (encoded !== undefined) out[name] = encoded;
  }
  return out;
}

function encodeList(list: readonly unknown[]): AttributeValue[] {
  return list.map((element, i) => {
    const encoded = encodeValue(element);
    if (encoded === undefined) throw new TypeError(`Cannot store list element ${i}: undefined or an empty Set has no DynamoDB value`);
    return encoded;
  });
}

function encodeSet(set: ReadonlySet<unknown>): AttributeValue | undefined {
  if (set.size === 0) return undefined;
  const first: unknown = set.values().next().value;
  if (typeof first === 'string') return { SS: setMembers(set, 'string') as string[] };
  if (first instanceof Uint8Array) return { BS: setMembers(set, 'binary') as Uint8Array[] };
  if (typeof first === 'number' || typeof first === 'bigint' || first instanceof Decimal) {
    return { NS: (setMembers(set, 'number') as Array<number | bigint | Decimal>).map(numberText) };
  }
  throw new TypeError('A Set must hold strings, numbers (number, bigint, Decimal) or Uint8Arrays');
}

function setMembers(set: ReadonlySet<unknown>, kind: 'string' | 'number' | 'binary'): unknown[] {
  const members = [...set];
  for (const member of members) {
    const ok =
      kind === 'string'
        ? typeof member === 'string'
        : kind === 'binary'
          ? member instanceof Uint8Array
          : typeof member === 'number' || typeof member === 'bigint' || member instanceof Decimal;
    if (!ok) throw new TypeError('A Set must hold members of one type: strings, numbers or Uint8Arrays');
  }
  return members;
}

function numberText(value: number | bigint | Decimal): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`Cannot store ${value}: a DynamoDB Number must be finite`);
  return value instanceof Decimal ? value.text : String(value);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether `n` prints as exactly DynamoDB's normalized text `text`. */
function printsAs(n: number, text: string): boolean {
  const printed = String(n);
  if (printed === text) return true;
  // JS prints 1e-7 and 1e+21 with an exponent; DynamoDB never does.
  return printed.includes('e') && normalizeNumber(printed) === text;
}

/** A Number as a JS number, exactly, or a RangeError. */
export function readNumber(text: string): number {
  const n = Number(text);
  if (Number.isSafeInteger(n) || printsAs(n, text)) return n;
  throw new RangeError(`The Number ${text} does not fit a JS number exactly: declare the attribute attr.bigint(), attr.decimal() or attr.numeric()`);
}

/** A Number as a number when exact, a bigint for a larger integer, a Decimal otherwise. */
export function readNumeric(text: string): number | bigint | Decimal {
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  if (!text.includes('.')) return BigInt(text);
  return printsAs(n, text) ? n : new Decimal(text);
}

function readBigint(text: string): bigint {
  if (text.includes('.')) throw new RangeError(`The Number ${text} is not an integer: declare the attribute attr.decimal() or attr.numeric()`);
  return BigInt(text);
}

/** The native value of an AttributeValue, read as `schema` says (or by its DynamoDB type alone). */
export function decodeValue(value: AttributeValue, schema: AttributeSchema | undefined): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) {
    switch (schema?.kind) {
      case 'number':
        return readNumber(value.N);
      case 'bigint':
        return readBigint(value.N);
      case 'decimal':
        return new Decimal(value.N);
      default:
        return readNumeric(value.N);
    }
  }
  if ('BOOL' in value) return value.BOOL;
  if ('M' in value) {
    const fields = schema?.fields;
    if (fields !== undefined) return decodeItem(value.M, fields, requiredSetsOf(fields));
    return decodeMap(value.M, schema?.kind === 'map' ? schema.of : undefined);
  }
  if ('L' in value) {
    const of = schema?.kind === 'list' ? schema.of : undefined;
    return value.L.map((element) => decodeValue(element, of));
  }
  if ('NULL' in value) return null;
  if ('B' in value) return value.B;
  if ('SS' in value) return new Set(value.SS);
  if ('NS' in value) return new Set(value.NS.map(schema?.kind === 'numberSet' ? readNumber : readNumeric));
  if ('BS' in value) return new Set(value.BS);
  throw new TypeError('Unknown AttributeValue type');
}

function decodeMap(map: Record<string, AttributeValue>, of: AttributeSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in map) out[name] = decodeValue(map[name]!, of);
  return out;
}

/**
 * An item's native values, each attribute read as its schema says. `fillSets` names the required set
 * attributes: absent, they read as empty Sets (DynamoDB cannot store an empty set).
 */
export function decodeItem(item: Item, schemas: AttributeSchemas, fillSets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in item) out[name] = decodeValue(item[name]!, schemas[name]);
  for (let i = 0; i < fillSets.length; i++) {
    const name = fillSets[i]!;
    if (out[name] === undefined) out[name] = new Set();
  }
  return out;
}

const requiredSetNames = new WeakMap<AttributeSchemas, readonly string[]>();

/** The required set attributes of `schemas` (cached: computed once per schema object). */
export function requiredSetsOf(schemas: AttributeSchemas): readonly string[] {
  let names = requiredSetNames.get(schemas);
  if (names === undefined) {
    names = Object.keys(schemas).filter((name) => isRequiredSet(schemas[name]!));
    requiredSetNames.set(schemas, names);
  }
  return names;
}

/** Whether absent means an empty Set for this attribute. */
export function isRequiredSet(schema: AttributeSchema): boolean {
  const kind = schema.kind;
  return !schema.isOptional && (kind === 'stringSet' || kind === 'numberSet' || kind === 'binarySet');
}
