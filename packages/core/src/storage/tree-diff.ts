import type { BTree } from './btree.js';

/** A sorted-btree node as its 2.x implementation lays it out: a leaf has values, an internal node children. */
interface TreeNode<K, V> {
  /** A leaf's keys, or an internal node's children's greatest keys. */
  readonly keys: readonly K[];
  readonly values: readonly V[];
  readonly children?: ReadonlyArray<TreeNode<K, V>>;
}

/** What differs between two trees, key by key. */
export interface TreeDifference<K, V> {
  /** A key only `a` holds. */
  onlyA(key: K, value: V): void;
  /** A key only `b` holds. */
  onlyB(key: K, value: V): void;
  /** A key both hold, with different values (compared by identity). */
  different(key: K, valueA: V, valueB: V): void;
}

/**
 * Reports every difference between two trees of one lineage (one a clone of the other, both written since),
 * skipping every subtree they still share: O(leaves written since the clone × node size), whatever they
 * hold. sorted-btree's own diffAgainst does the same walk an order of magnitude slower (its cursors
 * compare keys at every step), which made it the whole cost of `db.rollback`. Where the trees' shapes
 * part (a node split or merged in one), the children below are paired by their ranges instead.
 */
export function diffTrees<K, V>(a: BTree<K, V>, b: BTree<K, V>, compare: (x: K, y: K) => number, report: TreeDifference<K, V>): void {
  diffRuns([rootOf(a)], [rootOf(b)], compare, report);
}

function rootOf<K, V>(tree: BTree<K, V>): TreeNode<K, V> {
  return (tree as unknown as { _root: TreeNode<K, V> })._root;
}

/**
 * Diffs two runs of nodes of one level that cover the same keys: equal single nodes are shared and
 * skipped; runs of internal nodes go down a level; leaves (or runs of mixed heights) merge their entries.
 */
function diffRuns<K, V>(a: ReadonlyArray<TreeNode<K, V>>, b: ReadonlyArray<TreeNode<K, V>>, compare: (x: K, y: K) => number, report: TreeDifference<K, V>): void {
  if (a.length === 1 && b.length === 1 && a[0] === b[0]) return;
  if (a.length === 0 || b.length === 0 || !a.every(isInternal) || !b.every(isInternal)) {
    diffEntries(a, b, compare, report);
    return;
  }
  const [aChildren, aBounds] = childrenOf(a);
  const [bChildren, bBounds] = childrenOf(b);
  // Each child's key in its parent bounds its range from above: two runs of children whose last bounds are
  // equal (and whose previous runs closed equal) cover the same keys. Written paths close again at the
  // next child the trees share, so runs stay short.
  let i = 0;
  let j = 0;
  while (i < aChildren.length && j < bChildren.length) {
    const startA = i;
    const startB = j;
    let order = compare(aBounds[i++]!, bBounds[j++]!);
    while (order !== 0 && (order < 0 ? i < aChildren.length : j < bChildren.length)) {
      if (order < 0) i++;
      else j++;
      order = compare(aBounds[i - 1]!, bBounds[j - 1]!);
    }
    // A run that never closes takes the rest of both sides.
    if (order !== 0) {
      i = aChildren.length;
      j = bChildren.length;
    }
    diffRuns(aChildren.slice(startA, i), bChildren.slice(startB, j), compare, report);
  }
  if (i < aChildren.length || j < bChildren.length) diffRuns(aChildren.slice(i), bChildren.slice(j), compare, report);
}

function isInternal<K, V>(node: TreeNode<K, V>): boolean {
  return node.children !== undefined;
}

/** The children of a run of internal nodes, in order, with their bounds (their keys in their parents). */
function childrenOf<K, V>(nodes: ReadonlyArray<TreeNode<K, V>>): [Array<TreeNode<K, V>>, K[]] {
  if (nodes.length === 1) return [nodes[0]!.children as Array<TreeNode<K, V>>, nodes[0]!.keys as K[]];
  const children: Array<TreeNode<K, V>> = [];
  const bounds: K[] = [];
  for (const node of nodes) {
    children.push(...node.children!);
    bounds.push(...node.keys);
  }
  return [children, bounds];
}

/** Merges the entries under two runs of nodes (covering the same keys) in key order. */
function diffEntries<K, V>(a: ReadonlyArray<TreeNode<K, V>>, b: ReadonlyArray<TreeNode<K, V>>, compare: (x: K, y: K) => number, report: TreeDifference<K, V>): void {
  const [aKeys, aValues] = entriesOf(a);
  const [bKeys, bValues] = entriesOf(b);
  let i = 0;
  let j = 0;
  while (i < aKeys.length && j < bKeys.length) {
    const order = compare(aKeys[i]!, bKeys[j]!);
    if (order === 0) {
      if (aValues[i] !== bValues[j]) report.different(aKeys[i]!, aValues[i]!, bValues[j]!);
      i++;
      j++;
    } else if (order < 0) {
      report.onlyA(aKeys[i]!, aValues[i]!);
      i++;
    } else {
      report.onlyB(bKeys[j]!, bValues[j]!);
      j++;
    }
  }
  for (; i < aKeys.length; i++) report.onlyA(aKeys[i]!, aValues[i]!);
  for (; j < bKeys.length; j++) report.onlyB(bKeys[j]!, bValues[j]!);
}

function entriesOf<K, V>(nodes: ReadonlyArray<TreeNode<K, V>>, keys: K[] = [], values: V[] = []): [K[], V[]] {
  for (const node of nodes) {
    if (node.children !== undefined) entriesOf(node.children, keys, values);
    else {
      for (let i = 0; i < node.keys.length; i++) {
        keys.push(node.keys[i]!);
        values.push(node.values[i]!);
      }
    }
  }
  return [keys, values];
}
