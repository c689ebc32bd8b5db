import { ValidationException } from '../errors.js';
import type {
  ArithmeticNode,
  Comparator,
  ConditionFunctionName,
  ConditionNode,
  FunctionNode,
  NamePlaceholderElement,
  NameElement,
  Operand,
  PathElement,
  PathNode,
  ProjectionNode,
  SetOperand,
  SetValue,
  UpdateAction,
  UpdateNode,
  ValuePlaceholderNode,
} from './ast.js';
import { utf8Length } from '../model/item-size.js';
import { syntaxErrorDetail, tokenize, TOKEN, type Tokens } from './lexer.js';
import { isReservedWord } from './reserved-words.js';

// Token kinds as module-local constants (a bundler's import transform would make each use a property read).
const {
  ADD: T_ADD,
  AND: T_AND,
  BETWEEN: T_BETWEEN,
  COMMA: T_COMMA,
  DELETE: T_DELETE,
  DOT: T_DOT,
  EOF: T_EOF,
  EQ: T_EQ,
  GE: T_GE,
  GT: T_GT,
  IN: T_IN,
  INT: T_INT,
  LBRACKET: T_LBRACKET,
  LE: T_LE,
  LPAREN: T_LPAREN,
  LT: T_LT,
  MINUS: T_MINUS,
  NAME: T_NAME,
  NAME_PLACEHOLDER: T_NAME_PLACEHOLDER,
  NE: T_NE,
  NOT: T_NOT,
  OR: T_OR,
  PLUS: T_PLUS,
  RBRACKET: T_RBRACKET,
  REMOVE: T_REMOVE,
  RPAREN: T_RPAREN,
  SET: T_SET,
  VALUE_PLACEHOLDER: T_VALUE_PLACEHOLDER,
} = TOKEN;

/**
 * The recursive-descent parser of DynamoDB's expressions (see parse-expressions.ts for the public entry points and
 * the cache). Produces frozen, unresolved AST nodes (ast.ts).
 *
 * Errors, and the order DynamoDB reports them in when several apply (each is `Invalid <Parameter>: …`):
 *  1. `The expression can not be empty;` (empty or only whitespace);
 *  2. `Expression size has exceeded the maximum allowed size; expression size: <bytes>` (over 4096 UTF-8 bytes);
 *  3. while reading left to right, whichever comes first of:
 *     - `Syntax error; token: "<token>", near: "<previous token … next token>"`,
 *     - `The expression has redundant parentheses;` (two pairs straight around one thing: `((a = :v))`),
 *     - `The expression contains too many operators; operator count: 301` (comparators, BETWEEN, IN, AND, OR,
 *       NOT, function calls, + and -: at most 300);
 *  4. the checks DynamoDB makes on the whole tree in the order it is written (an update: section by section,
 *     in the order each section first appears), the first that fails:
 *     - `Attribute name is a reserved keyword; reserved keyword: <name as written>`,
 *     - `List index is not within the allowable range; index: [<n>]` (above 2^31 - 1),
 *     - `Invalid function name; function: <name>` (function names are case-sensitive),
 *     - `The function is not allowed in a condition expression; function: <name>` (if_not_exists, list_append),
 *     - `The function is not allowed in an update expression; function: <name>` (the condition functions, size),
 *     - `The function is not allowed to be used this way in an expression; function: <name>` (size as a
 *       condition, a condition function as an operand; in an update, a function other than if_not_exists
 *       inside a function or an operand of + or -: list_append(list_append(…), …), if_not_exists(a,
 *       list_append(…)), list_append(…) + :v — DynamoDB Local's ASTListener.enterFunctionCall, where only
 *       NESTABLE_OPERATORS_IN_UPDATE = {if_not_exists} may sit below nesting level 0; alternator
 *       test_update_expression_function_nesting),
 *     - `Incorrect number of operands for operator or function; operator or function: <name>, number of
 *       operands: <n>` (condition functions; size),
 *     - `The "<SET|REMOVE|ADD|DELETE>" section can only be used once in an update expression;` (after that
 *       section's own actions were checked).
 *
 * What DynamoDB checks later, in its validation walk alongside the placeholders, is left to the
 * resolution pass (resolve-expressions.ts), so that it loses to an undefined name or value, or to an
 * action checked earlier, as in DynamoDB: if_not_exists/list_append operand counts, `Operator or function
 * requires a document path`, size's operand type (`size(size(a))`, `size(:number)`), IN's candidate
 * count. The tree holds whatever was written for those: `SizeNode.operand` is any operand (`size(:v)` is
 * valid), `IfNotExistsNode.args`/`ListAppendNode.args` any number of any SET operands.
 */

