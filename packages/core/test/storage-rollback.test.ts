/**
 * TableStorage.restore (what `db.rollback` does to each storage): random writes, snapshots (checkpoints),
 * more writes, a restore to any earlier checkpoint, more writes, a restore to the same or another one…
 * after every step the storage equals a plain Map model and keeps its invariants (the identity index,
 * shared copy-on-write with the snapshots, finds every item and nothing else), and every checkpoint still
 * holds what it held when taken.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StorageKey } from '../src/storage/storage-key.js';
import { TableStorage } from '../src/storage/table-storage.js';
import { applyWrite, expectHolds, id, itemFor, key, type StorageModel, type StorageWrite } from './support/storage-model.js';

type Model = StorageModel;
type Op =
  | StorageWrite
  | { kind: 'checkpoint' }
  /** Back to checkpoint number `which` modulo how many there are (none: nothing happens). */
  | { kind: 'rollback'; which: number };

const HASHES = [0, 1, 2, 100, 5000, 65536, 8388608, 12_000_000, 16_777_215];
/** The key of preloaded item `i`: spread over the hash space, so the slots and identity index span many chunks. */
const preloaded = (i: number): StorageKey => key((i * 2654435761) % 16_777_216, `pre${i}`);
const PRELOAD = 2100;

/** Random writes, checkpoints and rollbacks, writing `keys`. */
function opsOf(keys: fc.Arbitrary<StorageKey>): fc.Arbitrary<Op> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('put' as const, 'put' as const, 'delete' as const), key: keys, version: fc.nat(9) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'checkpoint' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('rollback' as const), which: fc.nat(7) }) },
  );
}
const keyArb = fc.tuple(fc.constantFrom(...HASHES), fc.constantFrom('a', 'b', 'c', 'd')).map(([h, s]) => key(h, s));

/** Runs `ops` on a storage preloaded with `preload` items, checking it against the model after each step. */
function run(ops: readonly Op[], preload: number, maxNodeSize: number, partitionSplitItems: number): void {
  const storage = new TableStorage({ maxNodeSize, partitionSplitItems });
  let model: Model = new Map();
  for (let i = 0; i < preload; i++) {
    const k = preloaded(i);
    storage.put(k, itemFor(k, 0));
    model.set(id(k), [k, itemFor(k, 0)]);
  }
  const checkpoints: Array<{ snapshot: TableStorage; model: Model }> = [];
  for (const op of ops) {
    if (op.kind === 'checkpoint') {
      checkpoints.push({ snapshot: storage.snapshot(), model: new Map(model) });
      continue;
    }
    if (op.kind === 'rollback') {
      if (checkpoints.length === 0) continue;
      const checkpoint = checkpoints[op.which % checkpoints.length]!;
      storage.restore(checkpoint.snapshot);
      model = new Map(checkpoint.model);
    } else {
      applyWrite(storage, model, op);
    }
    expectHolds(storage, model);
  }
  // The live storage's writes never reached a checkpoint, however often it was restored from one.
  for (const { snapshot, model: saved } of checkpoints) expectHolds(snapshot, saved);
}

describe('TableStorage.restore', () => {
  it('puts the items back as at the checkpoint, again and again, and later writes start from there', () => {
    fc.assert(
      fc.property(fc.array(opsOf(keyArb), { maxLength: 80 }), fc.constantFrom(4, 8, 32), fc.constantFrom(6, 200_000), (ops, maxNodeSize, split) => {
        run(ops, 0, maxNodeSize, split);
      }),
      { numRuns: 200 },
    );
  });

  it('does so over thousands of items, whose slots and identity index span many shared chunks', () => {
    fc.assert(
      fc.property(fc.array(opsOf(fc.oneof(keyArb, fc.nat(PRELOAD - 1).map(preloaded))), { minLength: 8, maxLength: 16 }), fc.constantFrom(8, 32), (ops, maxNodeSize) => {
        run([{ kind: 'checkpoint' }, ...ops], PRELOAD, maxNodeSize, 1000);
      }),
      { numRuns: 4 },
    );
  });

  it('leaves the storage it was restored from usable: a restored storage is restored again', () => {
    const storage = new TableStorage();
    const a = key(1, 'a');
    storage.put(a, itemFor(a, 1));
    const checkpoint = storage.snapshot();
    for (let round = 2; round < 6; round++) {
      storage.delete(a);
      const b = key(round, 'b');
      storage.put(b, itemFor(b, round));
      storage.restore(checkpoint);
      expect(storage.get(a)).toEqual(itemFor(a, 1));
      expect(storage.get(b)).toBeUndefined();
      storage.checkInvariants();
    }
    expect(() => checkpoint.restore(storage)).toThrow('A table snapshot is read-only');
  });
});
