/**
 * Compaction across restarts: the log a store accumulates is bounded however often it is reopened,
 * after clean closes and after crashes alike. Recovery counts the log left on disk toward the next
 * snapshot, a clean close snapshots a long log, and an open after many segments takes a snapshot.
 * Crashes are simulated on a LogDevice held in memory whose `crash()` keeps exactly what was synced.
 * `MAGNETO_STRESS=1` adds the file-store scenario of issue 14 (six cycles of ~20 MiB, timed).
 */
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database, durableStorage, type DurableStorageOptions, type LogAppender, type LogDevice } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { storeFiles } from '../src/persistence/files.js';
import { checkInvariants, removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';
import { attributes, keys } from './support/tables.js';

afterAll(removeTemporaryDirectories);

const concat = (chunks: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

interface MemoryFile {
  /** Survives a crash. */
  durable: Uint8Array[];
  /** Appended, not yet synced: lost in a crash. */
  pending: Uint8Array[];
}

/** A LogDevice in memory; `crash()` is the device a process killed at this instant leaves behind. */
class CrashableDevice implements LogDevice {
  readonly location = 'memory://crashable';
  private locked = false;

  constructor(readonly files = new Map<string, MemoryFile>()) {}

  async lock(): Promise<void> {
    if (this.locked) throw new Error('locked');
    this.locked = true;
  }
  async unlock(): Promise<void> {
    this.locked = false;
  }
  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
  async read(name: string): Promise<Uint8Array> {
    const file = this.files.get(name);
    if (file === undefined) throw new Error(`no file ${name}`);
    return concat([...file.durable, ...file.pending]);
  }
  async openAppender(name: string): Promise<LogAppender> {
    const file: MemoryFile = { durable: [], pending: [] };
    this.files.set(name, file);
    return {
      writesAreDurable: false,
      append: async (chunks) => void file.pending.push(...chunks.map((c) => c.slice())),
      sync: async () => void file.durable.push(...file.pending.splice(0)),
      close: async () => undefined,
    };
  }
  async writeAtomically(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const out: Uint8Array[] = [];
    for await (const chunk of chunks) out.push(chunk.slice());
    this.files.set(name, { durable: [concat(out)], pending: [] });
  }
  async truncate(name: string, length: number): Promise<void> {
    this.files.set(name, { durable: [(await this.read(name)).slice(0, length)], pending: [] });
  }
  async rename(from: string, to: string): Promise<void> {
    const file = this.files.get(from);
    if (file === undefined) throw new Error(`no file ${from}`);
    this.files.set(to, file);
    this.files.delete(from);
  }
  async remove(name: string): Promise<void> {
    this.files.delete(name);
  }

  /** What survives a crash now: each file's synced bytes, unlocked. */
  crash(): CrashableDevice {
    return new CrashableDevice(new Map([...this.files].map(([name, file]) => [name, { durable: [concat(file.durable)], pending: [] }])));
  }

  get bytes(): number {
    let total = 0;
    for (const file of this.files.values()) for (const chunk of [...file.durable, ...file.pending]) total += chunk.length;
    return total;
  }
}

const TABLE = { TableName: 'things', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'N' }), BillingMode: 'PAY_PER_REQUEST' as const };

