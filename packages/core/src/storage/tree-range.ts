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

/**
 * Visits the entries of a tree of string keys in [low, high) — [low, high] when `highIncluded` — from the
 * greatest down, until `visit` returns false: a Query with ScanIndexForward false. Like visitTreeRange it
 * descends once (by `high`) and binary-searches `low` once per leaf; sorted-btree's entriesReversed
 * makes an iterator result per entry and compares every key through its comparator.
 * O(log n + entries visited).
 */
export function visitTreeRangeReversed<V>(
  tree: BTree<string, V>,
  low: string,
  high: string,
  highIncluded: boolean,
  visit: (key: string, value: V) => boolean,
): void {
  visitNodeReversed((tree as unknown as { _root: TreeNode<V> })._root, low, high, highIncluded, visit);
}

/** Visits a node's entries from `high` (undefined: from its last) down to `low`; false once the range ended or `visit` stopped. */
function visitNodeReversed<V>(
  node: TreeNode<V>,
  low: string,
  high: string | undefined,
  highIncluded: boolean,
  visit: (key: string, value: V) => boolean,
): boolean {
  const keys = node.keys;
  const children = node.children;
  if (children === undefined) {
    const end = high === undefined ? keys.length : highIncluded ? upperBound(keys, high) : lowerBound(keys, high, 0);
    const start = lowerBound(keys, low, 0, end);
    const values = node.values;
    for (let i = end - 1; i >= start; i--) if (!visit(keys[i]!, values[i]!)) return false;
    return start === 0;
  }
  // keys[i] is child i's greatest key: the first at or above `high` names the child holding it (or the last child).
  let i = high === undefined ? children.length - 1 : Math.min(lowerBound(keys, high, 0), children.length - 1);
  if (!visitNodeReversed(children[i]!, low, high, highIncluded, visit)) return false;
  // A child whose greatest key is below `low` holds nothing of the range, nor does any before it.
  for (i--; i >= 0 && !(keys[i]! < low); i--) if (!visitNodeReversed(children[i]!, low, undefined, false, visit)) return false;
  return i < 0;
}

/** The first index in [from, to) whose key is not below `bound` (`to` if none). */
function lowerBound(keys: readonly string[], bound: string, from: number, to: number = keys.length): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < bound) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first index whose key is above `bound` (keys.length if none). */
function upperBound(keys: readonly string[], bound: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! <= bound) low = mid + 1;
    else high = mid;
  }
  return low;
}
