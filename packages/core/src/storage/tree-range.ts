import type { BTree } from './btree.js';

/** A sorted-btree node as its 2.x implementation lays it out. */
interface TreeNode<V> {
  /** A leaf's keys, or an internal node's children's greatest keys. */
  readonly keys: readonly string[];
  readonly values: readonly V[];
  readonly children?: ReadonlyArray<TreeNode<V>>;
}

/**
 * Visits the entries of a tree of string keys (encoded storage keys) in [low, high), in order, until
 * `visit` returns false. Query and Scan's inner loop: sorted-btree's forRange binary-searches both
 * bounds in every node it enters through its comparator and checks each entry; this descends once by
 * `low`, then binary-searches `high` in each leaf it reaches with `<` alone. O(log n + entries visited).
 */
export function visitTreeRange<V>(tree: BTree<string, V>, low: string, high: string, visit: (key: string, value: V) => boolean): void {
  visitNode((tree as unknown as { _root: TreeNode<V> })._root, low, high, visit);
}

/** Visits a node's entries from `low` (undefined: from its first) below `high`; false once the range ended or `visit` stopped. */
function visitNode<V>(node: TreeNode<V>, low: string | undefined, high: string, visit: (key: string, value: V) => boolean): boolean {
  const keys = node.keys;
  // In an internal node, keys[i] is child i's greatest key: the first at or above `low` names the child to enter.
  let i = low === undefined ? 0 : lowerBound(keys, low, 0);
  const children = node.children;
  if (children === undefined) {
    const end = lowerBound(keys, high, i);
    const values = node.values;
    for (; i < end; i++) if (!visit(keys[i]!, values[i]!)) return false;
    return end === keys.length;
  }
  if (i < children.length && !visitNode(children[i]!, low, high, visit)) return false;
  for (i++; i < children.length; i++) if (!visitNode(children[i]!, undefined, high, visit)) return false;
  return true;
}

/** The first index from `from` whose key is not below `bound` (keys.length if none). */
function lowerBound(keys: readonly string[], bound: string, from: number): number {
  let low = from;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < bound) low = mid + 1;
    else high = mid;
  }
  return low;
}