/** xorshift32, so a failing run replays from its seed. */
function randomOf(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

async function contents(db: Database): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await db.scan({ TableName: 'things', ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
    for (const item of page.Items ?? []) out.set(Number((item.id as { N: string }).N), (item.text as { S: string }).S);
    ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
  } while (ExclusiveStartKey !== undefined);
  return out;
}

interface Cycle {
  device: CrashableDevice;
  segments: number;
  replayedRecords: number;
}

/**
 * Runs `cycles` sessions on one store: each opens it, checks that it holds exactly what was
 * acknowledged, writes `writes` items over `keyCount` keys, then closes it or crashes (by `random`).
 */
async function restartCycles(options: DurableStorageOptions, cycles: number, writes: number, keyCount: number, seed: number, check: (cycle: Cycle) => void): Promise<void> {
  const random = randomOf(seed);
  const model = new Map<number, string>();
  let device = new CrashableDevice();
  for (let cycle = 0; cycle < cycles; cycle++) {
    const db = new Database({ storage: durableStorage(device, options) });
    await db.open();
    const report = db.recoveryReport!;
    if (cycle === 0) await db.createTable(TABLE);
    expect(report.damage, `cycle ${cycle}, seed ${seed}`).toEqual([]);
    expect(await contents(db), `cycle ${cycle}, seed ${seed}: what was acknowledged`).toEqual(model);
    checkInvariants(db);
    check({ device, segments: storeFiles(await device.list()).segments.length, replayedRecords: report.replayedRecords });
    for (let i = 0; i < writes; i++) {
      const id = Math.floor(random() * keyCount);
      if (random() < 0.1) {
        await db.deleteItem({ TableName: 'things', Key: { id: { N: String(id) } } });
        model.delete(id);
      } else {
        const text = `${cycle}:${i}:`.padEnd(100 + Math.floor(random() * 200), 'x');
        await db.putItem({ TableName: 'things', Item: { id: { N: String(id) }, text: { S: text } } });
        model.set(id, text);
      }
    }
    if (random() < 0.5) {
      await db.close();
    } else {
      // Killed now: whatever was synced survives, a snapshot in progress does not finish.
      const survivor = device.crash();
      await db.close();
      device = survivor;
    }
  }
}

describe('compaction across restarts', () => {
  it('keeps the log, the files and replay bounded over 20 restarts of clean closes and crashes, with every acknowledged write intact', async () => {
    const snapshotLogBytes = 64 * 1024;
    // ~40 KiB of log per session: less than snapshotLogBytes, so only what earlier sessions left makes a snapshot due.
    const writes = 150;
    let most = { bytes: 0, segments: 0, replayed: 0 };
    for (const seed of [1, 2]) {
      await restartCycles({ snapshotLogBytes, snapshotChunkItems: 50 }, 20, writes, 200, seed, ({ device, segments, replayedRecords }) => {
        most = { bytes: Math.max(most.bytes, device.bytes), segments: Math.max(most.segments, segments), replayed: Math.max(most.replayed, replayedRecords) };
        // Two snapshots (~50 KiB each for ≤200 items) and the log since the older one (≤ ~2 × snapshotLogBytes + a session).
        expect(device.bytes, `seed ${seed}`).toBeLessThan(5 * snapshotLogBytes);
        expect(segments, `seed ${seed}`).toBeLessThanOrEqual(10);
        // Replay: at most the threshold plus one session's writes.
        expect(replayedRecords, `seed ${seed}`).toBeLessThanOrEqual(2 * writes + 10);
      });
    }
    console.info(`compaction over 20 restarts: at most ${most.bytes} bytes, ${most.segments} segments, ${most.replayed} records replayed on open`);
  });

  it('snapshots a store reopened many times with few writes, so its segments stay bounded', async () => {
    let mostSegments = 0;
    await restartCycles({}, 30, 1, 10, 3, ({ segments }) => {
      mostSegments = Math.max(mostSegments, segments);
      expect(segments).toBeLessThanOrEqual(18);
    });
    console.info(`30 restarts of one write each: at most ${mostSegments} segments`);
  });

  it('takes a snapshot on a clean close when the log is long, so the next open replays nothing', async () => {
    const device = new CrashableDevice();
    const db = new Database({ storage: durableStorage(device, { snapshotLogBytes: 64 * 1024 }) });
    await db.createTable(TABLE);
    // ~40 KiB: over half the threshold, under the threshold (no snapshot while writing).
    for (let i = 0; i < 150; i++) await db.putItem({ TableName: 'things', Item: { id: { N: String(i) }, text: { S: 'x'.repeat(250) } } });
    expect(storeFiles(await device.list()).snapshots).toEqual([]);
    await db.close();
    const reopened = new Database({ storage: durableStorage(device, { snapshotLogBytes: 64 * 1024 }) });
    await reopened.open();
    expect(reopened.recoveryReport).toMatchObject({ snapshot: expect.stringMatching(/^snapshot-/), replayedRecords: 0, items: 150, damage: [] });
    await reopened.close();
  });
});

/** Bytes and files in a store directory. */
function usage(dir: string): { bytes: number; segments: number; snapshots: number } {
  const names = readdirSync(dir);
  const { segments, snapshots } = storeFiles(names);
  return { bytes: names.reduce((n, name) => n + statSync(join(dir, name)).size, 0), segments: segments.length, snapshots: snapshots.length };
}

describe.runIf(process.env.MAGNETO_STRESS === '1')('compaction across restarts (stress, file store)', () => {
  it('six cycles of ~20 MiB with a clean close between them stay bounded', async () => {
    const dir = temporaryDirectory('magneto-compaction-');
    const payload = 'x'.repeat(1000);
    for (let cycle = 0; cycle < 6; cycle++) {
      const started = performance.now();
      const db = new Database({ storage: fileStorage(dir, { durability: 'none' }) });
      await db.open();
      const openMs = performance.now() - started;
      if (cycle === 0) await db.createTable(TABLE);
      for (let i = 0; i < 20_000; i++) {
        await db.putItem({ TableName: 'things', Item: { id: { N: String(i % 3000) }, text: { S: `${cycle}:${i}:${payload}` } } });
        if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await db.close();
      const { bytes, segments, snapshots } = usage(dir);
      console.info(`cycle ${cycle}: open ${openMs.toFixed(0)} ms, then ${(bytes / 1048576).toFixed(1)} MiB, ${segments} segments, ${snapshots} snapshots`);
      expect(bytes).toBeLessThan(3 * 32 * 1024 * 1024 + 3 * 3_000_000);
    }
  }, 600_000);
});
