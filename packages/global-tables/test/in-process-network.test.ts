import { ManualClock } from '@magneto/core';
import { InProcessNetwork, type ReplicationMessage } from '@magneto/global-tables';
import { describe, expect, it } from 'vitest';

const message = (seq: number): ReplicationMessage => ({ kind: 'ack', session: 's', seqs: [seq] });

function pair(random?: () => number) {
  const clock = new ManualClock(0);
  const network = new InProcessNetwork({ clock, latencyMs: 100, ...(random ? { random } : {}) });
  const received: number[] = [];
  const a = network.attach('a', () => {});
  network.attach('b', (from, m) => {
    expect(from).toBe('a');
    if (m.kind === 'ack') received.push(m.seqs[0]!);
  });
  return { clock, network, a, received, link: network.link('a', 'b') };
}

describe('InProcessNetwork', () => {
  it('delivers after the link one-way latency on the clock', async () => {
    const { clock, a, received, link } = pair();
    a.send('b', message(1));
    await clock.advance(99);
    expect(received).toEqual([]);
    await clock.advance(1);
    expect(received).toEqual([1]);
    link.latencyMs = 10;
    a.send('b', message(2));
    await clock.advance(10);
    expect(received).toEqual([1, 2]);
  });

  it('loses what is sent or in flight while partitioned, and delivers again once healed', async () => {
    const { clock, a, received, link } = pair();
    a.send('b', message(1));
    link.partition();
    a.send('b', message(2));
    await clock.advance(200);
    expect(received).toEqual([]);
    link.heal();
    a.send('b', message(3));
    await clock.advance(100);
    expect(received).toEqual([3]);
    expect(link.stats).toMatchObject({ sent: 3, delivered: 1, dropped: 2 });
  });

  it('drops, duplicates and reorders messages by the link faults', async () => {
    // Per message: the drop roll, the duplicate roll, then per copy the reorder roll (and its delay roll).
    const rolls = [
      ...[0.9, 0.1, 0.9, 0.9], // 2: kept, duplicated, neither copy held back
      ...[0.9, 0.9, 0.1, 0.99], // 3: kept, held back by 990 ms
      ...[0.9, 0.9, 0.9], // 4: kept, on time: overtakes 3
      0.1, // 5: dropped
    ];
    const { clock, a, received, link } = pair(() => rolls.shift() ?? 0.9);
    link.faults = { drop: 0.5, duplicate: 0.5, reorder: 0.5, reorderMs: 1000 };
    for (const seq of [2, 3, 4, 5]) a.send('b', message(seq));
    await clock.advance(2000);
    expect(received).toEqual([2, 2, 4, 3]);
    expect(link.stats).toMatchObject({ duplicated: 1, dropped: 1 });
  });
});
