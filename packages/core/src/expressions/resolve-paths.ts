import { ValidationException } from '../errors.js';
import type { PathElement, PathNode } from './ast.js';

/**
 * Document paths as DynamoDB prints them in messages: `[a, b, [3]]` — names as they are (also a name
 * that looks like an index), list indexes as `[n]`.
 */
export function renderPath(elements: readonly PathElement[]): string {
  let out = '[';
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    if (i > 0) out += ', ';
    out += e.kind === 'index' ? `[${e.index}]` : e.kind === 'name' ? e.name : e.token;
  }
  return out + ']';
}

/** Whether two resolved paths are the same path. */
export function samePath(a: PathNode, b: PathNode): boolean {
  const x = a.elements;
  const y = b.elements;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p.kind === 'index') {
      if (q.kind !== 'index' || q.index !== p.index) return false;
    } else if (p.kind === 'name') {
      if (q.kind !== 'name' || q.name !== p.name) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** A key of the path tree: a name (string) or a list index (number); a Map tells `"1"` and `1` apart. */
type TreeKey = string | number;
/** A node of the path tree; `null` marks the end of a path (a leaf). */
interface TreeNode {
  readonly children: Map<TreeKey, TreeNode | null>;
}

function keyOf(e: PathElement): TreeKey {
  return e.kind === 'index' ? e.index : e.kind === 'name' ? e.name : e.token;
}

function elementOf(key: TreeKey): PathElement {
  return typeof key === 'number' ? { kind: 'index', index: key } : { kind: 'name', name: key };
}

/**
 * The paths of an UpdateExpression or a ProjectionExpression, as DynamoDB checks them: each path is
 * added to a tree of path elements, and adding fails
 *
 *  - with "Two document paths overlap …" when the path ends at, or runs through the end of, a path added
 *    before (`a` and `a.b`, or `a` twice);
 *  - with "Two document paths conflict …" when, where the path leaves the tree, the siblings it would join
 *    are of the other kind (a map key among list indexes or the reverse: `a.b` and `a[1]`).
 *
 * "path one" is the path being added, "path two" is the path in the tree from the root to a leaf through
 * the point of collision — always taking the first child (DynamoDB Local's ExpressionValidator, which
 * takes its HashMap's first key; in insertion order here). Callers add the paths in reverse textual order,
 * as DynamoDB's parser hands them over (its listener pops them off a stack): this is what makes dynalite's
 * verified cases come out, e.g. `set d[1] = a, d.b = a, c[1].a = a, #c = …` reports the overlap of
 * [c, [1], a] with [c], not the earlier conflict of the d paths.
 */
export class PathTree {
  private readonly root: TreeNode = { children: new Map() };

  constructor(private readonly prefix: string) {}

  add(path: PathNode): void {
    const elements = path.elements;
    let node = this.root;
    for (let i = 0; i < elements.length; i++) {
      const key = keyOf(elements[i]!);
      const children = node.children;
      if (!children.has(key)) {
        const first = firstKey(children);
        if (first !== undefined && typeof first !== typeof key) this.fail('conflict', elements, i, node);
        children.set(key, chain(elements, i + 1));
        return;
      }
      const child = children.get(key)!;
      if (child !== null && i + 1 < elements.length) {
        node = child;
        continue;
      }
      this.fail('overlap', elements, i, node);
    }
  }

  private fail(kind: 'overlap' | 'conflict', elements: readonly PathElement[], depth: number, node: TreeNode): never {
    const two: PathElement[] = [];
    for (let i = 0; i < depth; i++) two.push(elements[i]!);
    let current: TreeNode | null = node;
    while (current !== null && current.children.size > 0) {
      const key: TreeKey = firstKey(current.children)!;
      two.push(elementOf(key));
      current = current.children.get(key) ?? null;
    }
    throw new ValidationException(
      `${this.prefix}Two document paths ${kind} with each other; must remove or rewrite one of these paths; ` +
        `path one: ${renderPath(elements)}, path two: ${renderPath(two)}`,
    );
  }
}

function firstKey(map: Map<TreeKey, TreeNode | null>): TreeKey | undefined {
  for (const key of map.keys()) return key;
  return undefined;
}

function chain(elements: readonly PathElement[], from: number): TreeNode | null {
  if (from >= elements.length) return null;
  const node: TreeNode = { children: new Map() };
  node.children.set(keyOf(elements[from]!), chain(elements, from + 1));
  return node;
}
