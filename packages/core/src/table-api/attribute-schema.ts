import type { Decimal } from './decimal.js';

/** What an attribute holds, at run time: decides how a stored value is read back (numbers, sets, nesting). */
export type AttributeKind =
  | 'string'
  | 'number'
  | 'bigint'
  | 'decimal'
  | 'numeric'
  | 'binary'
  | 'boolean'
  | 'null'
  | 'list'
  | 'map'
  | 'object'
  | 'stringSet'
  | 'numberSet'
  | 'binarySet'
  | 'any';

/**
 * One attribute of a table schema: its JS type `T` (a phantom, for inference only) and whether it may be
 * absent (`O`). Built with `attr.*`; `.optional()` makes it optional.
 */
export class AttributeSchema<T = unknown, O extends boolean = boolean> {
  /** Phantom: the attribute's JS type. Never set at run time. */
  declare readonly _type: T;
  /** Phantom: whether the attribute may be absent. */
  declare readonly _optional: O;

  constructor(
    readonly kind: AttributeKind,
    readonly isOptional: O,
    /** The element schema of a list or map. */
    readonly of?: AttributeSchema,
    /** The field schemas of an object. */
    readonly fields?: Readonly<Record<string, AttributeSchema>>,
  ) {}

  /** The same attribute, allowed to be absent. */
  optional(): AttributeSchema<T, true> {
    return new AttributeSchema<T, true>(this.kind, true, this.of, this.fields);
  }
}

/** Attribute schemas by name. */
export type AttributeSchemas = Readonly<Record<string, AttributeSchema>>;

type OptionalNames<A extends AttributeSchemas> = { [K in keyof A]: A[K]['_optional'] extends true ? K : never }[keyof A];

/** `{ a: X; b?: Y }` shown as one object type rather than an intersection. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The item type of attribute schemas: required attributes, plus optional ones marked `?`. */
export type InferItem<A extends AttributeSchemas> = Simplify<
  { -readonly [K in Exclude<keyof A, OptionalNames<A>>]: A[K]['_type'] } & { -readonly [K in OptionalNames<A>]?: A[K]['_type'] }
>;

const required = <T>(kind: AttributeKind, of?: AttributeSchema, fields?: AttributeSchemas): AttributeSchema<T, false> =>
  new AttributeSchema<T, false>(kind, false, of, fields);

/**
 * Attribute schemas for `defineTable`. Each maps one DynamoDB type to a native JS type:
 * `string` S, `number`/`bigint`/`decimal`/`numeric` N, `binary` B (Uint8Array), `boolean` BOOL, `null` NULL,
 * `list` L (arrays), `map`/`object` M (plain objects), `stringSet`/`numberSet`/`binarySet` SS/NS/BS (`Set`).
 *
 * Numbers: `number()` reads a Number as a JS number; `bigint()` reads integers as bigint; `decimal()` always
 * reads a `Decimal`; `numeric()` picks: a number when it round-trips exactly, a bigint for a larger integer, a
 * Decimal otherwise. A stored Number the declared type cannot hold exactly (another client wrote it) reads as
 * `numeric()` reads it, never failing the read. Writing refuses a JS number beyond the safe-integer range
 * that would not be stored exactly (`2 ** 60`): use a bigint or a Decimal.
 *
 * Values are checked at run time too, for callers without a compiler: writing a value of another type than
 * its attribute's (`attr.number()` given `'x'`, `attr.stringSet()` given an array) throws a TypeError naming
 * the attribute, and sends nothing. Attributes the schema does not declare, and `any()`, take any value.
 *
 * Sets: DynamoDB has no empty sets. A required set attribute that is absent reads as an empty `Set`, and an
 * empty `Set` is written as no attribute, so `item.tags.add('x')` always works.
 *
 * @example
 * const attributes = {
 *   id: attr.string(),
 *   visits: attr.number(),
 *   tags: attr.stringSet(),
 *   address: attr.object({ city: attr.string(), zip: attr.string().optional() }).optional(),
 * };
 */
export const attr = {
  string: <T extends string = string>() => required<T>('string'),
  number: <T extends number = number>() => required<T>('number'),
  bigint: () => required<bigint>('bigint'),
  decimal: () => required<Decimal>('decimal'),
  numeric: () => required<number | bigint | Decimal>('numeric'),
  binary: () => required<Uint8Array>('binary'),
  boolean: () => required<boolean>('boolean'),
  null: () => required<null>('null'),
  list: <E extends AttributeSchema>(of: E) => required<Array<E['_type']>>('list', of),
  map: <E extends AttributeSchema>(of: E) => required<Record<string, E['_type']>>('map', of),
  object: <F extends AttributeSchemas>(fields: F) => required<InferItem<F>>('object', undefined, fields),
  stringSet: <T extends string = string>() => required<Set<T>>('stringSet'),
  numberSet: () => required<Set<number>>('numberSet'),
  binarySet: () => required<Set<Uint8Array>>('binarySet'),
  /** Any value, typed as `T` and read back by its DynamoDB type (numbers as `numeric()` reads them). */
  any: <T = unknown>() => required<T>('any'),
};