/** The request parameters an expression arrives in; they prefix its messages ("Invalid UpdateExpression: …"). */
export type ExpressionParameter =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

/** The longest expression DynamoDB accepts, in UTF-8 bytes. */
const MAX_EXPRESSION_BYTES = 4096;
/** The most operators and functions one expression may use. */
export const MAX_OPERATORS = 300;
const MAX_LIST_INDEX = 2147483647;

const CONDITION_FUNCTION_ARITY: Readonly<Record<ConditionFunctionName, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
};

function isConditionFunction(name: string): name is ConditionFunctionName {
  return (
    name === 'attribute_exists' ||
    name === 'attribute_not_exists' ||
    name === 'attribute_type' ||
    name === 'begins_with' ||
    name === 'contains'
  );
}
function isUpdateFunction(name: string): boolean {
  return name === 'if_not_exists' || name === 'list_append';
}

/** A function call as read, before its context (condition, operand, update) says what it may be. */
class RawCall {
  constructor(
    readonly name: string,
    readonly args: readonly RawOperand[],
    /** Offset of the function name in the text. */
    readonly start: number,
  ) {}
}
type RawOperand = PathNode | ValuePlaceholderNode | RawCall;

function isArithmetic(value: ArithmeticNode | RawOperand): value is ArithmeticNode {
  return !(value instanceof RawCall) && value.kind === 'arithmetic';
}

/** A problem found after reading, kept until the whole text is read; the first in DynamoDB's order wins. */
interface Pending {
  /** Update: the index of the clause (SET/REMOVE/ADD/DELETE keyword) it is in; else 0. */
  readonly group: number;
  /** Position in DynamoDB's checking order within the group (its text offset). */
  readonly order: number;
  readonly message: string;
}

/** What a parenthesized group in a condition turned out to hold. */
const G_CONDITION = 0;
const G_OPERAND = 1;
/** A function call alone in parentheses: a condition or an operand, as what follows decides. */
const G_CALL = 2;
interface Group {
  readonly kind: number;
  readonly node: ConditionNode | RawOperand;
}

const freeze = Object.freeze;
/** A stand-in where a problem was recorded (the parse fails at the end); a new one each time, as parentheses are tracked by node. */
function dummyPath(): PathNode {
  return { kind: 'path', elements: [{ kind: 'name', name: '_' }] };
}

function comparatorOf(kind: number): Comparator | undefined {
  switch (kind) {
    case T_EQ:
      return '=';
    case T_NE:
      return '<>';
    case T_LT:
      return '<';
    case T_LE:
      return '<=';
    case T_GT:
      return '>';
    case T_GE:
      return '>=';
    default:
      return undefined;
  }
}
function startsComparison(kind: number): boolean {
  return (kind >= T_EQ && kind <= T_GE) || kind === T_BETWEEN || kind === T_IN;
}


class Parser {
  private readonly kinds: number[];
  private readonly starts: number[];
  private readonly text: string;
  private pos = 0;
  private operators = 0;
  /** Pass-4 problems (see the module comment). */
  private pending: Pending[] | undefined;
  /** Nodes already wrapped in parentheses, to catch `((…))`. */
  private parenthesized: Set<object> | undefined;
  /** Update: the clause being read. */
  private group = 0;

