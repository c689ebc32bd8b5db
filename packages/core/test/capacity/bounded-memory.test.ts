/**
 * capacity()'s per-key and per-minute state stays bounded, whatever the traffic: the partition-key
 * ceiling forgets refilled keys and keeps at most `maxTrackedKeys`; metrics keep the window only.
 */
import { describe, expect, it } from 'vitest';
import { KeyCeiling } from '../../src/capacity/key-ceiling.js';
import { CapacityMetrics } from '../../src/capacity/capacity-metrics.js';

describe('capacity() › bounded memory', () => {
  it('the key ceiling keeps at most maxKeys keys, forgetting refilled ones first', () => {
    const ceiling = new KeyCeiling(100, 0);
    for (let i = 0; i < 10_000; i++) ceiling.charge(`k${i}`, 1, true, i); // one key a millisecond
    expect(ceiling.size).toBeLessThanOrEqual(100);
    // A hot key charged just now is still tracked, and still refused.
    for (let i = 0; i < 1000; i++) ceiling.charge('hot', 1, true, 20_000);
    expect(ceiling.admits('hot', 20_000)).toBe(false);
    expect(ceiling.admits('hot', 21_000)).toBe(true);
  });

  it('metrics keep at most the window of minutes per resource', () => {
    const metrics = new CapacityMetrics(10);
    for (let minute = 0; minute < 1000; minute++) metrics.consumed('t', undefined, false, 1, minute * 60_000);
    expect(metrics.size).toBe(10);
  });
});
