/**
 * CopyOnWriteMap (global tables' item versions, shared with savepoints) against a plain Map: random sets,
 * deletes, shares (savepoints) and adopts (rollbacks to any of them, again and again); the map and every
 * shared snapshot read exactly like their models.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CopyOnWriteMap } from '../src/storage/copy-on-write-map.js';

const step = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.nat({ max: 30 }), value: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat({ max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('share' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('adopt' as const), which: fc.nat() }) },
);

const sorted = (entries: Iterable<[number, number]>) => [...entries].sort((a, b) => a[0] - b[0]);

describe('CopyOnWriteMap (property)', () => {
  it('reads like a Map through sets, deletes, savepoints and rollbacks, and no snapshot ever changes', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 120 }), (steps) => {
        const map = new CopyOnWriteMap<number, number>();
        let model = new Map<number, number>();
        const saved: Array<{ shared: ReadonlyMap<number, number>; model: Map<number, number> }> = [];
        for (const s of steps) {
          if (s.kind === 'set') {
            map.set(s.key, s.value);
            model.set(s.key, s.value);
          } else if (s.kind === 'delete') {
            expect(map.delete(s.key)).toBe(model.delete(s.key));
          } else if (s.kind === 'share') {
            saved.push({ shared: map.share(), model: new Map(model) });
          } else {
            const point = saved[s.which % Math.max(1, saved.length)];
            if (point === undefined) continue;
            map.adopt(point.shared);
            model = new Map(point.model);
          }
          expect(map.size).toBe(model.size);
          expect(sorted(map)).toEqual(sorted(model));
          for (let key = 0; key <= 30; key++) {
            expect(map.get(key)).toBe(model.get(key));
            expect(map.has(key)).toBe(model.has(key));
          }
          for (const point of saved) expect(sorted(point.shared)).toEqual(sorted(point.model));
        }
      }),
      { numRuns: 200 },
    );
  });
});