  constructor(
    private readonly tokens: Tokens,
    private readonly parameter: ExpressionParameter,
  ) {
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.text = tokens.text;
  }

  // ─── errors ────────────────────────────────────────────────────────────────────────────────────

  private error(message: string): ValidationException {
    return new ValidationException(`Invalid ${this.parameter}: ${message}`);
  }
  private fail(): never {
    throw this.error(syntaxErrorDetail(this.tokens, this.pos));
  }
  private expect(kind: number): void {
    if (this.kinds[this.pos] !== kind) this.fail();
    this.pos++;
  }
  private defer(order: number, message: string): void {
    (this.pending ??= []).push({ group: this.group, order, message });
  }
  private countOperator(): void {
    if (++this.operators > MAX_OPERATORS) {
      throw this.error(`The expression contains too many operators; operator count: ${this.operators}`);
    }
  }
  /** Records that `node` was just wrapped in a pair of parentheses; a second pair straight around is an error. */
  private wrapped(node: object): void {
    const seen = (this.parenthesized ??= new Set());
    if (seen.has(node)) throw this.error('The expression has redundant parentheses;');
    seen.add(node);
  }
  private at(pos: number): number {
    return this.starts[pos] as number;
  }

  /** Throws the first pending problem in DynamoDB's order, if any. `sections`: an update's clause keywords. */
  private finish(sections?: readonly (readonly [keyword: string, groups: readonly number[]])[]): void {
    const pending = this.pending;
    if (pending !== undefined) {
      const first = (group: number): Pending | undefined => {
        let best: Pending | undefined;
        for (const p of pending) if (p.group === group && (best === undefined || p.order < best.order)) best = p;
        return best;
      };
      if (sections === undefined) {
        const p = first(0);
        if (p !== undefined) throw this.error(p.message);
      } else {
        for (const [keyword, groups] of sections) {
          for (const g of groups) {
            const p = first(g);
            if (p !== undefined) throw this.error(p.message);
          }
          if (groups.length > 1) {
            throw this.error(`The "${keyword}" section can only be used once in an update expression;`);
          }
        }
      }
    } else if (sections !== undefined) {
      for (const [keyword, groups] of sections) {
        if (groups.length > 1) {
          throw this.error(`The "${keyword}" section can only be used once in an update expression;`);
        }
      }
    }
  }

  // ─── paths and operands ────────────────────────────────────────────────────────────────────────

  private nameElement(): NameElement | NamePlaceholderElement {
    const kind = this.kinds[this.pos];
    const start = this.at(this.pos);
    const end = this.tokens.ends[this.pos] as number;
    if (kind === T_NAME) {
      const name = this.text.slice(start, end);
      if (isReservedWord(name)) this.defer(start, `Attribute name is a reserved keyword; reserved keyword: ${name}`);
      this.pos++;
      return freeze({ kind: 'name', name });
    }
    if (kind === T_NAME_PLACEHOLDER) {
      this.pos++;
      return freeze({ kind: 'namePlaceholder', token: this.text.slice(start, end) });
    }
    return this.fail();
  }

  /** `name`, `#name`, then `.name`, `.#name` or `[n]`, any number of times. */
  private path(): PathNode {
    const first = this.nameElement();
    const kinds = this.kinds;
    let k = kinds[this.pos];
    if (k !== T_DOT && k !== T_LBRACKET) return freeze({ kind: 'path', elements: freeze([first]) });
    const elements: PathElement[] = [first];
    for (;;) {
      if (k === T_DOT) {
        this.pos++;
        elements.push(this.nameElement());
      } else if (k === T_LBRACKET) {
        this.pos++;
        if (kinds[this.pos] !== T_INT) this.fail();
        const start = this.at(this.pos);
        const digits = this.text.slice(start, this.tokens.ends[this.pos]);
        this.pos++;
        this.expect(T_RBRACKET);
        const index = Number(digits);
        if (digits.length > 10 || index > MAX_LIST_INDEX) {
          this.defer(start, `List index is not within the allowable range; index: [${digits}]`);
        }
        elements.push(freeze({ kind: 'index', index }));
      } else break;
      k = kinds[this.pos];
    }
    return freeze({ kind: 'path', elements: freeze(elements) });
  }

