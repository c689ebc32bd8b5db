import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headOf, KeyTree, SLOT_LIMIT } from './key-tree.js';
import { visitTreeRange, visitTreeRangeReversed } from './tree-range.js';

// Few code units, so keys collide, nest as prefixes and share heads, plain and clamped (units past U+00FF).
const key = fc.string({ unit: fc.constantFrom('\u0000', 'a', 'b', '\u00ff', '\u0100', '\uffff'), maxLength: 5 });
const slot = fc.oneof(fc.nat(1000), fc.constant(SLOT_LIMIT - 1));

type Step =
  | { kind: 'set'; tree: number; key: string; slot: number }
  | { kind: 'delete'; tree: number; key: string; present: number | undefined }
  | { kind: 'deleteRange'; tree: number; low: string; high: string; highIncluded: boolean }
  | { kind: 'clone'; tree: number };

// `tree` picks one of the trees made so far (modulo their number): writes land on clones and originals alike.
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), tree: fc.nat(), key, slot }) },
  // `present` picks a key the tree holds (the n-th modulo its size): a random key is seldom there.
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), tree: fc.nat(), key, present: fc.option(fc.nat(), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteRange' as const), tree: fc.nat(), low: key, high: key, highIncluded: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clone' as const), tree: fc.nat() }) },
);

const sortedEntries = (model: Map<string, number>): Array<[string, number]> => [...model].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Throws unless `tree` holds exactly the model's entries, valid, found by every read. */
function expectHolds(tree: KeyTree, model: Map<string, number>, probes: readonly string[]): void {
  tree.checkValid();
  const expected = sortedEntries(model);
  expect([...tree.entries()]).toEqual(expected);
  expect([...tree.keys()]).toEqual(expected.map(([k]) => k));
  expect(tree.size).toBe(model.size);
  expect(tree.minKey()).toBe(expected[0]?.[0]);
  for (const probe of probes) expect(tree.get(probe)).toBe(model.get(probe));
}

describe('KeyTree', () => {
  it('answers as a sorted map through sets, deletes, range deletes and clones written on either side, every clone keeping what it held', () => {
    fc.assert(
      fc.property(fc.constantFrom(4, 5, 6, 8), fc.array(step, { maxLength: 400, size: 'max' }), fc.array(key, { maxLength: 10 }), (size, steps, probes) => {
        const trees: Array<[KeyTree, Map<string, number>]> = [[new KeyTree(size), new Map()]];
        for (const s of steps) {
          const [tree, model] = trees[s.tree % trees.length]!;
          if (s.kind === 'set') {
            expect(tree.set(s.key, s.slot)).toBe(!model.has(s.key));
            model.set(s.key, s.slot);
          } else if (s.kind === 'delete') {
            const held = [...model.keys()];
            const doomed = s.present === undefined || held.length === 0 ? s.key : held[s.present % held.length]!;
            expect(tree.delete(doomed)).toBe(model.delete(doomed));
          } else if (s.kind === 'deleteRange') {
            const doomed = [...model.keys()].filter((k) => k >= s.low && (s.highIncluded ? k <= s.high : k < s.high));
            for (const k of doomed) model.delete(k);
            expect(tree.deleteRange(s.low, s.high, s.highIncluded)).toBe(doomed.length);
          } else {
            trees.push([tree.clone(), new Map(model)]);
          }
          tree.checkValid();
        }
        for (const [tree, model] of trees) expectHolds(tree, model, probes);
      }),
      { numRuns: 150 },
    );
  });

  it('walks ranges forward and reversed as a sorted array does, in trees built by sets and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 120, size: 'max' }),
        fc.array(key, { maxLength: 60, size: 'max' }),
        key,
        key,
        fc.boolean(),
        (added, removed, low, high, highIncluded) => {
          const tree = new KeyTree(4);
          const model = new Map<string, number>();
          for (const k of added) {
            tree.set(k, k.length);
            model.set(k, k.length);
          }
          for (const k of removed) {
            tree.delete(k);
            model.delete(k);
          }
          const sorted = sortedEntries(model).map(([k]) => k);
          const forward: string[] = [];
          visitTreeRange(tree, low, high, (k, s) => (forward.push(k), s === k.length));
          expect(forward).toEqual(sorted.filter((k) => k >= low && k < high));
          const backward: string[] = [];
          visitTreeRangeReversed(tree, low, high, highIncluded, (k, s) => (backward.push(k), s === k.length));
          expect(backward).toEqual(sorted.filter((k) => k >= low && (highIncluded ? k <= high : k < high)).reverse());
        },
      ),
    );
  });

  it('headOf never puts a greater key under a smaller head, and holds a slot exactly beside it', () => {
    // Units at the edges of a head's digits (U+00FF the last plain one, U+0100 the first clamped), and any unit.
    const unit = fc.oneof(fc.constantFrom('\u0000', 'a', '\u00fe', '\u00ff', '\u0100', '\uffff'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)));
    const anyKey = fc.string({ unit, maxLength: 4 });
    fc.assert(
      fc.property(anyKey, anyKey, (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(headOf(lo)).toBeLessThanOrEqual(headOf(hi));
        expect(Number.isSafeInteger(headOf(hi) * SLOT_LIMIT + SLOT_LIMIT - 1)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a slot it cannot hold and a node size below 4', () => {
    const tree = new KeyTree(4);
    expect(() => tree.set('a', SLOT_LIMIT)).toThrow('KeyTree slot out of range');
    expect(() => tree.set('a', -1)).toThrow('KeyTree slot out of range');
    expect(() => new KeyTree(3)).toThrow('KeyTree needs a maxNodeSize of at least 4');
  });

  it('copies only the nodes on a write path: a clone shares every other node', () => {
    const tree = new KeyTree(4);
    for (let i = 0; i < 200; i++) tree.set(`k${String(i).padStart(3, '0')}`, i);
    const copy = tree.clone();
    expect(copy.rootNode).toBe(tree.rootNode);
    copy.set('k0005', 1);
    const leaves = (t: KeyTree): unknown[] => {
      const out: unknown[] = [];
      const walk = (n: typeof t.rootNode): void => (n.children === undefined ? void out.push(n) : n.children.forEach(walk));
      walk(t.rootNode);
      return out;
    };
    const mine = leaves(copy);
    const theirs = new Set(leaves(tree));
    expect(mine.filter((leaf) => !theirs.has(leaf))).toHaveLength(1);
    expect(tree.get('k0005')).toBeUndefined();
  });
});
