/**
 * A copy-on-write B+ tree from encoded storage keys (strings, in code unit order) to slot numbers, for a
 * partition's items. sorted-btree's tree does the same through a comparator; this one keeps, beside each
 * node's keys, one number per key holding an order-preserving summary of the key's first three code units
 * (its "head"; for a storage key, its hash prefix), and in a leaf the key's slot too. A binary search
 * compares heads and reads a key string only when heads are equal, so a descent through a big table
 * touches few of the strings scattered over the heap (each one a cache miss on a cold read). Packing the
 * slot with the head keeps the heap per item as sorted-btree's.
 */

/** Heads are multiplied by this and slots added: a slot must be below it. 2^28 slots, far past a heap's reach. */
export const SLOT_LIMIT = 2 ** 28;
const INVERSE_SLOT_LIMIT = 2 ** -28;
const DEFAULT_MAX_NODE_SIZE = 64;

/**
 * A node: a leaf holds keys and their marks (head × SLOT_LIMIT + slot); an internal node holds, for each
 * child, the child's greatest key and that key's head × SLOT_LIMIT. A shared node (reachable from more
 * than one tree) is copied before a write changes it.
 */
export class KeyNode {
  constructor(
    public keys: string[],
    public marks: number[],
    public children: KeyNode[] | undefined,
    public shared = false,
  ) {}
}

/**
 * A key's head: its first three code units as base-258 digits, each 1 + the unit for units below 256, 257
 * for a unit at or above 256 (whose following digits are then 0), 0 for a missing unit. If a key sorts
 * before another, its head is not greater (< 2^25, so head × SLOT_LIMIT + slot is an exact double).
 */
export function headOf(key: string): number {
  const n = key.length;
  if (n === 0) return 0;
  const c0 = key.charCodeAt(0);
  if (c0 > 255) return 257 * 258 * 258;
  if (n === 1) return (c0 + 1) * 258 * 258;
  const c1 = key.charCodeAt(1);
  if (c1 > 255) return ((c0 + 1) * 258 + 257) * 258;
  if (n === 2) return ((c0 + 1) * 258 + c1 + 1) * 258;
  const c2 = key.charCodeAt(2);
  return ((c0 + 1) * 258 + c1 + 1) * 258 + (c2 > 255 ? 257 : c2 + 1);
}

/** The slot a leaf mark holds. */
export function slotOfMark(mark: number): number {
  return mark - Math.floor(mark * INVERSE_SLOT_LIMIT) * SLOT_LIMIT;
}

/**
 * The first index in [from, to) whose key is not below `bound` (`to` if none); `low` is the bound's
 * head × SLOT_LIMIT: a mark below it is a smaller key, at or past low + SLOT_LIMIT a greater one.
 */
export function lowerBound(node: KeyNode, bound: string, low: number, from: number, to: number = node.keys.length): number {
  const marks = node.marks;
  const keys = node.keys;
  const high = low + SLOT_LIMIT;
  let first = from;
  let last = to;
  while (first < last) {
    const mid = (first + last) >>> 1;
    const mark = marks[mid]!;
    if (mark < low || (mark < high && keys[mid]! < bound)) first = mid + 1;
    else last = mid;
  }
  return first;
}

/** The first index whose key is above `bound` (keys.length if none); `low` as in lowerBound. */
export function upperBound(node: KeyNode, bound: string, low: number): number {
  const marks = node.marks;
  const keys = node.keys;
  const high = low + SLOT_LIMIT;
  let first = 0;
  let last = keys.length;
  while (first < last) {
    const mid = (first + last) >>> 1;
    const mark = marks[mid]!;
    if (mark < low || (mark < high && keys[mid]! <= bound)) first = mid + 1;
    else last = mid;
  }
  return first;
}

/** A writable version of `node`: itself, or a copy if it is shared (whose children become shared). */
function own(node: KeyNode): KeyNode {
  if (!node.shared) return node;
  const children = node.children;
  if (children !== undefined) for (const child of children) child.shared = true;
  return new KeyNode(node.keys.slice(), node.marks.slice(), children?.slice());
}

