import type { PathNode } from '../expressions/ast.js';

/**
 * The typed AST of PartiQL for DynamoDB: one node kind per construct, each with a `kind` discriminant.
 * Paths reuse the expression AST's PathNode (names and list indexes only), so the planner lowers them
 * to expression text unchanged.
 */

// ─── values ──────────────────────────────────────────────────────────────────────────────────────

/** `'text'` */
export interface StringValue {
  readonly kind: 'string';
  readonly text: string;
}
/** `12`, `-3.5e2`, as written. */
export interface NumberValue {
  readonly kind: 'number';
  readonly text: string;
}
/** `TRUE`, `FALSE` */
export interface BooleanValue {
  readonly kind: 'boolean';
  readonly value: boolean;
}
/** `NULL` */
export interface NullValue {
  readonly kind: 'null';
}
/** `?`: the statement's `index`-th parameter (0-based, in order of appearance). */
export interface ParameterValue {
  readonly kind: 'parameter';
  readonly index: number;
}
/** `<<'a', 'b'>>`: a string, number or (through parameters) binary set. */
export interface SetLiteral {
  readonly kind: 'set';
  readonly members: readonly ValueNode[];
}
/** `[1, 'a']` */
export interface ListLiteral {
  readonly kind: 'list';
  readonly members: readonly ValueNode[];
}
/** `{'k': 1}` */
export interface MapLiteral {
  readonly kind: 'map';
  readonly entries: readonly { readonly key: string; readonly value: ValueNode }[];
}
export type ValueNode = StringValue | NumberValue | BooleanValue | NullValue | ParameterValue | SetLiteral | ListLiteral | MapLiteral;

// ─── WHERE ───────────────────────────────────────────────────────────────────────────────────────

/** `size(path)` as an operand. */
export interface SizeCall {
  readonly kind: 'size';
  readonly path: PathNode;
}
export type Operand = PathNode | ValueNode | SizeCall;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface Comparison {
  readonly kind: 'comparison';
  readonly operator: Comparator;
  readonly left: Operand;
  readonly right: Operand;
}
export interface Between {
  readonly kind: 'between';
  readonly operand: Operand;
  readonly low: Operand;
  readonly high: Operand;
}
export interface In {
  readonly kind: 'in';
  readonly operand: Operand;
  readonly candidates: readonly Operand[];
}
/** `path IS [NOT] MISSING` */
export interface IsMissing {
  readonly kind: 'isMissing';
  readonly path: PathNode;
}
/** `path IS [NOT] NULL`: a NULL value or no value at all (PartiQL: MISSING IS NULL). */
export interface IsNull {
  readonly kind: 'isNull';
  readonly path: PathNode;
}
/** `begins_with(path, v)`, `contains(path, v)`, `attribute_type(path, 'S')` */
export interface FunctionCall {
  readonly kind: 'function';
  readonly name: 'begins_with' | 'contains' | 'attribute_type';
  readonly path: PathNode;
  readonly argument: Operand;
}
export interface And {
  readonly kind: 'and';
  readonly left: Predicate;
  readonly right: Predicate;
}
export interface Or {
  readonly kind: 'or';
  readonly left: Predicate;
  readonly right: Predicate;
}
export interface Not {
  readonly kind: 'not';
  readonly operand: Predicate;
}
export type Predicate = Comparison | Between | In | IsMissing | IsNull | FunctionCall | And | Or | Not;

// ─── statements ──────────────────────────────────────────────────────────────────────────────────

/** `"table"` or `"table"."index"` */
export interface Source {
  readonly tableName: string;
  readonly indexName?: string | undefined;
}

export interface SelectStatement {
  readonly kind: 'select';
  /** undefined for `*`. */
  readonly projection: readonly PathNode[] | undefined;
  readonly source: Source;
  readonly where: Predicate | undefined;
  /** `ORDER BY path [ASC|DESC]` */
  readonly orderBy?: { readonly path: PathNode; readonly descending: boolean } | undefined;
}

export interface InsertStatement {
  readonly kind: 'insert';
  readonly source: Source;
  readonly item: ValueNode;
}

/** The value of an UPDATE's SET: a value or path, `a + b`, `a - b`, or a function of DynamoDB's update expressions. */
export type SetSource =
  | Operand
  | { readonly kind: 'arithmetic'; readonly operator: '+' | '-'; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'call'; readonly name: 'list_append' | 'if_not_exists' | 'set_add' | 'set_delete'; readonly args: readonly Operand[] };

export type UpdateClause =
  | { readonly kind: 'set'; readonly path: PathNode; readonly value: SetSource }
  | { readonly kind: 'remove'; readonly path: PathNode };

export type Returning = 'ALL_OLD' | 'MODIFIED_OLD' | 'ALL_NEW' | 'MODIFIED_NEW';

export interface UpdateStatement {
  readonly kind: 'update';
  readonly source: Source;
  readonly clauses: readonly UpdateClause[];
  readonly where: Predicate | undefined;
  readonly returning: Returning | undefined;
}

export interface DeleteStatement {
  readonly kind: 'delete';
  readonly source: Source;
  readonly where: Predicate | undefined;
  readonly returning: Returning | undefined;
}

/** `EXISTS(SELECT …)`: a transaction's condition check. */
export interface ExistsStatement {
  readonly kind: 'exists';
  readonly select: SelectStatement;
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

/** A parsed statement and how many `?` parameters it holds. */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly parameterCount: number;
}
