import type { BTree } from './btree.js';

/** A sorted-btree node as its 2.x implementation lays it out (as tree-diff.ts reads it). */
interface TreeNode<V> {
  /** A leaf's keys, or an internal node's children's greatest keys. */
  readonly keys: readonly string[];
  readonly values: readonly V[];
  readonly children?: ReadonlyArray<TreeNode<V>>;
}

/**
 * Visits the entries of a tree of string keys (encoded storage keys) in [low, high), in order, until
 * `visit` returns false. Query and Scan's inner loop: sorted-btree's forRange binary-searches both
 * bounds in every node it enters and calls its comparator for each step; this descends once by `low`
 * and then compares each key with `high` by `<` alone. O(log n + entries visited).
 */
export function visitTreeRange<V>(tree: BTree<string, V>, low: string, high: string, visit: (key: string, value: V) => boolean): void {
  visitNode((tree as unknown as { _root: TreeNode<V> })._root, low, high, visit);
}

/** Returns false once the range ended or `visit` stopped. */
function visitNode<V>(node: TreeNode<V>, low: string, high: string, visit: (key: string, value: V) => boolean): boolean {
  const keys = node.keys;
  // The first key at or above `low` (in an internal node: the first child holding one).
  let i = 0;
  let end = keys.length;
  while (i < end) {
    const mid = (i + end) >>> 1;
    if (keys[mid]! < low) i = mid + 1;
    else end = mid;
  }
  const children = node.children;
  if (children === undefined) {
    const values = node.values;
    for (; i < keys.length; i++) {
      const key = keys[i]!;
      if (!(key < high) || !visit(key, values[i]!)) return false;
    }
    return true;
  }
  for (; i < children.length; i++) if (!visitNode(children[i]!, low, high, visit)) return false;
  return true;
}
