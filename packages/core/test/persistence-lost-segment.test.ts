/**
 * Files lost at rest, on the file store and on IndexedDB: a log segment deleted, emptied or cut inside
 * its header, a snapshot deleted, the manifest deleted. Recovery never returns less than was
 * acknowledged without saying so: `db.recoveryReport.damage` names the file and the LSN the log stops
 * at (`lostFromLsn`), and the store reopens clean afterwards. A crash's harmless leftovers (a newest
 * segment created but not yet named by the manifest) and stores written before manifests open clean.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, describe, expect, it } from 'vitest';
import { Database, IndexedDbLogDevice, indexedDbStorage, type LogDevice, type StorageAdapter } from '../src/index.js';
import { FileLogDevice, fileStorage } from '../src/node/index.js';
import { decode, encode } from '../src/persistence/codec.js';
import { MANIFEST, oneChunk, segmentName, storeFiles } from '../src/persistence/files.js';
import { frame, readFrames } from '../src/persistence/frame.js';
import { removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';
import { attributes, keys } from './support/tables.js';

afterAll(removeTemporaryDirectories);

interface Store {
  storage(): StorageAdapter;
  /** The store's raw device, locked for `change`. */
  damage(change: (device: LogDevice) => Promise<void>): Promise<void>;
}

const STORES: Array<{ name: string; create(): Store }> = [
  {
    name: 'file',
    create() {
      const dir = temporaryDirectory('magneto-lost-');
      return {
        storage: () => fileStorage(dir),
        damage: async (change) => change(new FileLogDevice(dir)),
      };
    },
  },
  {
    name: 'IndexedDB (fake-indexeddb)',
    create() {
      const implementation = { indexedDB: new IDBFactory(), IDBKeyRange };
      return {
        storage: () => indexedDbStorage('lost', implementation),
        async damage(change) {
          const device = new IndexedDbLogDevice('lost', implementation);
          await device.lock();
          try {
            await change(device);
          } finally {
            await device.unlock();
          }
        },
      };
    },
  },
];

const TABLE = { TableName: 'things', KeySchema: keys('id'), AttributeDefinitions: attributes({ id: 'N' }), BillingMode: 'PAY_PER_REQUEST' as const };

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

async function open(store: Store): Promise<Database> {
  const db = new Database({ storage: store.storage() });
  await db.open();
  return db;
}

/**
 * One session per entry of `sessions`, each putting that many new items (ids counting up from 0),
 * the first creating the table; `checkpointsAt` item ids take a snapshot first. Log records: the
 * CreateTable is LSN 0, item i is LSN i + 1.
 */
async function write(store: Store, sessions: number[], checkpointsAt: number[] = []): Promise<void> {
  let id = 0;
  for (const [s, count] of sessions.entries()) {
    const db = await open(store);
    if (s === 0) await db.createTable(TABLE);
    for (let i = 0; i < count; i++, id++) {
      if (checkpointsAt.includes(id)) await db.checkpoint();
      await db.putItem({ TableName: 'things', Item: { id: { N: String(id) }, text: { S: `item ${id}` } } });
    }
    await db.close();
  }
}

async function ids(db: Database): Promise<number[]> {
  const { Items = [] } = await db.scan({ TableName: 'things' });
  return Items.map((item) => Number((item.id as { N: string }).N)).sort((a, b) => a - b);
}

async function files(device: LogDevice): Promise<ReturnType<typeof storeFiles>> {
  return storeFiles(await device.list());
}

/** Reopens after damage was reported: the store goes on, and opens clean next time. */
async function expectCleanAfter(store: Store, db: Database, expected: number[]): Promise<void> {
  await db.putItem({ TableName: 'things', Item: { id: { N: '1000' } } });
  await db.close();
  const again = await open(store);
  expect(again.recoveryReport!.damage).toEqual([]);
  expect(await ids(again)).toEqual([...expected, 1000]);
  await again.close();
}

