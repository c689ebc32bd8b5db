import { ValidationException } from '../errors.js';
import { attributeTypeOf, type AttributeValue } from '../model/attribute-value.js';
import { compareNumbers } from '../model/number.js';
import type {
  ConditionNode,
  FunctionNode,
  LiteralNode,
  Operand,
  PathElement,
  PathNode,
  ProjectionNode,
  SetOperand,
  SetValue,
  UpdateAction,
  UpdateNode,
} from './ast.js';
import { MAX_OPERATORS, type ExpressionParameter } from './parser.js';
import { PathTree, renderPath, samePath } from './resolve-paths.js';
import type { Substitutions } from './validate-parameters.js';

/** DynamoDB's limit on the candidates of IN. */
const MAX_IN_CANDIDATES = 100;

/** How DynamoDB prints the set of every type, for an operand whose type is unknown (a path). */
const ANY_TYPE = '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}';
/** attribute_type's type names, in the order DynamoDB lists them. */
const TYPE_NAMES = '{B,NULL,SS,BOOL,L,BS,N,NS,S,M}';
const VALID_TYPE_NAMES: ReadonlySet<string> = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);
/** The names ADD and DELETE print operand types with (DynamoDB's DocumentNodeType). */
const TYPE_LONG_NAMES: Readonly<Record<string, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  M: 'MAP',
  L: 'LIST',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};
const FUNCTION_ARITY: Readonly<Record<FunctionNode['name'], number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
};

function isOrdered(type: string): boolean {
  return type === 'S' || type === 'N' || type === 'B';
}
function isStringOrBinary(type: string): boolean {
  return type === 'S' || type === 'B';
}
function isSet(type: string): boolean {
  return type === 'SS' || type === 'NS' || type === 'BS';
}
/** The types size() measures: String and Binary (bytes), sets (members), List and Map (elements). */
function isSized(type: string): boolean {
  return type === 'S' || type === 'B' || type === 'L' || type === 'M' || isSet(type);
}
function arityMessage(name: string, count: number): string {
  return `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`;
}

/** The one type an operand can have, or undefined when it may be anything (a path, if_not_exists). */
function typeOf(operand: Operand | SetValue): string | undefined {
  switch (operand.kind) {
    case 'literal':
      return attributeTypeOf(operand.value);
    case 'size':
    case 'arithmetic':
      return 'N';
    case 'listAppend':
      return 'L';
    default:
      return undefined;
  }
}

/**
 * The validation and resolution pass over parsed expressions: it swaps every `#name` and `:value` for
 * what the request's substitutions give and checks, in DynamoDB's order, everything that needs them.
 *
 * The order follows DynamoDB's own validator (DynamoDB Local's ExpressionValidator/OperatorValidator,
 * the code the service's messages come from): a post-order walk — an operator's operands first, left to
 * right (names and values resolved as met: "… is not defined"), then the operator itself: its number of
 * operands, its operands' types, "the first operand must be distinct …", its own rules (a document path
 * where required, attribute_type's type name, BETWEEN's bounds, IN's size), then the operator count.
 * An UpdateExpression first resolves and adds every target path to the path tree (overlaps and
 * conflicts), then walks each action's value, then checks ADD/DELETE operand types — both passes over
 * the actions in reverse textual order, the order DynamoDB's parser hands them over.
 *
 * One Resolver serves one request: it records which substitutions the expressions use, for
 * {@link Resolver.checkUnused}.
 */
export class Resolver {
  // Allocated on first use: most requests name no attribute through a placeholder. A value token is used
  // exactly when it has a literal (an undefined one throws), so the literals double as the used values.
  private usedNames: Set<string> | undefined;
  private readonly literals = new Map<string, LiteralNode>();
  private prefix = '';
  private operators = 0;

  constructor(private readonly substitutions: Substitutions) {}

  /** A Condition, Filter or KeyCondition expression. */
  condition(node: ConditionNode, parameter: ExpressionParameter): ConditionNode {
    this.begin(parameter);
    return this.cond(node);
  }

  /** An UpdateExpression. */
  update(node: UpdateNode): UpdateNode {
    this.begin('UpdateExpression');
    const actions = node.actions;
    const n = actions.length;
    const paths = new Array<PathNode>(n);
    const tree = new PathTree(this.prefix);
    for (let i = n - 1; i >= 0; i--) {
      const path = this.path(actions[i]!.path);
      paths[i] = path;
      tree.add(path);
    }
    const out = new Array<UpdateAction>(n);
    for (let i = n - 1; i >= 0; i--) out[i] = this.action(actions[i]!, paths[i]!);
    return { kind: 'update', actions: out };
  }