  /** `:value`, a path, `name(args)`, or `( operand )`. */
  private operand(): RawOperand {
    const kind = this.kinds[this.pos];
    if (kind === T_VALUE_PLACEHOLDER) {
      const token = this.text.slice(this.at(this.pos), this.tokens.ends[this.pos]);
      this.pos++;
      return freeze({ kind: 'valuePlaceholder', token });
    }
    if (kind === T_NAME) return this.kinds[this.pos + 1] === T_LPAREN ? this.call() : this.path();
    if (kind === T_NAME_PLACEHOLDER) return this.path();
    if (kind === T_LPAREN) {
      this.pos++;
      const inner = this.operand();
      this.expect(T_RPAREN);
      this.wrapped(inner);
      return inner;
    }
    return this.fail();
  }

  private call(): RawCall {
    const start = this.at(this.pos);
    const name = this.text.slice(start, this.tokens.ends[this.pos]);
    this.pos += 2;
    this.countOperator();
    const args: RawOperand[] = [this.operand()];
    while (this.kinds[this.pos] === T_COMMA) {
      this.pos++;
      args.push(this.operand());
    }
    this.expect(T_RPAREN);
    return new RawCall(name, args, start);
  }

  // ─── conditions ────────────────────────────────────────────────────────────────────────────────

  parseCondition(): ConditionNode {
    const node = this.orCondition();
    if (this.kinds[this.pos] !== T_EOF) this.fail();
    this.finish();
    return node;
  }

  private orCondition(): ConditionNode {
    return this.continueOr(this.andCondition());
  }
  private continueOr(first: ConditionNode): ConditionNode {
    let left = first;
    while (this.kinds[this.pos] === T_OR) {
      this.pos++;
      this.countOperator();
      const right = this.andCondition();
      left = freeze({ kind: 'or', left, right });
    }
    return left;
  }
  private andCondition(): ConditionNode {
    return this.continueAnd(this.notCondition());
  }
  private continueAnd(first: ConditionNode): ConditionNode {
    let left = first;
    while (this.kinds[this.pos] === T_AND) {
      this.pos++;
      this.countOperator();
      const right = this.notCondition();
      left = freeze({ kind: 'and', left, right });
    }
    return left;
  }
  /** Continues after a NOT-level unit already read: AND, then OR, at this level. */
  private continueCondition(first: ConditionNode): ConditionNode {
    return this.continueOr(this.continueAnd(first));
  }
  private notCondition(): ConditionNode {
    if (this.kinds[this.pos] === T_NOT) {
      this.pos++;
      this.countOperator();
      return freeze({ kind: 'not', operand: this.notCondition() });
    }
    return this.primary();
  }
  private primary(): ConditionNode {
    if (this.kinds[this.pos] === T_LPAREN) {
      const group = this.parenGroup();
      if (group.kind === G_CONDITION) return group.node as ConditionNode;
      if (startsComparison(this.kinds[this.pos] as number)) return this.comparisonRest(group.node as RawOperand);
      if (group.kind === G_CALL) return this.callAsCondition(group.node as RawCall);
      return this.fail();
    }
    const left = this.operand();
    if (startsComparison(this.kinds[this.pos] as number)) return this.comparisonRest(left);
    if (left instanceof RawCall) return this.callAsCondition(left);
    return this.fail();
  }

