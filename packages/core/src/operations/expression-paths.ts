import { ValidationException } from '../errors.js';
import type { ConditionNode, Operand, PathNode, ProjectionNode } from '../expressions/ast.js';
import { keyAttributesOf } from '../model/key-schema.js';
import type { TableState } from '../tables/table-state.js';

/* The document paths of Query's and Scan's filters and projections, and the checks on key attributes among them. */

/** Calls `visit` with every document path of a condition. */
function forEachPath(node: ConditionNode, visit: (path: PathNode) => void): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      forEachPath(node.left, visit);
      forEachPath(node.right, visit);
      return;
    case 'not':
      forEachPath(node.operand, visit);
      return;
    case 'comparison':
      operandPaths(node.left, visit);
      operandPaths(node.right, visit);
      return;
    case 'between':
      operandPaths(node.operand, visit);
      operandPaths(node.low, visit);
      operandPaths(node.high, visit);
      return;
    case 'in':
      operandPaths(node.operand, visit);
      for (const candidate of node.candidates) operandPaths(candidate, visit);
      return;
    case 'function':
      for (const arg of node.args) operandPaths(arg, visit);
      return;
  }
}

function operandPaths(operand: Operand, visit: (path: PathNode) => void): void {
  if (operand.kind === 'path') visit(operand);
  else if (operand.kind === 'size') operandPaths(operand.operand, visit);
}

function headOf(path: PathNode): string {
  const first = path.elements[0];
  return first !== undefined && first.kind === 'name' ? first.name : '';
}

/**
 * "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: a"
 * (or "IndexKey: x") for a nested path into a table key attribute or any index's key attribute
 * (dynalite db/index.js validateKeyPaths: the table's key, then each GSI's, then each LSI's sort key).
 */
export function checkKeyPaths(paths: readonly PathNode[], table: TableState): void {
  let nested: Set<string> | undefined;
  for (const path of paths) if (path.elements.length > 1) (nested ??= new Set()).add(headOf(path));
  if (nested === undefined) return;
  const message = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ";
  for (const attribute of keyAttributesOf(table.keySchema)) if (nested.has(attribute.name)) throw new ValidationException(`${message}Key: ${attribute.name}`);
  for (const index of table.indexes) {
    if (index.kind !== 'GSI') continue;
    for (const attribute of keyAttributesOf(index.keySchema)) if (nested.has(attribute.name)) throw new ValidationException(`${message}IndexKey: ${attribute.name}`);
  }
  for (const index of table.indexes) {
    if (index.kind !== 'LSI') continue;
    for (const attribute of index.keySchema.sortKeys) if (nested.has(attribute.name)) throw new ValidationException(`${message}IndexKey: ${attribute.name}`);
  }
}

/** Every path of a condition (for checkKeyPaths). */
export function conditionPaths(node: ConditionNode | undefined): PathNode[] {
  const out: PathNode[] = [];
  if (node !== undefined) forEachPath(node, (path) => out.push(path));
  return out;
}

/** The top-level attribute names a condition reads. */
export function conditionHeads(node: ConditionNode): Set<string> {
  const out = new Set<string>();
  forEachPath(node, (path) => out.add(headOf(path)));
  return out;
}

/** The heads of each shared projection: a resolved ProjectionExpression is frozen and reused by requests (Resolver.projection). */
const headsOfProjection = new WeakMap<ProjectionNode, ReadonlySet<string>>();

/** The top-level attribute names a projection returns (kept for a frozen, shared projection). */
export function projectionHeads(projection: ProjectionNode): ReadonlySet<string> {
  let heads = headsOfProjection.get(projection);
  if (heads !== undefined) return heads;
  const out = new Set<string>();
  for (const path of projection.paths) out.add(headOf(path));
  if (Object.isFrozen(projection)) headsOfProjection.set(projection, out);
  return out;
}