  /**
   * A ProjectionExpression. Its resolution depends on nothing but the names its placeholders resolve to,
   * so the last one of each parsed tree is kept (frozen) and handed again to a request whose placeholders
   * resolve to the same names: no path tree built again.
   */
  projection(node: ProjectionNode): ProjectionNode {
    this.begin('ProjectionExpression');
    const last = resolvedProjections.get(node);
    if (last !== undefined && this.resolvesTo(node, last.names)) return last.resolved;
    const paths = node.paths;
    const n = paths.length;
    const out = new Array<PathNode>(n);
    const tree = new PathTree(this.prefix);
    for (let i = n - 1; i >= 0; i--) {
      const path = this.path(paths[i]!);
      out[i] = path;
      tree.add(path);
    }
    const resolved: ProjectionNode = deepFreeze({ kind: 'projection', paths: out });
    resolvedProjections.set(node, { names: this.placeholderNames(node), resolved });
    return resolved;
  }

  /** Whether the placeholders of a parsed projection resolve to `names`, in order (marking them used). */
  private resolvesTo(node: ProjectionNode, names: readonly string[]): boolean {
    if (names.length === 0) return true; // no placeholders
    const substitutions = this.substitutions.names;
    let k = 0;
    for (const path of node.paths) {
      for (const e of path.elements) {
        if (e.kind !== 'namePlaceholder') continue;
        const name = substitutions === undefined ? undefined : substitutions[e.token];
        if (typeof name !== 'string' || name !== names[k++]) return false;
        (this.usedNames ??= new Set()).add(e.token);
      }
    }
    return true;
  }

  /** The names the placeholders of a parsed projection resolved to, in order. */
  private placeholderNames(node: ProjectionNode): string[] {
    const names: string[] = [];
    for (const path of node.paths) for (const e of path.elements) if (e.kind === 'namePlaceholder') names.push(this.substitutions.names![e.token]!);
    return names;
  }

  /** Marks a name placeholder used by an expression resolved without this resolver (key-conditions.ts' plans). */
  useName(token: string): void {
    (this.usedNames ??= new Set()).add(token);
  }

  /** Marks a value placeholder, which the substitutions define, used by an expression resolved without this resolver. */
  useValue(token: string): void {
    this.value(token);
  }

