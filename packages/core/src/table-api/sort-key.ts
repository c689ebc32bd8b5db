import type { ExpressionContext } from './expression-context.js';
import type { KeyScalar } from './table-schema.js';

/** A condition on a sort key attribute in a query: made by `sortKey.*`, typed by the key's value type. */
export class SortKeyCondition<V> {
  declare readonly _value: V;
  /** @internal */
  constructor(
    readonly operator: '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'begins_with',
    readonly operands: readonly unknown[],
  ) {}

  /** @internal */
  render(name: string, cx: ExpressionContext): string {
    const [a, b] = this.operands;
    if (this.operator === 'BETWEEN') return `${name} BETWEEN ${cx.value(a)} AND ${cx.value(b)}`;
    if (this.operator === 'begins_with') return `begins_with(${name}, ${cx.value(a)})`;
    return `${name} ${this.operator} ${cx.value(a)}`;
  }
}

/** `'a' | 'b'` → string, `1 | 2` → number: a sort key condition compares with any value of the key's type. */
export type Widen<V> = V extends string ? string : V extends number ? number : V;

/**
 * Sort key conditions for `query`: `=`, `<`, `<=`, `>`, `>=`, `BETWEEN` and `begins_with` (strings and binary only).
 *
 * @example
 * orders.query({ org: 'acme', id: sortKey.beginsWith('2025-') });
 * orders.query({ org: 'acme', placedAt: sortKey.between(100, 200) });
 */
export const sortKey = {
  eq: <V extends KeyScalar>(value: V) => new SortKeyCondition<Widen<V>>('=', [value]),
  lt: <V extends KeyScalar>(value: V) => new SortKeyCondition<Widen<V>>('<', [value]),
  le: <V extends KeyScalar>(value: V) => new SortKeyCondition<Widen<V>>('<=', [value]),
  gt: <V extends KeyScalar>(value: V) => new SortKeyCondition<Widen<V>>('>', [value]),
  ge: <V extends KeyScalar>(value: V) => new SortKeyCondition<Widen<V>>('>=', [value]),
  between: <V extends KeyScalar>(low: V, high: V) => new SortKeyCondition<Widen<V>>('BETWEEN', [low, high]),
  beginsWith: <V extends string | Uint8Array>(prefix: V) => new SortKeyCondition<Widen<V>>('begins_with', [prefix]),
};
