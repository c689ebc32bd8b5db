/*
 * The run-time check of a written value against its attribute schema: plain JavaScript callers get no
 * compiler, so `attr.number()` given 'x' or `attr.stringSet()` given an array must be refused before
 * anything is sent, not stored as a String or a List for every later read to trip over.
 *
 * The check runs on the value already encoded, by its DynamoDB type: one property load per attribute (the
 * item writers compile it inline), and a walk only into lists, maps and objects whose members are declared.
 */
import { attributeTypeOf, type AttributeType, type AttributeValue } from '../model/attribute-value.js';
import { memberOf } from '../model/set-member.js';
import type { AttributeKind, AttributeSchema } from './attribute-schema.js';

/** The DynamoDB type each kind is stored as (undefined: any type). */
const TYPE_OF_KIND: Readonly<Record<AttributeKind, AttributeType | undefined>> = {
  string: 'S',
  number: 'N',
  bigint: 'N',
  decimal: 'N',
  numeric: 'N',
  binary: 'B',
  boolean: 'BOOL',
  null: 'NULL',
  list: 'L',
  map: 'M',
  object: 'M',
  stringSet: 'SS',
  numberSet: 'NS',
  binarySet: 'BS',
  any: undefined,
};

/** What each kind takes, for the error message. */
const TAKES: Readonly<Record<AttributeKind, string>> = {
  string: 'a string',
  number: 'a number',
  bigint: 'a bigint',
  decimal: 'a Decimal',
  numeric: 'a number, bigint or Decimal',
  binary: 'a Uint8Array',
  boolean: 'a boolean',
  null: 'null',
  list: 'an array',
  map: 'a plain object',
  object: 'a plain object',
  stringSet: 'a Set of strings',
  numberSet: 'a Set of numbers',
  binarySet: 'a Set of Uint8Arrays',
  any: 'anything',
};

/** The native value each DynamoDB type was written from, for the error message. */
const GIVEN: Readonly<Record<AttributeType, string>> = {
  S: 'a string',
  N: 'a number',
  B: 'a Uint8Array',
  BOOL: 'a boolean',
  NULL: 'null',
  L: 'an array',
  M: 'an object',
  SS: 'a Set of strings',
  NS: 'a Set of numbers',
  BS: 'a Set of Uint8Arrays',
};

/** The DynamoDB type `schema` requires, or undefined when it takes any (`attr.any()`). */
export function requiredType(schema: AttributeSchema): AttributeType | undefined {
  return TYPE_OF_KIND[schema.kind];
}

/** Whether checking a value of `schema` needs more than its DynamoDB type: declared list, map or object members. */
export function checksMembers(schema: AttributeSchema): boolean {
  return (schema.of !== undefined && schema.of.kind !== 'any') || schema.fields !== undefined;
}

/**
 * Throws a TypeError naming `path` when `value` (encoded) is not of `schema`'s type, at any depth the schema
 * declares. Members an object's schema does not name, and values of `attr.any()`, may be anything.
 */
export function checkValue(value: AttributeValue, schema: AttributeSchema, path: string): void {
  const type = TYPE_OF_KIND[schema.kind];
  if (type === undefined) return;
  const v = value as Partial<Record<AttributeType, unknown>>;
  if (v[type] === undefined) {
    throw new TypeError(`Cannot store ${path}: attr.${schema.kind}() takes ${TAKES[schema.kind]}, not ${GIVEN[attributeTypeOf(value)]}`);
  }
  const of = schema.of;
  if (of !== undefined && of.kind !== 'any') {
    if (type === 'L') (v.L as AttributeValue[]).forEach((element, i) => checkValue(element, of, `${path}[${i}]`));
    else for (const [name, member] of Object.entries(v.M as Record<string, AttributeValue>)) checkValue(member, of, `${path}.${name}`);
  }
  const fields = schema.fields;
  if (fields !== undefined) {
    for (const [name, member] of Object.entries(v.M as Record<string, AttributeValue>)) {
      const field = memberOf(fields, name);
      if (field !== undefined) checkValue(member, field, `${path}.${name}`);
    }
  }
}
