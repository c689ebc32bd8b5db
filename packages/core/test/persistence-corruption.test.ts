/**
 * Corruption of a file store at rest: a truncated or bit-flipped log tail, a damaged snapshot, an
 * impossible record length, missing log. Recovery must detect each, recover the valid prefix (or fall
 * back to the older snapshot and the log), report the damage in `db.recoveryReport`, set the damaged
 * bytes aside rather than delete them, and leave a store that reopens clean afterwards. Never a crash.
 */
import { existsSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { readFrames } from '../src/persistence/frame.js';
import { checkInvariants, removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';
import { attributes, keys } from './support/tables.js';

afterAll(removeTemporaryDirectories);

const TABLE = { TableName: 'things', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'N' }), BillingMode: 'PAY_PER_REQUEST' as const };

/** A store holding `count` items, put one by one (one log record each, after the CreateTable record). */
async function storeWith(count: number, options: { checkpointsAt?: number[] } = {}): Promise<string> {
  const dir = temporaryDirectory();
  const db = new Database({ storage: fileStorage(dir) });
  await db.createTable(TABLE);
  for (let i = 0; i < count; i++) {
    if (options.checkpointsAt?.includes(i)) await db.checkpoint();
    await db.putItem({ TableName: 'things', Item: { id: { N: String(i) }, text: { S: `item ${i} `.repeat(5) } } });
  }
  await db.close();
  return dir;
}

const files = (dir: string, suffix: string): string[] => readdirSync(dir).filter((f) => f.endsWith(suffix)).sort();

async function reopen(dir: string): Promise<Database> {
  const db = new Database({ storage: fileStorage(dir) });
  await db.open();
  return db;
}

