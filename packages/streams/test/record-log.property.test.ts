/**
 * A shard's RecordLog (chunks shared copy-on-write between forks) against a plain-array model: random
 * appends, trims, forks (what a savepoint takes) and forks of a saved fork (what each rollback takes), in
 * any order, across chunk boundaries; every log reads exactly its model, and nothing one log does shows
 * in another.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ChangeRecord } from '@magneto/core';
import { RecordLog } from '../src/record-log.js';

/** The model: every record ever appended, and the position of the oldest retained one. */
interface Model {
  sequences: number[];
  head: number;
}

interface Copy {
  log: RecordLog;
  model: Model;
}

const change = (sequence: number): ChangeRecord => ({ timestamp: sequence }) as unknown as ChangeRecord;

const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 300 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('trim' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('savepoint' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rollback' as const), which: fc.nat() }) },
);

function check({ log, model }: Copy): void {
  expect(log.head).toBe(model.head);
  expect(log.end).toBe(model.sequences.length);
  expect(log.held).toBeLessThan(log.end - log.head + 256);
  for (let position = model.head; position < model.sequences.length; position++) {
    expect(log.sequenceAt(position)).toBe(model.sequences[position]);
    expect(log.changeAt(position).timestamp).toBe(model.sequences[position]);
  }
  // Sequence numbers increase by 2: a search for an odd one lands on the next record.
  const probe = model.sequences[Math.floor((model.head + model.sequences.length) / 2)];
  if (probe !== undefined) {
    expect(log.positionAtOrAfter(probe)).toBe(model.sequences.indexOf(probe));
    expect(log.positionAtOrAfter(probe - 1)).toBe(Math.max(model.head, model.sequences.indexOf(probe)));
  }
  expect(log.positionAtOrAfter(Number.MAX_SAFE_INTEGER)).toBe(model.sequences.length);
}

describe('RecordLog (property)', () => {
  it('reads like a plain array through appends, trims, savepoints and rollbacks, every copy on its own', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        let next = 2;
        let live: Copy = { log: new RecordLog(), model: { sequences: [], head: 0 } };
        const saved: Copy[] = [];
        for (const s of steps) {
          if (s.kind === 'append') {
            for (let i = 0; i < s.count; i++) {
              live.log.append(next, change(next));
              live.model.sequences.push(next);
              next += 2;
            }
          } else if (s.kind === 'trim') {
            const { model } = live;
            const to = model.head + Math.floor(s.fraction * (model.sequences.length - model.head));
            live.log.trimTo(to);
            model.head = to;
          } else if (s.kind === 'savepoint') {
            saved.push({ log: live.log.fork(), model: { sequences: live.model.sequences.slice(), head: live.model.head } });
          } else {
            const point = saved[s.which % Math.max(1, saved.length)];
            if (point === undefined) continue;
            // A rollback works on a fork of the savepoint, which stays as it was for the next rollback.
            live = { log: point.log.fork(), model: { sequences: point.model.sequences.slice(), head: point.model.head } };
            // Sequence numbers are never reused (the counter is not rolled back here), as in a stream.
          }
          check(live);
          for (const point of saved) check(point);
        }
      }),
      { numRuns: 150 },
    );
  });
});