  /**
   * `( … )` where a condition may start: a parenthesized condition, or a parenthesized operand that a
   * comparison continues (`(a) = :v`). Decided by what the parentheses turn out to hold.
   */
  private parenGroup(): Group {
    this.pos++;
    let group: Group;
    const kind = this.kinds[this.pos];
    if (kind === T_LPAREN) {
      const inner = this.parenGroup();
      const next = this.kinds[this.pos] as number;
      if (inner.kind === G_CONDITION) {
        group = { kind: G_CONDITION, node: this.continueCondition(inner.node as ConditionNode) };
      } else if (startsComparison(next)) {
        group = { kind: G_CONDITION, node: this.continueCondition(this.comparisonRest(inner.node as RawOperand)) };
      } else if (next === T_RPAREN) {
        group = inner;
      } else if (inner.kind === G_CALL) {
        group = { kind: G_CONDITION, node: this.continueCondition(this.callAsCondition(inner.node as RawCall)) };
      } else return this.fail();
    } else if (kind === T_NOT) {
      group = { kind: G_CONDITION, node: this.continueCondition(this.notCondition()) };
    } else {
      const operand = this.operand();
      const next = this.kinds[this.pos] as number;
      if (startsComparison(next)) {
        group = { kind: G_CONDITION, node: this.continueCondition(this.comparisonRest(operand)) };
      } else if (operand instanceof RawCall) {
        group =
          next === T_RPAREN
            ? { kind: G_CALL, node: operand }
            : { kind: G_CONDITION, node: this.continueCondition(this.callAsCondition(operand)) };
      } else if (next === T_RPAREN) {
        group = { kind: G_OPERAND, node: operand };
      } else return this.fail();
    }
    this.expect(T_RPAREN);
    this.wrapped(group.node);
    return group;
  }

  /** After the left operand: a comparator, BETWEEN or IN, and the rest. */
  private comparisonRest(leftRaw: RawOperand): ConditionNode {
    const kind = this.kinds[this.pos] as number;
    this.pos++;
    this.countOperator();
    const left = this.conditionOperand(leftRaw);
    if (kind === T_BETWEEN) {
      const low = this.conditionOperand(this.operand());
      this.expect(T_AND);
      const high = this.conditionOperand(this.operand());
      return freeze({ kind: 'between', operand: left, low, high });
    }
    if (kind === T_IN) {
      this.expect(T_LPAREN);
      const candidates: Operand[] = [this.conditionOperand(this.operand())];
      while (this.kinds[this.pos] === T_COMMA) {
        this.pos++;
        candidates.push(this.conditionOperand(this.operand()));
      }
      this.expect(T_RPAREN);
      return freeze({ kind: 'in', operand: left, candidates: freeze(candidates) });
    }
    const operator = comparatorOf(kind) as Comparator;
    const right = this.conditionOperand(this.operand());
    return freeze({ kind: 'comparison', operator, left, right });
  }

  /** A function call where a condition stands. */
  private callAsCondition(call: RawCall): ConditionNode {
    const name = call.name;
    const args = this.conditionOperands(call.args);
    if (!isConditionFunction(name)) {
      if (name === 'size') {
        this.defer(call.start, `The function is not allowed to be used this way in an expression; function: ${name}`);
      } else this.checkUnknownOrUpdateFunction(call);
      return freeze({ kind: 'function', name: 'contains', args: freeze(args) });
    }
    if (args.length !== CONDITION_FUNCTION_ARITY[name]) this.defer(call.start, arityMessage(name, args.length));
    const node: FunctionNode = freeze({ kind: 'function', name, args: freeze(args) });
    return node;
  }

  private checkUnknownOrUpdateFunction(call: RawCall): void {
    if (isUpdateFunction(call.name)) {
      this.defer(call.start, `The function is not allowed in a condition expression; function: ${call.name}`);
    } else this.defer(call.start, `Invalid function name; function: ${call.name}`);
  }