  /** Throws for ExpressionAttributeNames, then ExpressionAttributeValues, that no expression used (keys in request order). */
  checkUnused(): void {
    const { names, values } = this.substitutions;
    if (names !== undefined) {
      let unused: string[] | undefined;
      for (const key in names) if (names[key] !== undefined && this.usedNames?.has(key) !== true) (unused ??= []).push(key);
      if (unused !== undefined) {
        throw new ValidationException(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unused.join(', ')}}`);
      }
    }
    if (values !== undefined) {
      let unused: string[] | undefined;
      for (const key of values.keys()) if (!this.literals.has(key)) (unused ??= []).push(key);
      if (unused !== undefined) {
        throw new ValidationException(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unused.join(', ')}}`);
      }
    }
  }

  // ─── common ────────────────────────────────────────────────────────────────────────────────────

  private begin(parameter: ExpressionParameter): void {
    this.prefix = `Invalid ${parameter}: `;
    this.operators = 0;
  }

  private fail(message: string): never {
    throw new ValidationException(this.prefix + message);
  }

  /** Counts an operator or function; DynamoDB allows 300 per expression. */
  private counted(): void {
    if (++this.operators > MAX_OPERATORS) this.fail(`The expression contains too many operators; operator count: ${this.operators}`);
  }

  private path(path: PathNode): PathNode {
    const elements = path.elements;
    let out: PathElement[] | undefined;
    for (let i = 0; i < elements.length; i++) {
      const e = elements[i]!;
      if (e.kind === 'namePlaceholder') {
        (this.usedNames ??= new Set()).add(e.token);
        const names = this.substitutions.names;
        const name = names === undefined ? undefined : names[e.token];
        if (typeof name !== 'string') {
          this.fail(`An expression attribute name used in the document path is not defined; attribute name: ${e.token}`);
        }
        out ??= elements.slice(0, i);
        out.push({ kind: 'name', name });
      } else if (out !== undefined) {
        out.push(e);
      }
    }
    return out === undefined ? path : { kind: 'path', elements: out };
  }

  private value(token: string): LiteralNode {
    const cached = this.literals.get(token);
    if (cached !== undefined) return cached;
    const value = this.substitutions.values?.get(token);
    if (value === undefined) this.fail(`An expression attribute value used in expression is not defined; attribute value: ${token}`);
    const literal: LiteralNode = { kind: 'literal', value };
    this.literals.set(token, literal);
    return literal;
  }

  private operandTypeError(operator: string, type: string): never {
    this.fail(`Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`);
  }

  /** "The first operand must be distinct …": a later operand that is the same document path as the first. */
  private distinct(operator: string, first: Operand | SetOperand, rest: readonly (Operand | SetOperand)[]): void {
    if (first.kind !== 'path') return;
    for (const other of rest) {
      if (other.kind === 'path' && samePath(first, other)) {
        this.fail(
          `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${renderPath(first.elements)}`,
        );
      }
    }
  }

  // ─── conditions ────────────────────────────────────────────────────────────────────────────────

  private cond(node: ConditionNode): ConditionNode {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const left = this.cond(node.left);
        const right = this.cond(node.right);
        this.counted();
        return { kind: node.kind, left, right };
      }
      case 'not': {
        const operand = this.cond(node.operand);
        this.counted();
        return { kind: 'not', operand };
      }
      case 'comparison': {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        const op = node.operator;
        if (op !== '=' && op !== '<>') {
          for (const o of [left, right]) {
            const t = typeOf(o);
            if (t !== undefined && !isOrdered(t)) this.operandTypeError(op, t);
          }
        }
        this.distinct(op, left, [right]);
        this.counted();
        return { kind: 'comparison', operator: op, left, right };
      }
      case 'between': {
        const operand = this.operand(node.operand);
        const low = this.operand(node.low);
        const high = this.operand(node.high);
        for (const o of [operand, low, high]) {
          const t = typeOf(o);
          if (t !== undefined && !isOrdered(t)) this.operandTypeError('BETWEEN', t);
        }
        this.distinct('BETWEEN', operand, [low, high]);
        if (low.kind === 'literal' && high.kind === 'literal') this.betweenBounds(low.value, high.value);
        this.counted();
        return { kind: 'between', operand, low, high };
      }
      case 'in': {
        const operand = this.operand(node.operand);
        const candidates = node.candidates.map((c) => this.operand(c));
        this.distinct('IN', operand, candidates);
        if (candidates.length > MAX_IN_CANDIDATES) {
          this.fail(`The IN operator is provided with too many operands; number of operands: ${candidates.length}`);
        }
        this.counted();
        return { kind: 'in', operand, candidates };
      }
      case 'function':
        return this.func(node);
    }
  }

  private func(node: FunctionNode): FunctionNode {
    const args = node.args.map((a) => this.operand(a));
    const name = node.name;
    if (args.length !== FUNCTION_ARITY[name]) this.fail(arityMessage(name, args.length));
    if (name === 'begins_with') {
      for (const a of args) {
        const t = typeOf(a);
        if (t !== undefined && !isStringOrBinary(t)) this.operandTypeError(name, t);
      }
    }
    const first = args[0]!;
    this.distinct(name, first, args.slice(1));
    if (name === 'attribute_exists' || name === 'attribute_not_exists') {
      if (first.kind !== 'path') this.fail(`Operator or function requires a document path; operator or function: ${name}`);
    } else if (name === 'attribute_type') {
      const typeName = args[1]!;
      if (typeName.kind !== 'literal') this.operandTypeError(name, typeOf(typeName) ?? ANY_TYPE);
      const value = typeName.value;
      if (!('S' in value)) this.operandTypeError(name, attributeTypeOf(value));
      if (!VALID_TYPE_NAMES.has(value.S)) this.fail(`Invalid attribute type name found; type: ${value.S}, valid types: ${TYPE_NAMES}`);
    }
    this.counted();
    return { kind: 'function', name, args };
  }

  private operand(operand: Operand): Operand {
    switch (operand.kind) {
      case 'path':
        return this.path(operand);
      case 'valuePlaceholder':
        return this.value(operand.token);
      case 'literal':
        return operand;
      case 'size': {
        // Its operand first, then its type: a path may hold anything; a value or a size() must be sized
        // (`size(size(a))`: "…, operand type: N"). A value is measured as an attribute would be.
        const inner = this.operand(operand.operand);
        const t = typeOf(inner);
        if (t !== undefined && !isSized(t)) this.operandTypeError('size', t);
        this.counted();
        return { kind: 'size', operand: inner };
      }
    }
  }

  /** BETWEEN with two literal bounds: same type, low ≤ high. */
  private betweenBounds(low: AttributeValue, high: AttributeValue): void {
    const lowType = attributeTypeOf(low);
    const highType = attributeTypeOf(high);
    const bounds = `lower bound operand: ${printValue(low)}, upper bound operand: ${printValue(high)}`;
    if (lowType !== highType) this.fail(`The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
    if (compareScalars(low, high) > 0) this.fail(`The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
  }

  // ─── updates ───────────────────────────────────────────────────────────────────────────────────

  private action(action: UpdateAction, path: PathNode): UpdateAction {
    switch (action.kind) {
      case 'set':
        return { kind: 'set', path, value: this.setValue(action.value) };
      case 'remove':
        return { kind: 'remove', path };
      case 'add':
      case 'delete': {
        const value = action.value.kind === 'literal' ? action.value : this.value(action.value.token);
        const type = attributeTypeOf(value.value);
        const allowed = action.kind === 'add' ? type === 'N' || isSet(type) : isSet(type);
        if (!allowed) {
          const operator = action.kind === 'add' ? 'ADD' : 'DELETE';
          this.fail(
            `Incorrect operand type for operator or function; operator: ${operator}, operand type: ${TYPE_LONG_NAMES[type] ?? type}, ` +
              `typeSet: ALLOWED_FOR_${operator}_OPERAND`,
          );
        }
        return { kind: action.kind, path, value };
      }
    }
  }

  private setValue(value: SetValue): SetValue {
    if (value.kind !== 'arithmetic') return this.setOperand(value);
    const left = this.setOperand(value.left);
    const right = this.setOperand(value.right);
    for (const o of [left, right]) {
      const t = typeOf(o);
      if (t !== undefined && t !== 'N') this.operandTypeError(value.operator, t);
    }
    this.counted();
    return { kind: 'arithmetic', operator: value.operator, left, right };
  }

  private setOperand(operand: SetOperand): SetOperand {
    switch (operand.kind) {
      case 'path':
        return this.path(operand);
      case 'valuePlaceholder':
        return this.value(operand.token);
      case 'literal':
        return operand;
      case 'ifNotExists': {
        // Operands, then their count, then the function's own rules (no operand types to check).
        const raw = operand.args;
        if (raw.length !== 2) this.arity('if_not_exists', raw);
        const path = this.setOperand(raw[0]!);
        const fallback = this.setOperand(raw[1]!);
        if (path.kind === 'path' && fallback.kind === 'path') this.distinct('if_not_exists', path, [fallback]);
        if (path.kind !== 'path') this.fail('Operator or function requires a document path; operator or function: if_not_exists');
        this.counted();
        return { kind: 'ifNotExists', args: [path, fallback] };
      }
      case 'listAppend': {
        // Operands, then their count, then their types.
        const raw = operand.args;
        if (raw.length !== 2) this.arity('list_append', raw);
        const first = this.setOperand(raw[0]!);
        const second = this.setOperand(raw[1]!);
        let t = typeOf(first);
        if (t !== undefined && t !== 'L') this.operandTypeError('list_append', t);
        t = typeOf(second);
        if (t !== undefined && t !== 'L') this.operandTypeError('list_append', t);
        this.counted();
        return { kind: 'listAppend', args: [first, second] };
      }
    }
  }

  /** A function without two operands: resolves them all (an undefined name or value wins), then fails on the count. */
  private arity(name: string, operands: readonly SetOperand[]): never {
    for (const o of operands) this.setOperand(o);
    return this.fail(arityMessage(name, operands.length));
  }
}

