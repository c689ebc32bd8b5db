import type { AttributeValue } from '../model/attribute-value.js';

/**
 * The typed AST of DynamoDB's expressions: Condition/Filter/KeyCondition expressions, UpdateExpression and
 * ProjectionExpression. One node kind per construct, each with a `kind` discriminant.
 *
 * Parsed trees carry placeholders (`#name`, `:value`) exactly as written and are cached by expression text.
 * Per request, resolution (resolve.ts) swaps every placeholder for what ExpressionAttributeNames/Values
 * give, yielding a *resolved* tree: only `name`/`index` path elements and `literal` values. The legacy
 * parameters (Expected, AttributeUpdates, AttributesToGet) translate straight into resolved trees.
 * Evaluation only ever sees resolved trees.
 */

// ─── document paths ──────────────────────────────────────────────────────────────────────────────

/** An attribute or map key written literally (`a` in `a.b`), or the name a `#placeholder` resolved to. */
export interface NameElement {
  readonly kind: 'name';
  readonly name: string;
}
/** `#placeholder` as written, before resolution. */
export interface NamePlaceholderElement {
  readonly kind: 'namePlaceholder';
  /** The token including its `#`. */
  readonly token: string;
}
/** A list index: `[3]`. */
export interface IndexElement {
  readonly kind: 'index';
  readonly index: number;
}
export type PathElement = NameElement | NamePlaceholderElement | IndexElement;

/** A document path: `a.b[3].#c`. The first element is always a name (or name placeholder). */
export interface PathNode {
  readonly kind: 'path';
  readonly elements: readonly PathElement[];
}

// ─── operands ────────────────────────────────────────────────────────────────────────────────────

/** `:placeholder` as written, before resolution. */
export interface ValuePlaceholderNode {
  readonly kind: 'valuePlaceholder';
  /** The token including its `:`. */
  readonly token: string;
}
/** A value: what a `:placeholder` resolved to, or a legacy parameter's value. */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: AttributeValue;
}
/**
 * `size(operand)`: the size of what the operand holds (a Number operand). As parsed, the operand may be
 * anything (`size(:v)` is valid; `size(size(a))` parses but fails resolution: its operand is a Number).
 */
export interface SizeNode {
  readonly kind: 'size';
  readonly operand: Operand;
}
/** An operand of a comparison, BETWEEN, IN or function. */
export type Operand = PathNode | ValuePlaceholderNode | LiteralNode | SizeNode;

// ─── conditions ──────────────────────────────────────────────────────────────────────────────────

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly operator: Comparator;
  readonly left: Operand;
  readonly right: Operand;
}
/** `operand BETWEEN low AND high` (inclusive). */
export interface BetweenNode {
  readonly kind: 'between';
  readonly operand: Operand;
  readonly low: Operand;
  readonly high: Operand;
}
/** `operand IN (a, b, …)` (1 to 100 candidates). */
export interface InNode {
  readonly kind: 'in';
  readonly operand: Operand;
  readonly candidates: readonly Operand[];
}
/** The functions a condition may call (size is an operand, see SizeNode). */
export type ConditionFunctionName = 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains';
/** `attribute_exists(path)`, `attribute_type(path, :t)`, `begins_with(path, :s)`, `contains(path, operand)`, … */
export interface FunctionNode {
  readonly kind: 'function';
  readonly name: ConditionFunctionName;
  readonly args: readonly Operand[];
}
export interface AndNode {
  readonly kind: 'and';
  readonly left: ConditionNode;
  readonly right: ConditionNode;
}
export interface OrNode {
  readonly kind: 'or';
  readonly left: ConditionNode;
  readonly right: ConditionNode;
}
export interface NotNode {
  readonly kind: 'not';
  readonly operand: ConditionNode;
}
/** A Condition, Filter or KeyCondition expression. (Parentheses leave no node: the tree is the grouping.) */
export type ConditionNode = ComparisonNode | BetweenNode | InNode | FunctionNode | AndNode | OrNode | NotNode;

// ─── update expressions ──────────────────────────────────────────────────────────────────────────

/**
 * `if_not_exists(path, value)`: the attribute at path if present, else value. As parsed, the operands
 * are whatever was written, any number of them; resolution checks for exactly two, the first a path
 * (so a resolved node's `args` is `[PathNode, SetOperand]`).
 */
export interface IfNotExistsNode {
  readonly kind: 'ifNotExists';
  readonly args: readonly SetOperand[];
}
/**
 * `list_append(a, b)`: the elements of list a, then those of list b. As parsed, any number of operands;
 * resolution checks for exactly two.
 */
export interface ListAppendNode {
  readonly kind: 'listAppend';
  readonly args: readonly SetOperand[];
}
/** An operand on the right of SET's `=`, or of its `+`/`-`. */
export type SetOperand = PathNode | ValuePlaceholderNode | LiteralNode | IfNotExistsNode | ListAppendNode;
/** `a + b` or `a - b` in a SET action (Numbers only). */
export interface ArithmeticNode {
  readonly kind: 'arithmetic';
  readonly operator: '+' | '-';
  readonly left: SetOperand;
  readonly right: SetOperand;
}
export type SetValue = SetOperand | ArithmeticNode;

export interface SetAction {
  readonly kind: 'set';
  readonly path: PathNode;
  readonly value: SetValue;
}
export interface RemoveAction {
  readonly kind: 'remove';
  readonly path: PathNode;
}
/** `ADD path :value`: adds to a Number, or adds members to a set (creating either if absent). */
export interface AddAction {
  readonly kind: 'add';
  readonly path: PathNode;
  readonly value: ValuePlaceholderNode | LiteralNode;
}
/** `DELETE path :set`: removes members from a set. */
export interface DeleteAction {
  readonly kind: 'delete';
  readonly path: PathNode;
  readonly value: ValuePlaceholderNode | LiteralNode;
}
export type UpdateAction = SetAction | RemoveAction | AddAction | DeleteAction;

/**
 * An UpdateExpression: its actions in the order written, grouped by clause. Each clause appears at
 * most once in the text (the parser enforces it), though actions of a clause keep their order.
 */
export interface UpdateNode {
  readonly kind: 'update';
  readonly actions: readonly UpdateAction[];
  /**
   * Set on the translation of the legacy AttributeUpdates (legacy-updates.ts): DynamoDB reports an
   * operand type mismatch there as "Type mismatch for attribute to update", not the expression message.
   */
  readonly legacy?: true;
}

// ─── projections ─────────────────────────────────────────────────────────────────────────────────

/** A ProjectionExpression: the paths to return. */
export interface ProjectionNode {
  readonly kind: 'projection';
  readonly paths: readonly PathNode[];
}

/** Every node kind. */
export type ExpressionNode =
  | PathNode
  | Operand
  | ConditionNode
  | SetValue
  | UpdateAction
  | UpdateNode
  | ProjectionNode;
