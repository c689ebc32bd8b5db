import { describe, expect, it } from 'vitest';
import { itemSize, type Item } from '@magneto/core';
import { ChangeHistory, CHANGE_OVERHEAD_BYTES, type RetainedChange } from '../src/change-history.js';

/** A seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('ChangeHistory', () => {
  it('hands back every change as appended, across sealed (encoded) chunks, and drops through a checkpoint exactly', () => {
    const seed = 18;
    const next = random(seed);
    const history = new ChangeHistory();
    const model: RetainedChange[] = [];
    let bytes = 0;
    for (let seq = 1; seq <= 3500; seq++) {
      const keys: Item = { pk: { S: `k${Math.floor(next() * 50)}` } };
      const put = next() < 0.8;
      const newImage: Item | undefined = put ? { ...keys, v: { N: String(seq) }, s: { S: 'x'.repeat(seq % 13) } } : undefined;
      history.append(seq, 1000 + seq * 10, keys, newImage);
      model.push(put ? { sequenceNumber: seq, timestamp: 1000 + seq * 10, keys: newImage!, newImage } : { sequenceNumber: seq, timestamp: 1000 + seq * 10, keys });
      bytes += CHANGE_OVERHEAD_BYTES + (put ? itemSize(newImage!) : 0);
    }
    expect([...history.all()], `seed ${seed}`).toEqual(model);
    expect(history.bytes).toBe(bytes);
    expect([...history.between(1500, 1000 + 2600 * 10)]).toEqual(model.slice(1500, 2600));
    history.dropThrough(1100);
    expect([...history.all()]).toEqual(model.slice(1100));
    history.dropThrough(3000);
    expect([...history.all()]).toEqual(model.slice(3000));
    expect(history.bytes).toBe(model.slice(3000).reduce((sum, c) => sum + CHANGE_OVERHEAD_BYTES + (c.newImage === undefined ? 0 : itemSize(c.newImage)), 0));
  });
});