describe.each(STORES)('$name', ({ create }) => {
  it('reports a deleted newest log segment: the file, and the LSN from which writes are lost', async () => {
    const store = create();
    await write(store, [150, 150]);
    await store.damage(async (device) => device.remove(segmentName(151)));
    const db = await open(store);
    expect(await ids(db)).toEqual(range(0, 150));
    expect(db.recoveryReport!.damage).toEqual([expect.objectContaining({ file: segmentName(151), reason: 'missing', lostFromLsn: 151 })]);
    expect(db.recoveryReport!.damage[0]!.action).toMatch(/manifest names it as the newest.*from record 151 on are lost/);
    await expectCleanAfter(store, db, range(0, 150));
  });

  it('reports a newest log segment emptied to 0 bytes, and sets it aside', async () => {
    const store = create();
    await write(store, [150, 150]);
    await store.damage(async (device) => device.truncate(segmentName(151), 0));
    const db = await open(store);
    expect(await ids(db)).toEqual(range(0, 150));
    expect(db.recoveryReport!.damage).toEqual([expect.objectContaining({ file: segmentName(151), reason: 'missing', lostFromLsn: 151, discardedBytes: 0 })]);
    expect(db.recoveryReport!.damage[0]!.action).toMatch(/^log segment empty/);
    await expectCleanAfter(store, db, range(0, 150));
    await store.damage(async (device) => expect(await device.list()).toContain(`${segmentName(151)}.damaged`));
  });

  it('reports a newest log segment cut to just below the end of its header', async () => {
    const store = create();
    await write(store, [150, 150]);
    await store.damage(async (device) => {
      const headerEnd = readFrames(await device.read(segmentName(151))).ends[0]!;
      await device.truncate(segmentName(151), headerEnd - 1);
    });
    const db = await open(store);
    expect(await ids(db)).toEqual(range(0, 150));
    expect(db.recoveryReport!.damage).toEqual([expect.objectContaining({ file: segmentName(151), reason: 'missing', lostFromLsn: 151, action: expect.stringMatching(/^log segment cut inside its header/) })]);
    await expectCleanAfter(store, db, range(0, 150));
  });

  it('reports a deleted middle segment as the records missing from its first LSN, and replays nothing after it', async () => {
    const store = create();
    await write(store, [100, 100, 100]);
    await store.damage(async (device) => device.remove(segmentName(101)));
    const db = await open(store);
    expect(await ids(db)).toEqual(range(0, 100));
    const damage = db.recoveryReport!.damage;
    expect(damage[0]).toMatchObject({ file: segmentName(201), reason: 'sequence', lostFromLsn: 101, action: expect.stringMatching(/^log records 101 to 200 are missing/) });
    expect(damage.slice(1)).toEqual([expect.objectContaining({ file: segmentName(201), reason: 'unreplayed' })]);
    await expectCleanAfter(store, db, range(0, 100));
  });

  it('reports a deleted snapshot, recovering everything from the older one and the log', async () => {
    const store = create();
    await write(store, [60], [20, 40]);
    let deleted = '';
    await store.damage(async (device) => {
      const { snapshots } = await files(device);
      expect(snapshots).toHaveLength(2);
      deleted = snapshots[1]!.name;
      await device.remove(deleted);
    });
    const db = await open(store);
    expect(await ids(db)).toEqual(range(0, 60));
    expect(db.recoveryReport!.damage).toEqual([expect.objectContaining({ file: deleted, reason: 'missing' })]);
    expect(db.recoveryReport!.damage[0]!.lostFromLsn).toBeUndefined();
    await expectCleanAfter(store, db, range(0, 60));
  });

  it('reports both snapshots deleted, and the log records the older one replaced as lost from LSN 0', async () => {
    const store = create();
    await write(store, [60], [20, 40]);
    let deleted: string[] = [];
    await store.damage(async (device) => {
      deleted = (await files(device)).snapshots.map((snapshot) => snapshot.name);
      for (const name of deleted) await device.remove(name);
    });
    const db = await open(store);
    expect((await db.listTables({})).TableNames).toEqual([]);
    const damage = db.recoveryReport!.damage;
    expect(damage.slice(0, 3)).toEqual([
      expect.objectContaining({ file: deleted[0], reason: 'missing' }),
      expect.objectContaining({ file: deleted[1], reason: 'missing' }),
      expect.objectContaining({ reason: 'sequence', lostFromLsn: 0 }),
    ]);
    await db.close();
  });

  it('reports a deleted manifest (here with the newest segment it named)', async () => {
    const store = create();
    await write(store, [150, 150]);
    await store.damage(async (device) => {
      await device.remove(MANIFEST);
      await device.remove(segmentName(151));
    });
    const db = await open(store);
    expect(await ids(db)).toEqual(range(0, 150));
    expect(db.recoveryReport!.damage).toEqual([expect.objectContaining({ file: MANIFEST, reason: 'missing' })]);
    await expectCleanAfter(store, db, range(0, 150));
  });

  it('opens clean over what a crash while creating the newest segment leaves: an empty segment the manifest does not name', async () => {
    const store = create();
    await write(store, [150, 150]);
    await store.damage(async (device) => {
      const appender = await device.openAppender(segmentName(301));
      await appender.sync();
      await appender.close();
    });
    const db = await open(store);
    expect(db.recoveryReport!.damage).toEqual([]);
    expect(await ids(db)).toEqual(range(0, 300));
    await db.close();
  });

  it('opens a store written before manifests (version 1 log headers, no manifest) clean, and then guards it', async () => {
    const store = create();
    await write(store, [150, 150]);
    await store.damage(async (device) => {
      await device.remove(MANIFEST);
      for (const { name, lsn } of (await files(device)).segments) {
        const bytes = await device.read(name);
        const headerEnd = readFrames(bytes).ends[0]!;
        expect(decode(bytes, 8, headerEnd)).toEqual({ log: 2, startLsn: lsn });
        const header = frame(encode({ log: 1, startLsn: lsn }));
        const rewritten = new Uint8Array(header.length + bytes.length - headerEnd);
        rewritten.set(header);
        rewritten.set(bytes.subarray(headerEnd), header.length);
        await device.writeAtomically(name, oneChunk(rewritten));
      }
    });
    const db = await open(store);
    expect(db.recoveryReport!.damage).toEqual([]);
    expect(await ids(db)).toEqual(range(0, 300));
    await db.putItem({ TableName: 'things', Item: { id: { N: '300' } } });
    await db.close();
    // Written by this version now: losing the newest segment is detected.
    await store.damage(async (device) => device.remove(segmentName(301)));
    const after = await open(store);
    expect(after.recoveryReport!.damage).toEqual([expect.objectContaining({ file: segmentName(301), reason: 'missing', lostFromLsn: 301 })]);
    expect(await ids(after)).toEqual(range(0, 300));
    await after.close();
  });
});
