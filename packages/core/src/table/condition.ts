import type { AttributeType } from '../model/attribute-value.js';
import type { ExpressionContext } from './expression-context.js';

/** A condition or filter, built with a `ConditionBuilder`; rendered into an expression per request. */
export class TableCondition {
  /** @internal */
  constructor(readonly render: (context: ExpressionContext) => string) {}
}

type Names<T> = keyof T & string;
type Value<T, K extends keyof T> = Exclude<T[K], undefined>;

/** Attributes holding strings or binary (for `beginsWith`). */
export type PrefixNames<T> = { [K in keyof T]-?: Exclude<T[K], undefined> extends string | Uint8Array ? K : never }[keyof T] & string;
/** Attributes `contains` applies to: strings, sets and lists. */
export type ContainsNames<T> = {
  [K in keyof T]-?: Exclude<T[K], undefined> extends string | ReadonlySet<unknown> | readonly unknown[] ? K : never;
}[keyof T] &
  string;
/** What `contains` looks for: a substring, a set member, a list element. */
export type ContainsOperand<V> = V extends string ? string : V extends ReadonlySet<infer E> ? E : V extends readonly (infer E)[] ? E : never;
type Prefix<V> = V extends string ? string : Uint8Array;

/** Comparisons of `size(attribute)`. */
export interface SizeBuilder {
  eq(n: number): TableCondition;
  ne(n: number): TableCondition;
  lt(n: number): TableCondition;
  le(n: number): TableCondition;
  gt(n: number): TableCondition;
  ge(n: number): TableCondition;
  between(low: number, high: number): TableCondition;
}

/**
 * Typed conditions and filters: attribute names are checked against the item type, operands against
 * the attribute's type. Compiles to a ConditionExpression / FilterExpression with placeholders.
 *
 * @example
 * users.put(user, { condition: (c) => c.or(c.notExists('id'), c.lt('visits', 10)) });
 * orders.scan({ filter: (c) => c.and(c.eq('status', 'OPEN'), c.contains('tags', 'gift'), c.size('lines').gt(2)) });
 */
export interface ConditionBuilder<T> {
  eq<K extends Names<T>>(name: K, value: Value<T, K>): TableCondition;
  ne<K extends Names<T>>(name: K, value: Value<T, K>): TableCondition;
  lt<K extends Names<T>>(name: K, value: Value<T, K>): TableCondition;
  le<K extends Names<T>>(name: K, value: Value<T, K>): TableCondition;
  gt<K extends Names<T>>(name: K, value: Value<T, K>): TableCondition;
  ge<K extends Names<T>>(name: K, value: Value<T, K>): TableCondition;
  between<K extends Names<T>>(name: K, low: Value<T, K>, high: Value<T, K>): TableCondition;
  /** `name IN (…)`: one of up to 100 values. */
  in<K extends Names<T>>(name: K, values: readonly Value<T, K>[]): TableCondition;
  exists(name: Names<T>): TableCondition;
  notExists(name: Names<T>): TableCondition;
  beginsWith<K extends PrefixNames<T>>(name: K, prefix: Prefix<Value<T, K>>): TableCondition;
  contains<K extends ContainsNames<T>>(name: K, operand: ContainsOperand<Value<T, K>>): TableCondition;
  /** `attribute_type(name, type)`: the attribute holds a value of that DynamoDB type. */
  type(name: Names<T>, type: AttributeType): TableCondition;
  size(name: Names<T>): SizeBuilder;
  and(...conditions: TableCondition[]): TableCondition;
  or(...conditions: TableCondition[]): TableCondition;
  not(condition: TableCondition): TableCondition;
}

const compare = (operator: string) => (name: string, value: unknown) =>
  new TableCondition((cx) => `${cx.name(name)} ${operator} ${cx.value(value)}`);
const sizeCompare = (name: string, operator: string) => (n: number) =>
  new TableCondition((cx) => `size(${cx.name(name)}) ${operator} ${cx.value(n)}`);
const join = (operator: string, conditions: TableCondition[]): TableCondition => {
  if (conditions.length === 0) throw new TypeError(`${operator} needs at least one condition`);
  if (conditions.length === 1) return conditions[0]!;
  return new TableCondition((cx) => conditions.map((c) => `(${c.render(cx)})`).join(` ${operator} `));
};

/** The one (untyped at run time) builder every table shares. */
const builder: ConditionBuilder<Record<string, unknown>> = {
  eq: compare('='),
  ne: compare('<>'),
  lt: compare('<'),
  le: compare('<='),
  gt: compare('>'),
  ge: compare('>='),
  between: (name, low, high) => new TableCondition((cx) => `${cx.name(name)} BETWEEN ${cx.value(low)} AND ${cx.value(high)}`),
  in: (name, values) => new TableCondition((cx) => `${cx.name(name)} IN (${values.map((v) => cx.value(v)).join(', ')})`),
  exists: (name) => new TableCondition((cx) => `attribute_exists(${cx.name(name)})`),
  notExists: (name) => new TableCondition((cx) => `attribute_not_exists(${cx.name(name)})`),
  beginsWith: (name, prefix) => new TableCondition((cx) => `begins_with(${cx.name(name)}, ${cx.value(prefix)})`),
  contains: (name, operand) => new TableCondition((cx) => `contains(${cx.name(name)}, ${cx.value(operand)})`),
  type: (name, type) => new TableCondition((cx) => `attribute_type(${cx.name(name)}, ${cx.value(type)})`),
  size: (name) => ({
    eq: sizeCompare(name, '='),
    ne: sizeCompare(name, '<>'),
    lt: sizeCompare(name, '<'),
    le: sizeCompare(name, '<='),
    gt: sizeCompare(name, '>'),
    ge: sizeCompare(name, '>='),
    between: (low, high) => new TableCondition((cx) => `size(${cx.name(name)}) BETWEEN ${cx.value(low)} AND ${cx.value(high)}`),
  }),
  and: (...conditions) => join('AND', conditions),
  or: (...conditions) => join('OR', conditions),
  not: (condition) => new TableCondition((cx) => `NOT (${condition.render(cx)})`),
};

/** A condition as a callback of the builder (what the Table API's options take). */
export type ConditionInput<T> = (c: ConditionBuilder<T>) => TableCondition;

/** Renders a condition callback into an expression. */
export function renderCondition<T>(input: ConditionInput<T>, context: ExpressionContext): string {
  return input(builder as unknown as ConditionBuilder<T>).render(context);
}
