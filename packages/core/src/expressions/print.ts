import type {
  ConditionNode,
  Operand,
  PathNode,
  ProjectionNode,
  SetOperand,
  SetValue,
  UpdateAction,
  UpdateNode,
} from './ast.js';

/**
 * Prints unresolved ASTs back to expression text, with parentheses exactly where precedence needs them
 * (never two pairs around one thing, which DynamoDB rejects). For a tree the parser produced,
 * `parse(print(tree))` deep-equals `tree`.
 *
 * Literal names print as written, so a name that is a reserved word or not a plain identifier prints text
 * that does not parse back; `literal` nodes (resolved values) have no expression text and throw.
 */

/** `a.#b[3]` */
export function printPath(path: PathNode): string {
  let out = '';
  for (const element of path.elements) {
    switch (element.kind) {
      case 'name':
        out += out === '' ? element.name : `.${element.name}`;
        break;
      case 'namePlaceholder':
        out += out === '' ? element.token : `.${element.token}`;
        break;
      case 'index':
        out += `[${element.index}]`;
        break;
    }
  }
  return out;
}

/** An operand of a comparison, BETWEEN, IN or function. */
function printOperand(operand: Operand): string {
  switch (operand.kind) {
    case 'path':
      return printPath(operand);
    case 'valuePlaceholder':
      return operand.token;
    case 'size':
      return `size(${printOperand(operand.operand)})`;
    case 'literal':
      throw new TypeError('A literal value has no expression text');
  }
}

// Precedence levels, loosest first. A child printed where a tighter level is needed gets parentheses.
const OR = 1;
const AND = 2;
const NOT = 3;
const PRIMARY = 4;

function levelOf(node: ConditionNode): number {
  switch (node.kind) {
    case 'or':
      return OR;
    case 'and':
      return AND;
    case 'not':
      return NOT;
    default:
      return PRIMARY;
  }
}

function printAt(node: ConditionNode, minLevel: number): string {
  const text = printCondition(node);
  return levelOf(node) < minLevel ? `(${text})` : text;
}

/** A Condition, Filter or KeyCondition expression. AND and OR group to the left, as the parser reads them. */
export function printCondition(node: ConditionNode): string {
  switch (node.kind) {
    case 'or':
      return `${printAt(node.left, OR)} OR ${printAt(node.right, AND)}`;
    case 'and':
      return `${printAt(node.left, AND)} AND ${printAt(node.right, NOT)}`;
    case 'not':
      return `NOT ${printAt(node.operand, NOT)}`;
    case 'comparison':
      return `${printOperand(node.left)} ${node.operator} ${printOperand(node.right)}`;
    case 'between':
      return `${printOperand(node.operand)} BETWEEN ${printOperand(node.low)} AND ${printOperand(node.high)}`;
    case 'in':
      return `${printOperand(node.operand)} IN (${node.candidates.map(printOperand).join(', ')})`;
    case 'function':
      return `${node.name}(${node.args.map(printOperand).join(', ')})`;
  }
}

function printSetOperand(operand: SetOperand): string {
  switch (operand.kind) {
    case 'path':
      return printPath(operand);
    case 'valuePlaceholder':
      return operand.token;
    case 'ifNotExists':
      return `if_not_exists(${operand.args.map(printSetOperand).join(', ')})`;
    case 'listAppend':
      return `list_append(${operand.args.map(printSetOperand).join(', ')})`;
    case 'literal':
      throw new TypeError('A literal value has no expression text');
  }
}

function printSetValue(value: SetValue): string {
  if (value.kind === 'arithmetic') {
    return `${printSetOperand(value.left)} ${value.operator} ${printSetOperand(value.right)}`;
  }
  return printSetOperand(value);
}

function printAction(action: UpdateAction): string {
  switch (action.kind) {
    case 'set':
      return `${printPath(action.path)} = ${printSetValue(action.value)}`;
    case 'remove':
      return printPath(action.path);
    case 'add':
    case 'delete':
      if (action.value.kind === 'literal') throw new TypeError('A literal value has no expression text');
      return `${printPath(action.path)} ${action.value.token}`;
  }
}

const KEYWORD: Readonly<Record<UpdateAction['kind'], string>> = {
  set: 'SET',
  remove: 'REMOVE',
  add: 'ADD',
  delete: 'DELETE',
};

/** An UpdateExpression: one clause per run of actions of the same kind, in the order of the actions. */
export function printUpdate(node: UpdateNode): string {
  let out = '';
  let previous: UpdateAction['kind'] | undefined;
  for (const action of node.actions) {
    if (action.kind !== previous) {
      out += `${out === '' ? '' : ' '}${KEYWORD[action.kind]} `;
      previous = action.kind;
    } else out += ', ';
    out += printAction(action);
  }
  return out;
}

/** A ProjectionExpression. */
export function printProjection(node: ProjectionNode): string {
  return node.paths.map(printPath).join(', ');
}
