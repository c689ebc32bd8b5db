/**
 * capacity()'s per-partition-key ceiling holds charges in a fixed ring while no key can be near the
 * ceiling, and gives them to per-key buckets only when a key must be looked up. A property: whatever
 * the charges and clock steps, it admits exactly what one token bucket per key, charged at once and
 * never forgotten, admits (while the keys fit in maxKeys).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyCeiling, PARTITION_READ_UNITS_PER_SECOND } from '../../src/capacity/key-ceiling.js';
import { TokenBucket } from '../../src/capacity/token-bucket.js';

const RUNS = process.env.MAGNETO_STRESS === '1' ? 1000 : 100;

type Step = { kind: 'charge'; key: number; units: number; write: boolean } | { kind: 'advance'; ms: number } | { kind: 'check'; key: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('charge' as const), key: fc.integer({ min: 0, max: 3 }), units: fc.integer({ min: 1, max: 1500 }), write: fc.boolean() }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 700 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('check' as const), key: fc.integer({ min: 0, max: 3 }) }), weight: 2 },
);

describe('capacity() › per-key ceiling', () => {
  it('admits exactly what one bucket per key admits', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 200, size: 'max' }), (steps) => {
        let now = 1_000;
        const ceiling = new KeyCeiling(100, now);
        const reference = new Map<number, TokenBucket>();
        const bucketOf = (key: number) => {
          let bucket = reference.get(key);
          if (bucket === undefined) reference.set(key, (bucket = new TokenBucket(PARTITION_READ_UNITS_PER_SECOND, 1, now)));
          return bucket;
        };
        for (const s of steps) {
          if (s.kind === 'advance') now += s.ms;
          else if (s.kind === 'charge') {
            ceiling.charge(`k${s.key}`, s.units, s.write, now);
            bucketOf(s.key).charge(s.write ? s.units * 3 : s.units, now);
          } else expect(ceiling.admits(`k${s.key}`, now)).toBe(bucketOf(s.key).admits(now));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a hot key is refused while others are admitted, however many charges wait in the ring', () => {
    const ceiling = new KeyCeiling(100, 0);
    for (let i = 0; i < 40; i++) ceiling.charge('hot', 30, true, 10); // 40 × 30 WCU = 3,600 RU-equivalents
    ceiling.charge('cold', 1, false, 10);
    expect(ceiling.admits('hot', 10)).toBe(false);
    expect(ceiling.admits('cold', 10)).toBe(true);
    expect(ceiling.admits('hot', 1_010)).toBe(true);
  });
});
