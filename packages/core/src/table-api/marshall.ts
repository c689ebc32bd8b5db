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
import { memberOf, setMember } from '../model/set-member.js';
import { Decimal } from './decimal.js';
import { exactNumberText } from './number-text.js';
import { checkValue } from './value-check.js';

/** The AttributeValue of a native value; undefined for `undefined` and for an empty Set (both mean "no attribute"). */
export function encodeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      return { N: exactNumberText(value) };
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

/**
 * An item's AttributeValues (members that are undefined or empty Sets left out), each attribute that
 * `schemas` declares checked against its schema.
 */
export function encodeItem(item: object, schemas: AttributeSchemas): Item {
  const out: Item = {};
  for (const name in item) {
    const encoded = encodeValue((item as Record<string, unknown>)[name]);
    if (encoded === undefined) continue;
    const schema = memberOf(schemas, name);
    if (schema !== undefined) checkValue(encoded, schema, name);
    setMember(out, name, encoded);
  }
  return out;
}

function encodeMap(map: Record<string, unknown>): Item {
  const out: Item = {};
  for (const name in map) {
    const encoded = encodeValue(map[name]);
    if (encoded !== undefined) setMember(out, name, encoded);
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
  if (typeof value !== 'number') return value instanceof Decimal ? value.text : value.toString();
  return exactNumberText(value);
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

/**
 * Texts this short surely round-trip through a double: they hold at most 15 significant digits, and
 * decimals that short are spaced wider apart than doubles (so the shortest print of the double is the text).
 */
export const SHORT_EXACT = 15;

/**
 * A Number as a JS number when it holds it exactly; otherwise (a value another client wrote) as
 * `readNumeric` reads it, a bigint or a Decimal: one such value never makes a whole read fail.
 */
export function readNumber(text: string): number | bigint | Decimal {
  const n = Number(text);
  if (text.length <= SHORT_EXACT || Number.isSafeInteger(n) || printsAs(n, text)) return n;
  return readNumeric(text);
}

/** A Number as a number when exact, a bigint for a larger integer, a Decimal otherwise. */
export function readNumeric(text: string): number | bigint | Decimal {
  const n = Number(text);
  if (Number.isSafeInteger(n) || (text.length <= SHORT_EXACT && text.includes('.'))) return n;
  if (!text.includes('.')) return BigInt(text);
  return printsAs(n, text) ? n : new Decimal(text);
}

/** An integer as a bigint; a fraction (a value another client wrote) as a Decimal, rather than failing the read. */
function readBigint(text: string): bigint | Decimal {
  return text.includes('.') ? new Decimal(text) : BigInt(text);
}

/** The native value of an AttributeValue, read as `schema` says (or by its DynamoDB type alone). */
export function decodeValue(value: AttributeValue, schema: AttributeSchema | undefined): unknown {
  // Property loads, not `in`: the faster test on the megamorphic AttributeValue shapes.
  const v = value as Partial<Record<'S' | 'N' | 'BOOL' | 'M' | 'L' | 'NULL' | 'B' | 'SS' | 'NS' | 'BS', unknown>>;
  const s = v.S;
  if (s !== undefined) return s;
  const n = v.N as string | undefined;
  if (n !== undefined) {
    switch (schema?.kind) {
      case 'number':
        return readNumber(n);
      case 'bigint':
        return readBigint(n);
      case 'decimal':
        return new Decimal(n);
      default:
        return readNumeric(n);
    }
  }
  const bool = v.BOOL;
  if (bool !== undefined) return bool;
  const m = v.M as Record<string, AttributeValue> | undefined;
  if (m !== undefined) {
    const fields = schema?.fields;
    if (fields !== undefined) return decodeItem(m, fields, requiredSetsOf(fields));
    return decodeMap(m, schema?.kind === 'map' ? schema.of : undefined);
  }
  const l = v.L as AttributeValue[] | undefined;
  if (l !== undefined) {
    const of = schema?.kind === 'list' ? schema.of : undefined;
    return l.map((element) => decodeValue(element, of));
  }
  if (v.NULL !== undefined) return null;
  if (v.B !== undefined) return v.B;
  if (v.SS !== undefined) return new Set(v.SS as string[]);
  if (v.NS !== undefined) return new Set((v.NS as string[]).map(schema?.kind === 'numberSet' ? readNumber : readNumeric));
  if (v.BS !== undefined) return new Set(v.BS as Uint8Array[]);
  throw new TypeError('Unknown AttributeValue type');
}

function decodeMap(map: Record<string, AttributeValue>, of: AttributeSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in map) setMember(out, name, decodeValue(map[name]!, of));
  return out;
}

/**
 * An item's native values, each attribute read as its schema says. `fillSets` names the required set
 * attributes: absent, they read as empty Sets (DynamoDB cannot store an empty set).
 */
export function decodeItem(item: Item, schemas: AttributeSchemas, fillSets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in item) {
    const value = item[name]!;
    // The common cases inline: a string, and a short Number (exact as a JS number) not declared bigint or Decimal.
    const s = (value as { S?: string }).S;
    if (s !== undefined) {
      setMember(out, name, s);
      continue;
    }
    const schema = memberOf(schemas, name);
    const n = (value as { N?: string }).N;
    if (n !== undefined && n.length <= SHORT_EXACT) {
      const kind = schema?.kind;
      if (kind !== 'bigint' && kind !== 'decimal') {
        setMember(out, name, +n);
        continue;
      }
    }
    setMember(out, name, decodeValue(value, schema));
  }
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