/** The last resolution of each parsed projection (Resolver.projection). Weak: it goes with its parsed tree. */
const resolvedProjections = new WeakMap<ProjectionNode, { readonly names: readonly string[]; readonly resolved: ProjectionNode }>();

/** Freezes a resolved tree and everything in it (plain objects and arrays), so requests may share it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

/** An AttributeValue the way DynamoDB prints it in BETWEEN's messages: `AttributeValue: {N:5}`. */
function printValue(value: AttributeValue): string {
  if ('S' in value) return `AttributeValue: {S:${value.S}}`;
  if ('N' in value) return `AttributeValue: {N:${value.N}}`;
  if ('B' in value) return `AttributeValue: {B:${base64(value.B)}}`;
  const type = attributeTypeOf(value);
  return `AttributeValue: {${type}:${JSON.stringify((value as Record<string, unknown>)[type])}}`;
}

/** Orders two N, S or B values of the same type (0 for anything else). */
export function compareScalars(a: AttributeValue, b: AttributeValue): number {
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('S' in a && 'S' in b) return compareCodePoints(a.S, b.S);
  if ('B' in a && 'B' in b) {
    const x = a.B;
    const y = b.B;
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length - y.length;
  }
  return 0;
}

/** Unicode code point (= UTF-8 byte) order. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const n = (a << 16) | (b << 8) | c;
    out += BASE64[n >> 18]! + BASE64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63]! : '=';
  }
  return out;
}
