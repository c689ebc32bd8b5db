import { headOf, type KeyNode, type KeyTree, lowerBound, SLOT_LIMIT, slotOfMark, upperBound } from './key-tree.js';

/**
 * Visits the entries of a key tree (encoded storage keys → slots) in [low, high), in order, until `visit`
 * returns false: Query and Scan's inner loop. It descends once by `low`, then binary-searches `high` in
 * each leaf it reaches. O(log n + entries visited).
 */
export function visitTreeRange(tree: KeyTree, low: string, high: string, visit: (key: string, slot: number) => boolean): void {
  visitNode(tree.rootNode, low, headOf(low) * SLOT_LIMIT, high, headOf(high) * SLOT_LIMIT, visit);
}

/** Visits a node's entries from `low` (undefined: from its first) below `high`; false once the range ended or `visit` stopped. */
function visitNode(
  node: KeyNode,
  low: string | undefined,
  lowMark: number,
  high: string,
  highMark: number,
  visit: (key: string, slot: number) => boolean,
): boolean {
  // In an internal node, keys[i] is child i's greatest key: the first at or above `low` names the child to enter.
  let i = low === undefined ? 0 : lowerBound(node, low, lowMark, 0);
  const children = node.children;
  if (children === undefined) {
    const end = lowerBound(node, high, highMark, i);
    const keys = node.keys;
    const marks = node.marks;
    for (; i < end; i++) if (!visit(keys[i]!, slotOfMark(marks[i]!))) return false;
    return end === keys.length;
  }
  if (i < children.length && !visitNode(children[i]!, low, lowMark, high, highMark, visit)) return false;
  for (i++; i < children.length; i++) if (!visitNode(children[i]!, undefined, 0, high, highMark, visit)) return false;
  return true;
}

/**
 * Visits the entries of a key tree in [low, high) — [low, high] when `highIncluded` — from the greatest
 * down, until `visit` returns false: a Query with ScanIndexForward false. Like visitTreeRange it descends
 * once (by `high`) and binary-searches `low` once per leaf. O(log n + entries visited).
 */
export function visitTreeRangeReversed(
  tree: KeyTree,
  low: string,
  high: string,
  highIncluded: boolean,
  visit: (key: string, slot: number) => boolean,
): void {
  visitNodeReversed(tree.rootNode, low, headOf(low) * SLOT_LIMIT, high, headOf(high) * SLOT_LIMIT, highIncluded, visit);
}

/** Visits a node's entries from `high` (undefined: from its last) down to `low`; false once the range ended or `visit` stopped. */
function visitNodeReversed(
  node: KeyNode,
  low: string,
  lowMark: number,
  high: string | undefined,
  highMark: number,
  highIncluded: boolean,
  visit: (key: string, slot: number) => boolean,
): boolean {
  const keys = node.keys;
  const children = node.children;
  if (children === undefined) {
    const end = high === undefined ? keys.length : highIncluded ? upperBound(node, high, highMark) : lowerBound(node, high, highMark, 0);
    const start = lowerBound(node, low, lowMark, 0, end);
    const marks = node.marks;
    for (let i = end - 1; i >= start; i--) if (!visit(keys[i]!, slotOfMark(marks[i]!))) return false;
    return start === 0;
  }
  // keys[i] is child i's greatest key: the first at or above `high` names the child holding it (or the last child).
  let i = high === undefined ? children.length - 1 : Math.min(lowerBound(node, high, highMark, 0), children.length - 1);
  if (!visitNodeReversed(children[i]!, low, lowMark, high, highMark, highIncluded, visit)) return false;
  // A child whose greatest key is below `low` holds nothing of the range, nor does any before it.
  for (i--; i >= 0 && !(node.marks[i]! < lowMark || (node.marks[i]! < lowMark + SLOT_LIMIT && keys[i]! < low)); i--) {
    if (!visitNodeReversed(children[i]!, low, lowMark, undefined, 0, false, visit)) return false;
  }
  return i < 0;
}