/** The mark an internal node keeps for `child`: its greatest key's head × SLOT_LIMIT. */
function markOf(child: KeyNode): number {
  return Math.floor(child.marks[child.marks.length - 1]! * INVERSE_SLOT_LIMIT) * SLOT_LIMIT;
}

/** Sets the entry of `node`'s child `i` to the child's greatest key. */
function refresh(node: KeyNode, i: number): void {
  const child = node.children![i]!;
  node.keys[i] = child.keys[child.keys.length - 1]!;
  node.marks[i] = markOf(child);
}

/** Moves the entries [from, to) of a node into a new node (a split, or a bulk load's slice). */
function slice(node: KeyNode, from: number, to: number): KeyNode {
  return new KeyNode(node.keys.slice(from, to), node.marks.slice(from, to), node.children?.slice(from, to));
}

/** A B+ tree from storage keys to slots (see the file comment). */
export class KeyTree {
  private root: KeyNode = new KeyNode([], [], undefined);
  private count = 0;
  /** A node with fewer entries than this (but the root) borrows from or merges with a sibling. */
  private readonly minNodeSize: number;

  /** An empty tree whose nodes hold at most `maxNodeSize` entries (at least 4; small sizes are for tests). */
  constructor(readonly maxNodeSize: number = DEFAULT_MAX_NODE_SIZE) {
    if (!(Number.isInteger(maxNodeSize) && maxNodeSize >= 4)) throw new Error(`KeyTree needs a maxNodeSize of at least 4, got ${maxNodeSize}`);
    this.minNodeSize = maxNodeSize >>> 1;
  }

  /** The number of keys. O(1). */
  get size(): number {
    return this.count;
  }

  /** The root node (for the range walks of tree-range.ts). */
  get rootNode(): KeyNode {
    return this.root;
  }

  /** The slot under `key`, if any. O(log n). */
  get(key: string): number | undefined {
    const low = headOf(key) * SLOT_LIMIT;
    let node = this.root;
    for (;;) {
      const i = lowerBound(node, key, low, 0);
      if (i === node.keys.length) return undefined;
      if (node.children === undefined) return node.keys[i] === key ? slotOfMark(node.marks[i]!) : undefined;
      node = node.children[i]!;
    }
  }

  /** Whether `key` is in the tree. O(log n). */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The least key, if any. O(log n). */
  minKey(): string | undefined {
    let node = this.root;
    while (node.children !== undefined) node = node.children[0]!;
    return node.keys[0];
  }

  /** Stores `slot` under `key`; true if the key is new. O(log n); copies the shared nodes on its path. */
  set(key: string, slot: number): boolean {
    if (!(Number.isInteger(slot) && slot >= 0 && slot < SLOT_LIMIT)) throw new Error(`KeyTree slot out of range: ${slot}`);
    const low = headOf(key) * SLOT_LIMIT;
    const root = own(this.root);
    const before = this.count;
    const split = this.insert(root, key, low, low + slot);
    if (split === undefined) this.root = root;
    else this.root = new KeyNode([root.keys[root.keys.length - 1]!, split.keys[split.keys.length - 1]!], [markOf(root), markOf(split)], [root, split]);
    return this.count > before;
  }

  /** Inserts into a writable node; returns the new right sibling if the node split. */
  private insert(node: KeyNode, key: string, low: number, mark: number): KeyNode | undefined {
    const keys = node.keys;
    const children = node.children;
    let i = lowerBound(node, key, low, 0);
    if (children === undefined) {
      if (keys[i] === key) {
        node.marks[i] = mark;
        return undefined;
      }
      keys.splice(i, 0, key);
      node.marks.splice(i, 0, mark);
      this.count++;
    } else {
      // Past every key: the last child takes it, and its greatest key grows.
      if (i === keys.length) i--;
      const child = own(children[i]!);
      children[i] = child;
      const split = this.insert(child, key, low, mark);
      refresh(node, i);
      if (split !== undefined) {
        keys.splice(i + 1, 0, '');
        node.marks.splice(i + 1, 0, 0);
        children.splice(i + 1, 0, split);
        refresh(node, i + 1);
      }
    }
    if (keys.length <= this.maxNodeSize) return undefined;
    const half = (keys.length + 1) >>> 1;
    const right = slice(node, half, keys.length);
    keys.length = half;
    node.marks.length = half;
    if (children !== undefined) children.length = half;
    return right;
  }