  private conditionOperands(raws: readonly RawOperand[]): Operand[] {
    const out: Operand[] = [];
    for (const raw of raws) out.push(this.conditionOperand(raw));
    return out;
  }

  /** An operand of a comparison, BETWEEN, IN or function: calls here may only be size(operand). */
  private conditionOperand(raw: RawOperand): Operand {
    if (!(raw instanceof RawCall)) return raw;
    const name = raw.name;
    const args = this.conditionOperands(raw.args);
    if (name !== 'size') {
      if (isConditionFunction(name)) {
        this.defer(raw.start, `The function is not allowed to be used this way in an expression; function: ${name}`);
      } else this.checkUnknownOrUpdateFunction(raw);
      return dummyPath();
    }
    if (args.length !== 1) {
      this.defer(raw.start, arityMessage(name, args.length));
      return dummyPath();
    }
    return freeze({ kind: 'size', operand: args[0] as Operand });
  }

  // ─── updates ───────────────────────────────────────────────────────────────────────────────────

  parseUpdate(): UpdateNode {
    const kinds = this.kinds;
    const actions: UpdateAction[] = [];
    // Each section's keyword as DynamoDB names it, with the clauses (groups) that used it, in first-use order.
    const sections: [string, number[]][] = [];
    do {
      const kind = kinds[this.pos];
      this.group++;
      if (kind === T_SET) {
        sectionOf(sections, 'SET').push(this.group);
        this.pos++;
        for (;;) {
          const path = this.path();
          this.expect(T_EQ);
          actions.push(freeze({ kind: 'set', path, value: this.setValue() }));
          if (kinds[this.pos] !== T_COMMA) break;
          this.pos++;
        }
      } else if (kind === T_REMOVE) {
        sectionOf(sections, 'REMOVE').push(this.group);
        this.pos++;
        for (;;) {
          actions.push(freeze({ kind: 'remove', path: this.path() }));
          if (kinds[this.pos] !== T_COMMA) break;
          this.pos++;
        }
      } else if (kind === T_ADD || kind === T_DELETE) {
        const action = kind === T_ADD ? 'add' : 'delete';
        sectionOf(sections, kind === T_ADD ? 'ADD' : 'DELETE').push(this.group);
        this.pos++;
        for (;;) {
          const path = this.path();
          if (kinds[this.pos] !== T_VALUE_PLACEHOLDER) this.fail();
          const token = this.text.slice(this.at(this.pos), this.tokens.ends[this.pos]);
          this.pos++;
          actions.push(freeze({ kind: action, path, value: freeze({ kind: 'valuePlaceholder', token }) }));
          if (kinds[this.pos] !== T_COMMA) break;
          this.pos++;
        }
      } else this.fail();
    } while (kinds[this.pos] !== T_EOF);
    this.finish(sections);
    return freeze({ kind: 'update', actions: freeze(actions) });
  }

  /**
   * The right of SET's `=`: operand, operand + operand, operand - operand, or any of those in parentheses.
   * Operands are read raw and converted once it is known whether they stand alone or under + or -.
   */
  private setValue(): SetValue {
    const first = this.kinds[this.pos] === T_LPAREN ? this.setParen() : this.operand();
    return isArithmetic(first) ? first : this.arithmeticRest(first);
  }
  /** After a SET value's first operand: `+ operand`, `- operand`, or nothing. */
  private arithmeticRest(left: RawOperand): SetValue {
    const kind = this.kinds[this.pos];
    if (kind !== T_PLUS && kind !== T_MINUS) return this.setOperand(left, false);
    const leftOperand = this.setOperand(left, true);
    this.pos++;
    this.countOperator();
    const right = this.setOperand(this.operand(), true);
    return freeze({ kind: 'arithmetic', operator: kind === T_PLUS ? '+' : '-', left: leftOperand, right });
  }
  /** `( … )` opening a SET value: an arithmetic value, or one operand, still raw (what follows the parentheses decides its context). */
  private setParen(): ArithmeticNode | RawOperand {
    this.pos++;
    let value: ArithmeticNode | RawOperand;
    const inner = this.kinds[this.pos] === T_LPAREN ? this.setParen() : this.operand();
    if (isArithmetic(inner)) value = inner;
    else {
      const kind = this.kinds[this.pos];
      value = kind === T_PLUS || kind === T_MINUS ? (this.arithmeticRest(inner) as ArithmeticNode) : inner;
    }
    this.expect(T_RPAREN);
    this.wrapped(value);
    return value;
  }

