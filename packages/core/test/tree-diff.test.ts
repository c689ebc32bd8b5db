/**
 * diffTrees (storage/tree-diff.ts, behind db.rollback) against a naive reference: both trees' entries
 * merged in key order. Tiny node sizes make splits and merges part the trees' shapes; seeds are printed.
 */
import { describe, expect, it } from 'vitest';
import { BTree } from '../src/storage/btree.js';
import { seededRandom as random } from '../src/faults/seeded-random.js';
import { diffTrees } from '../src/storage/tree-diff.js';

const compare = (a: number, b: number): number => a - b;

function reference(a: BTree<number, object>, b: BTree<number, object>): string[] {
  const out: string[] = [];
  for (const [key, value] of a.entries()) {
    if (!b.has(key)) out.push(`onlyA ${key}`);
    else if (b.get(key) !== value) out.push(`different ${key}`);
  }
  for (const key of b.keys()) if (!a.has(key)) out.push(`onlyB ${key}`);
  return out.sort();
}

function diff(a: BTree<number, object>, b: BTree<number, object>): string[] {
  const out: string[] = [];
  diffTrees(a, b, compare, {
    onlyA: (key) => void out.push(`onlyA ${key}`),
    onlyB: (key) => void out.push(`onlyB ${key}`),
    different: (key) => void out.push(`different ${key}`),
  });
  return out.sort();
}

describe('diffTrees', () => {
  for (const maxNodeSize of [4, 5, 32]) {
    it(`reports exactly the keys that differ between a tree and its clone, both written since (node size ${maxNodeSize})`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const next = random(seed * 7919 + maxNodeSize);
        const size = Math.floor(next() * 400);
        const a = new BTree<number, object>(undefined, compare, maxNodeSize);
        for (let i = 0; i < size; i++) a.set(Math.floor(next() * 1000), {});
        const b = a.clone();
        const writes = Math.floor(next() * 3 * size) + 1;
        for (let i = 0; i < writes; i++) {
          const tree = next() < 0.8 ? a : b;
          const key = Math.floor(next() * 1000);
          if (next() < 0.4) tree.delete(key);
          else tree.set(key, {});
        }
        expect(diff(a, b), `seed ${seed}`).toEqual(reference(a, b));
        expect(diff(a, a.clone()), `seed ${seed}`).toEqual([]);
      }
    });
  }
});