  /** Removes `key`; true if it was there. O(log n); copies the shared nodes on its path. */
  delete(key: string): boolean {
    const root = own(this.root);
    this.root = root;
    if (!this.remove(root, key, headOf(key) * SLOT_LIMIT)) return false;
    if (root.children !== undefined && root.children.length === 1) this.root = root.children[0]!;
    this.count--;
    return true;
  }

  /** Removes `key` from under a writable node, rebalancing the child it left too small; false if absent. */
  private remove(node: KeyNode, key: string, low: number): boolean {
    const i = lowerBound(node, key, low, 0);
    const children = node.children;
    if (i === node.keys.length) return false;
    if (children === undefined) {
      if (node.keys[i] !== key) return false;
      node.keys.splice(i, 1);
      node.marks.splice(i, 1);
      return true;
    }
    const child = own(children[i]!);
    children[i] = child;
    if (!this.remove(child, key, low)) return false;
    if (child.keys.length >= this.minNodeSize) {
      refresh(node, i);
      return true;
    }
    // Too small: merge with a sibling if both fit in one node, else take entries from it.
    const left = i + 1 < children.length ? i : i - 1;
    const a = own(children[left]!);
    const b = own(children[left + 1]!);
    children[left] = a;
    children[left + 1] = b;
    if (a.keys.length + b.keys.length <= this.maxNodeSize) {
      a.keys.push(...b.keys);
      a.marks.push(...b.marks);
      if (a.children !== undefined) a.children.push(...b.children!);
      node.keys.splice(left + 1, 1);
      node.marks.splice(left + 1, 1);
      children.splice(left + 1, 1);
      refresh(node, left);
      return true;
    }
    // The small node holds fewer than max / 2 entries and the two together more than max: they differ by 3 or more.
    const moved = Math.abs(a.keys.length - b.keys.length) >>> 1;
    if (a.keys.length > b.keys.length) {
      const from = a.keys.length - moved;
      b.keys.unshift(...a.keys.splice(from));
      b.marks.unshift(...a.marks.splice(from));
      if (b.children !== undefined) b.children.unshift(...a.children!.splice(from));
    } else {
      a.keys.push(...b.keys.splice(0, moved));
      a.marks.push(...b.marks.splice(0, moved));
      if (a.children !== undefined) a.children.push(...b.children!.splice(0, moved));
    }
    // The key left either of them (b's greatest key moves only if the key was its).
    refresh(node, left);
    refresh(node, left + 1);
    return true;
  }

  /**
   * Removes the keys in [low, high) — [low, high] when `highIncluded`; returns how many. O(n): it builds
   * the tree again from the keys that stay (a partition split, which removes half the keys, is its use).
   */
  deleteRange(low: string, high: string, highIncluded: boolean): number {
    const keys: string[] = [];
    const marks: number[] = [];
    for (const leaf of this.leaves()) {
      for (let i = 0; i < leaf.keys.length; i++) {
        const key = leaf.keys[i]!;
        if (key >= low && (highIncluded ? key <= high : key < high)) continue;
        keys.push(key);
        marks.push(leaf.marks[i]!);
      }
    }
    const removed = this.count - keys.length;
    if (removed > 0) this.load(keys, marks);
    return removed;
  }