async function ids(db: Database): Promise<number[]> {
  const { Items = [] } = await db.scan({ TableName: 'things' });
  return Items.map((item) => Number((item.id as { N: string }).N)).sort((a, b) => a - b);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Byte offsets where each frame of a file ends. */
function frameEnds(path: string): number[] {
  return readFrames(readFileSync(path)).ends;
}

describe('a damaged log', () => {
  it('cut inside its last record: the intact records are recovered, the torn tail reported and kept aside', async () => {
    const dir = await storeWith(20);
    const [segment] = files(dir, '.wal');
    const path = join(dir, segment!);
    const size = readFileSync(path).length;
    truncateSync(path, size - 7);
    const db = await reopen(dir);
    expect(await ids(db)).toEqual(range(19));
    const report = db.recoveryReport!;
    const ends = frameEnds(path);
    expect(report.damage).toEqual([
      expect.objectContaining({ file: segment, reason: 'torn', offset: ends.at(-1), discardedBytes: size - 7 - ends.at(-1)! }),
    ]);
    expect(report.damage[0]!.action).toMatch(/log cut there/);
    expect(existsSync(join(dir, `${segment}.${ends.at(-1)}.discarded`))).toBe(true);
    checkInvariants(db);
    // The store goes on, and opens clean next time with the new write.
    await db.putItem({ TableName: 'things', Item: { id: { N: '100' } } });
    await db.close();
    const again = await reopen(dir);
    expect(again.recoveryReport!.damage).toEqual([]);
    expect(await ids(again)).toEqual([...range(19), 100]);
    await again.close();
  });

  it('with a flipped bit in a record: recovery stops before it and reports a checksum error', async () => {
    const dir = await storeWith(20);
    const [segment] = files(dir, '.wal');
    const path = join(dir, segment!);
    const bytes = readFileSync(path);
    const ends = frameEnds(path);
    // Frames: header, CreateTable, then item i is frame i + 2. Damage item 12's payload.
    const start = ends[13]!;
    bytes[start + 12]! ^= 0x10;
    writeFileSync(path, bytes);
    const db = await reopen(dir);
    expect(await ids(db)).toEqual(range(12));
    expect(db.recoveryReport!.damage).toEqual([expect.objectContaining({ file: segment, reason: 'checksum', offset: start, discardedBytes: bytes.length - start })]);
    await db.close();
  });

  it('with an impossible record length: reported as such, the prefix recovered', async () => {
    const dir = await storeWith(10);
    const [segment] = files(dir, '.wal');
    const path = join(dir, segment!);
    const bytes = readFileSync(path);
    const start = frameEnds(path)[6]!;
    bytes.writeUInt32LE(0xfffffff0, start);
    writeFileSync(path, bytes);
    const db = await reopen(dir);
    expect(await ids(db)).toEqual(range(5));
    expect(db.recoveryReport!.damage).toEqual([expect.objectContaining({ reason: 'length', offset: start })]);
    await db.close();
  });

  it('cut at any byte: exactly the records wholly before the cut are recovered', async () => {
    const dir = await storeWith(12);
    const [segment] = files(dir, '.wal');
    const original = readFileSync(join(dir, segment!));
    // The store as it was (its manifest naming that segment as the newest), cut at `cut`.
    const manifest = readFileSync(join(dir, 'MANIFEST'));
    const ends = frameEnds(join(dir, segment!));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: ends[1]!, max: original.length }), async (cut) => {
        writeFileSync(join(dir, segment!), original.subarray(0, cut));
        writeFileSync(join(dir, 'MANIFEST'), manifest);
        for (const name of readdirSync(dir)) if (name !== segment && name.startsWith('log-')) rmSync(join(dir, name));
        const db = await reopen(dir);
        try {
          const whole = ends.filter((end) => end <= cut).length - 2; // minus the header and CreateTable
          expect(await ids(db)).toEqual(range(whole));
          expect(db.recoveryReport!.damage.length).toBe(cut === ends.find((end) => end >= cut) ? 0 : 1);
          checkInvariants(db);
        } finally {
          await db.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});

describe('a damaged snapshot', () => {
  it('with a flipped bit: set aside, and the older snapshot plus the log recover everything', async () => {
    const dir = await storeWith(60, { checkpointsAt: [20, 40] });
    const snapshots = files(dir, '.snap');
    expect(snapshots).toHaveLength(2);
    const newest = join(dir, snapshots[1]!);
    const bytes = readFileSync(newest);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(newest, bytes);
    const db = await reopen(dir);
    expect(await ids(db)).toEqual(range(60));
    const report = db.recoveryReport!;
    expect(report.snapshot).toBe(snapshots[0]);
    expect(report.damage).toEqual([expect.objectContaining({ file: snapshots[1], reason: 'checksum' })]);
    expect(existsSync(`${newest}.damaged`)).toBe(true);
    checkInvariants(db);
    await db.close();
    const again = await reopen(dir);
    expect(again.recoveryReport!.damage).toEqual([]);
    expect(await ids(again)).toEqual(range(60));
    await again.close();
  });

  it('cut short (no end record): not used, reported', async () => {
    const dir = await storeWith(30, { checkpointsAt: [10, 20] });
    const snapshots = files(dir, '.snap');
    const newest = join(dir, snapshots[1]!);
    const ends = frameEnds(newest);
    truncateSync(newest, ends.at(-2)!);
    const db = await reopen(dir);
    expect(await ids(db)).toEqual(range(30));
    expect(db.recoveryReport!.damage).toEqual([expect.objectContaining({ file: snapshots[1], reason: 'format', action: expect.stringMatching(/no end record/) })]);
    await db.close();
  });

  it('with both snapshots damaged and the log before them gone: nothing invented, the gap reported', async () => {
    const dir = await storeWith(30, { checkpointsAt: [10, 20] });
    // A third checkpoint drops the log before the second-newest snapshot.
    const db = await reopen(dir);
    await db.checkpoint();
    await db.close();
    for (const snapshot of files(dir, '.snap')) {
      const path = join(dir, snapshot);
      const bytes = readFileSync(path);
      bytes[20]! ^= 0xff;
      writeFileSync(path, bytes);
    }
    const damaged = await reopen(dir);
    const report = damaged.recoveryReport!;
    expect(report.snapshot).toBeUndefined();
    expect(report.damage.map((d) => d.reason)).toEqual(['checksum', 'checksum', 'sequence', ...report.damage.slice(3).map(() => 'unreplayed')]);
    expect(report.damage[2]!.action).toMatch(/log records 0 to \d+ are missing/);
    expect((await damaged.listTables({})).TableNames).toEqual([]);
    await damaged.close();
  });
});