  /**
   * An operand in SET: calls here may only be if_not_exists and list_append. `nested`: the operand is an
   * argument of a function or an operand of + or -, where only if_not_exists may be called.
   */
  private setOperand(raw: RawOperand, nested: boolean): SetOperand {
    if (!(raw instanceof RawCall)) return raw;
    const name = raw.name;
    if (name === 'if_not_exists' || name === 'list_append') {
      if (nested && name === 'list_append') {
        this.defer(raw.start, `The function is not allowed to be used this way in an expression; function: ${name}`);
      }
      // Operand count and kinds are the resolution pass's to check (see the module comment).
      const args: SetOperand[] = [];
      for (const a of raw.args) args.push(this.setOperand(a, true));
      return freeze({ kind: name === 'list_append' ? 'listAppend' : 'ifNotExists', args: freeze(args) });
    }
    if (isConditionFunction(name) || name === 'size') {
      this.defer(raw.start, `The function is not allowed in an update expression; function: ${name}`);
    } else this.defer(raw.start, `Invalid function name; function: ${name}`);
    for (const a of raw.args) this.setOperand(a, true);
    return dummyPath();
  }

  // ─── projections ───────────────────────────────────────────────────────────────────────────────

  parseProjection(): ProjectionNode {
    const paths: PathNode[] = [this.path()];
    while (this.kinds[this.pos] === T_COMMA) {
      this.pos++;
      paths.push(this.path());
    }
    if (this.kinds[this.pos] !== T_EOF) this.fail();
    this.finish();
    return freeze({ kind: 'projection', paths: freeze(paths) });
  }
}

/** The clause groups of an update section, added on first use. */
function sectionOf(sections: [string, number[]][], keyword: string): number[] {
  for (const s of sections) if (s[0] === keyword) return s[1];
  const groups: number[] = [];
  sections.push([keyword, groups]);
  return groups;
}

function arityMessage(name: string, count: number): string {
  return `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`;
}

/** The checks made before reading: empty text, size. */
function checkText(text: string, parameter: ExpressionParameter): void {
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      blank = false;
      break;
    }
  }
  if (blank) throw new ValidationException(`Invalid ${parameter}: The expression can not be empty;`);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no count.
  if (text.length * 3 > MAX_EXPRESSION_BYTES) {
    const bytes = utf8Length(text);
    if (bytes > MAX_EXPRESSION_BYTES) {
      throw new ValidationException(
        `Invalid ${parameter}: Expression size has exceeded the maximum allowed size; expression size: ${bytes}`,
      );
    }
  }
}

/** Parses a Condition/Filter/KeyCondition expression (uncached). Throws ValidationException. */
export function parseConditionText(text: string, parameter: ExpressionParameter): ConditionNode {
  checkText(text, parameter);
  return new Parser(tokenize(text), parameter).parseCondition();
}

/** Parses an UpdateExpression (uncached). Throws ValidationException. */
export function parseUpdateText(text: string): UpdateNode {
  checkText(text, 'UpdateExpression');
  return new Parser(tokenize(text), 'UpdateExpression').parseUpdate();
}

/** Parses a ProjectionExpression (uncached). Throws ValidationException. */
export function parseProjectionText(text: string): ProjectionNode {
  checkText(text, 'ProjectionExpression');
  return new Parser(tokenize(text), 'ProjectionExpression').parseProjection();
}