  /** Replaces the tree by one holding these sorted keys and their leaf marks, in nodes as full as they may be. */
  private load(keys: string[], marks: number[]): void {
    this.count = keys.length;
    let level = this.pieces(new KeyNode(keys, marks, undefined));
    while (level.length > 1) {
      level = this.pieces(new KeyNode(level.map((node) => node.keys[node.keys.length - 1]!), level.map(markOf), level));
    }
    this.root = level[0]!;
  }

  /** Cuts a node into ceil(length / max) nodes of near-equal length (each at least half full): itself if it fits. */
  private pieces(node: KeyNode): KeyNode[] {
    const length = node.keys.length;
    const count = Math.ceil(length / this.maxNodeSize);
    if (count <= 1) return [node];
    return Array.from({ length: count }, (_, p) => slice(node, Math.floor((p * length) / count), Math.floor(((p + 1) * length) / count)));
  }

  /** A copy that later writes to either tree do not affect. O(1): the trees share nodes until one writes. */
  clone(): KeyTree {
    const copy = Object.create(KeyTree.prototype) as KeyTree;
    this.root.shared = true;
    Object.assign(copy, this);
    return copy;
  }

  /** The leaves, in key order. */
  private *leaves(): IterableIterator<KeyNode> {
    const path: Array<[KeyNode, number]> = [[this.root, 0]];
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const node = top[0];
      if (node.children === undefined) {
        path.pop();
        yield node;
      } else if (top[1] < node.children.length) {
        path.push([node.children[top[1]++]!, 0]);
      } else path.pop();
    }
  }

  /** Every key and its slot, in key order. O(n). */
  *entries(): IterableIterator<[string, number]> {
    for (const leaf of this.leaves()) for (let i = 0; i < leaf.keys.length; i++) yield [leaf.keys[i]!, slotOfMark(leaf.marks[i]!)];
  }

  /** Every key, in order. O(n). */
  *keys(): IterableIterator<string> {
    for (const leaf of this.leaves()) yield* leaf.keys;
  }

  /**
   * Throws if a structural invariant is broken: keys in order, marks matching keys, every leaf at the same
   * depth, node sizes within bounds (the root excepted), each internal key its child's greatest, the count.
   * O(n). The argument is sorted-btree's checkValid's and changes nothing: every check is made.
   */
  checkValid(_full?: boolean): void {
    let leafDepth = -1;
    let total = 0;
    let previous: string | undefined;
    const check = (node: KeyNode, depth: number, isRoot: boolean): void => {
      const { keys, marks, children } = node;
      if (marks.length !== keys.length || (children !== undefined && children.length !== keys.length)) throw new Error('KeyTree invariant: node arrays differ in length');
      if (keys.length > this.maxNodeSize) throw new Error('KeyTree invariant: node too large');
      if (!isRoot && keys.length < this.minNodeSize) throw new Error('KeyTree invariant: node too small');
      if (isRoot && children !== undefined && keys.length < 2) throw new Error('KeyTree invariant: internal root with fewer than two children');
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const head = Math.floor(marks[i]! * INVERSE_SLOT_LIMIT);
        if (head !== headOf(key)) throw new Error('KeyTree invariant: a mark disagrees with its key');
        if (children === undefined) {
          if (previous !== undefined && !(previous < key)) throw new Error('KeyTree invariant: keys out of order');
          previous = key;
          total++;
        } else {
          if (marks[i] !== head * SLOT_LIMIT) throw new Error('KeyTree invariant: an internal mark holds a slot');
          const child = children[i]!;
          check(child, depth + 1, false);
          if (child.keys[child.keys.length - 1] !== key) throw new Error("KeyTree invariant: an internal key is not its child's greatest");
        }
      }
      if (children === undefined) {
        if (leafDepth === -1) leafDepth = depth;
        else if (leafDepth !== depth) throw new Error('KeyTree invariant: leaves at different depths');
      }
    };
    check(this.root, 0, true);
    if (total !== this.count) throw new Error(`KeyTree invariant: size ${this.count}, leaves hold ${total}`);
  }
}
