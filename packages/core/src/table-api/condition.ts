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

type Defined<V, K> = Exclude<V[K & keyof V], undefined>;
/** The keys one can step into: list indexes, or map/object member names. */
type Step<V> = V extends readonly unknown[] ? number : V extends ReadonlySet<unknown> | Uint8Array ? never : keyof V & string;
type At<V, K> = V extends readonly (infer E)[] ? Exclude<E, undefined> : Defined<V, K>;

/** Conditions on one document path (`c.at('profile', 'city')`), typed by the value found there. */
export interface PathConditions<V> {
  eq(value: V): TableCondition;
  ne(value: V): TableCondition;
  lt(value: V): TableCondition;
  le(value: V): TableCondition;
  gt(value: V): TableCondition;
  ge(value: V): TableCondition;
  between(low: V, high: V): TableCondition;
  in(values: readonly V[]): TableCondition;
  exists(): TableCondition;
  notExists(): TableCondition;
  beginsWith(prefix: V extends string ? string : V extends Uint8Array ? Uint8Array : never): TableCondition;
  contains(operand: ContainsOperand<V>): TableCondition;
  type(type: AttributeType): TableCondition;
  size(): SizeBuilder;
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
  /**
   * Conditions on a nested document path (map members and list elements, up to three steps), typed by
   * the value there: `c.at('profile', 'city').eq('Paris')`, `c.at('history', 0).exists()`.
   */
  at<K1 extends Names<T>>(k1: K1): PathConditions<Value<T, K1>>;
  at<K1 extends Names<T>, K2 extends Step<Value<T, K1>>>(k1: K1, k2: K2): PathConditions<At<Value<T, K1>, K2>>;
  at<K1 extends Names<T>, K2 extends Step<Value<T, K1>>, K3 extends Step<At<Value<T, K1>, K2>>>(
    k1: K1,
    k2: K2,
    k3: K3,
  ): PathConditions<At<At<Value<T, K1>, K2>, K3>>;
}

/** An attribute name, or a document path of names and list indexes. */
type Target = string | readonly (string | number)[];
const render = (target: Target, cx: ExpressionContext): string => (typeof target === 'string' ? cx.name(target) : cx.path(target));

const compare = (operator: string) => (target: Target, value: unknown) =>
  new TableCondition((cx) => `${render(target, cx)} ${operator} ${cx.value(value)}`);
const sizeCompare = (target: Target, operator: string) => (n: number) =>
  new TableCondition((cx) => `size(${render(target, cx)}) ${operator} ${cx.value(n)}`);
const sizeOf = (target: Target): SizeBuilder => ({
  eq: sizeCompare(target, '='),
  ne: sizeCompare(target, '<>'),
  lt: sizeCompare(target, '<'),
  le: sizeCompare(target, '<='),
  gt: sizeCompare(target, '>'),
  ge: sizeCompare(target, '>='),
  between: (low, high) => new TableCondition((cx) => `size(${render(target, cx)}) BETWEEN ${cx.value(low)} AND ${cx.value(high)}`),
});
const join = (operator: string, conditions: TableCondition[]): TableCondition => {
  if (conditions.length === 0) throw new TypeError(`${operator} needs at least one condition`);
  if (conditions.length === 1) return conditions[0]!;
  return new TableCondition((cx) => conditions.map((c) => `(${c.render(cx)})`).join(` ${operator} `));
};

type Untyped = Record<string, unknown>;

const between = (target: Target, low: unknown, high: unknown) =>
  new TableCondition((cx) => `${render(target, cx)} BETWEEN ${cx.value(low)} AND ${cx.value(high)}`);
const oneOf = (target: Target, values: readonly unknown[]) =>
  new TableCondition((cx) => `${render(target, cx)} IN (${values.map((v) => cx.value(v)).join(', ')})`);
const fn = (name: string, target: Target, operand?: unknown) =>
  new TableCondition((cx) => `${name}(${render(target, cx)}${operand === undefined ? '' : `, ${cx.value(operand)}`})`);

/** The conditions on one path (what `c.at(...)` answers). */
const pathConditions = (path: readonly (string | number)[]): PathConditions<unknown> => ({
  eq: (value) => compare('=')(path, value),
  ne: (value) => compare('<>')(path, value),
  lt: (value) => compare('<')(path, value),
  le: (value) => compare('<=')(path, value),
  gt: (value) => compare('>')(path, value),
  ge: (value) => compare('>=')(path, value),
  between: (low, high) => between(path, low, high),
  in: (values) => oneOf(path, values),
  exists: () => fn('attribute_exists', path),
  notExists: () => fn('attribute_not_exists', path),
  beginsWith: (prefix) => fn('begins_with', path, prefix),
  contains: (operand) => fn('contains', path, operand),
  type: (type) => fn('attribute_type', path, type),
  size: () => sizeOf(path),
});

/** The one (untyped at run time) builder every table shares. */
const builder: ConditionBuilder<Untyped> = {
  eq: compare('='),
  ne: compare('<>'),
  lt: compare('<'),
  le: compare('<='),
  gt: compare('>'),
  ge: compare('>='),
  between,
  in: oneOf,
  exists: (name) => fn('attribute_exists', name),
  notExists: (name) => fn('attribute_not_exists', name),
  beginsWith: (name, prefix) => fn('begins_with', name, prefix),
  contains: (name, operand) => fn('contains', name, operand),
  type: (name, type) => fn('attribute_type', name, type),
  size: sizeOf,
  and: (...conditions) => join('AND', conditions),
  or: (...conditions) => join('OR', conditions),
  not: (condition) => new TableCondition((cx) => `NOT (${condition.render(cx)})`),
  at: ((...path: (string | number)[]) => pathConditions(path)) as ConditionBuilder<Untyped>['at'],
};

/** A condition as a callback of the builder (what the Table API's options take). */
export type ConditionInput<T> = (c: ConditionBuilder<T>) => TableCondition;

/** Renders a condition callback into an expression. */
export function renderCondition<T>(input: ConditionInput<T>, context: ExpressionContext): string {
  return input(builder as unknown as ConditionBuilder<T>).render(context);
}
