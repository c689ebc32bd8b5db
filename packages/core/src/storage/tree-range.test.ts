import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTree } from './key-tree.js';
import { visitTreeRange, visitTreeRangeReversed } from './tree-range.js';

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
// Short keys over a few code units collide and nest as prefixes, share heads (key-tree.ts) and, past
// U+00FF, share a clamped head; node size 4 makes deep trees.
const key = fc.string({ unit: fc.constantFrom('a', 'b', '\u00ff', '\u0100', '\uffff'), maxLength: 4 });

function treeOf(keys: readonly string[]): { tree: KeyTree; sorted: string[] } {
  const tree = new KeyTree(4);
  for (const k of keys) tree.set(k, k.length);
  return { tree, sorted: [...new Set(keys)].sort(compare) };
}

describe('tree-range', () => {
  it('visitTreeRange visits [low, high) in order, until the visitor stops', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 80 }), key, key, fc.nat(30), (keys, low, high, stopAfter) => {
        const { tree, sorted } = treeOf(keys);
        const seen: string[] = [];
        visitTreeRange(tree, low, high, (k, v) => {
          expect(v).toBe(k.length);
          seen.push(k);
          return seen.length < stopAfter;
        });
        expect(seen).toEqual(sorted.filter((k) => k >= low && k < high).slice(0, Math.max(stopAfter, 1)));
      }),
    );
  });

  it('visitTreeRangeReversed visits [low, high) or [low, high] from the greatest down, until the visitor stops', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 80 }), key, key, fc.boolean(), fc.nat(30), (keys, low, high, highIncluded, stopAfter) => {
        const { tree, sorted } = treeOf(keys);
        const seen: string[] = [];
        visitTreeRangeReversed(tree, low, high, highIncluded, (k, v) => {
          expect(v).toBe(k.length);
          seen.push(k);
          return seen.length < stopAfter;
        });
        const expected = sorted.filter((k) => k >= low && (highIncluded ? k <= high : k < high)).reverse();
        expect(seen).toEqual(expected.slice(0, Math.max(stopAfter, 1)));
      }),
    );
  });
});
