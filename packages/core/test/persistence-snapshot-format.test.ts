/**
 * Durable snapshots hold items as storage holds them (item-codec.ts) with the name dictionary they
 * were encoded with: a store reopened from its snapshot alone holds what it held, across partitions,
 * small chunks, secondary indexes and every kind of value; and a store whose newest snapshot was
 * written by an older version (msgpack items, version 2) still opens with everything in it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database, type Item } from '@magneto/core';
import { fileStorage, type FileStorageOptions } from '@magneto/core/node';
import { decode, decodeRecords, encodableItem, encode, encodeRecords } from '../src/persistence/codec.js';
import { frame, readFrames } from '../src/persistence/frame.js';
import { validateItem } from '../src/model/validate-item.js';
import type { PrimaryKeySchema } from '../src/model/key-schema.js';
import { HASH_SPACE } from '../src/storage/hash-prefix.js';
import { decodeItem, storedItemSize, unpackStoredItems } from '../src/storage/item-codec.js';
import { primaryKeyCodeOf } from '../src/storage/storage-key.js';
import { TableStorage } from '../src/storage/table-storage.js';
import { checkInvariants, dump, removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';

afterAll(removeTemporaryDirectories);

const OPTIONS: FileStorageOptions = { durability: 'none', snapshotChunkItems: 7 };

function itemFor(i: number): Item {
  const item: Record<string, unknown> = {
    pk: { S: `p${i % 13}` },
    sk: { N: String(i) },
    g: { S: `g${i % 5}` },
    text: { S: i % 3 === 0 ? `ünï-😀-${i}` : 'x'.repeat(i % 200) },
    bytes: { B: Uint8Array.of(i % 256, 0, 255) },
    nested: { M: { list: { L: [{ N: `-${i}.25` }, { NULL: true }, { BOOL: i % 2 === 0 }] }, set: { SS: ['a', `b${i}`] } } },
  };
  if (i % 4 === 0) Object.defineProperty(item, '__proto__', { value: { NS: ['1', String(i + 2)] }, enumerable: true, writable: true, configurable: true });
  if (i % 6 === 0) item[`only${i}`] = { BS: [Uint8Array.of(1)] };
  return item as Item;
}

/** A store with a plain table and an indexed one, snapshotted; returns it open, with its directory. */
async function snapshottedStore(): Promise<{ db: Database; dir: string }> {
  const dir = temporaryDirectory();
  const db = new Database({ storage: fileStorage(dir, OPTIONS) });
  await db.open();
  const keys = {
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' as const },
      { AttributeName: 'sk', AttributeType: 'N' as const },
      { AttributeName: 'g', AttributeType: 'S' as const },
    ],
    BillingMode: 'PAY_PER_REQUEST' as const,
  };
  await db.createTable({ TableName: 'plain', ...keys, AttributeDefinitions: keys.AttributeDefinitions.slice(0, 2) });
  await db.createTable({
    TableName: 'indexed',
    ...keys,
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    LocalSecondaryIndexes: [{ IndexName: 'byG-local', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  });
  for (let i = 0; i < 300; i++) {
    await db.putItem({ TableName: 'plain', Item: itemFor(i) });
    await db.putItem({ TableName: 'indexed', Item: itemFor(i) });
  }
  for (let i = 0; i < 300; i += 7) await db.deleteItem({ TableName: 'plain', Key: { pk: { S: `p${i % 13}` }, sk: { N: String(i) } } });
  await db.checkpoint();
  return { db, dir };
}

async function reopen(dir: string): Promise<Database> {
  const db = new Database({ storage: fileStorage(dir, OPTIONS) });
  await db.open();
  expect(db.recoveryReport?.damage).toEqual([]);
  expect(db.recoveryReport?.snapshot).toBeDefined();
  expect(db.recoveryReport?.replayedRecords).toBe(0);
  return db;
}

function newestSnapshot(dir: string): string {
  return join(dir, readdirSync(dir).filter((name) => name.endsWith('.snap')).sort().at(-1)!);
}

describe('TableStorage.visitStored (what a snapshot writes)', () => {
  it('visits every stored item in Scan order across partitions, resuming strictly after any key', () => {
    const storage = new TableStorage({ partitionSplitItems: 8, maxNodeSize: 4 });
    const schema: PrimaryKeySchema = { partitionKeys: [{ name: 'pk', type: 'S' }], sortKeys: [{ name: 'sk', type: 'N' }] };
    for (let i = 0; i < 200; i++) {
      const item = validateItem(itemFor(i) as Record<string, unknown>);
      storage.put(primaryKeyCodeOf(item, schema), item, (code) => ({ hash: (i * 7919) % HASH_SPACE, partitionKey: code.partitionKey, sortKey: code.sortKey }));
    }
    expect(storage.partitionCount).toBeGreaterThan(4);
    const scanned: Array<[string, Item]> = [];
    storage.visitScanRange(0, HASH_SPACE, undefined, (key, item) => scanned.push([key, item]) > 0);
    const visited: Array<[string, string]> = [];
    storage.visitStored(undefined, (key, stored) => visited.push([key, stored]) > 0);
    expect(visited.map(([key, stored]) => [key, decodeItem(stored)])).toEqual(scanned);
    for (const start of [0, 1, 57, 198, 199]) {
      const after: string[] = [];
      storage.visitStored(visited[start]![0], (key) => after.push(key) < 5);
      expect(after).toEqual(visited.slice(start + 1, start + 6).map(([key]) => key));
    }
  });
});

describe('durable snapshots of stored items', () => {
  it('reopen from the snapshot alone with every item and index entry', async () => {
    const { db, dir } = await snapshottedStore();
    const before = await dump(db);
    await db.close();
    const reopened = await reopen(dir);
    expect(await dump(reopened)).toEqual(before);
    checkInvariants(reopened);
    await reopened.close();
  });

  it('open a store whose newest snapshot holds msgpack items (version 2) with everything in it', async () => {
    const { db, dir } = await snapshottedStore();
    const before = await dump(db);
    await db.close();
    // Rewrite the snapshot as the previous version wrote it.
    const path = newestSnapshot(dir);
    const { payloads, damage } = readFrames(new Uint8Array(readFileSync(path)));
    expect(damage).toBeUndefined();
    const header = decode(payloads[0]!) as Record<string, unknown>;
    expect(header.snapshot).toBe(3);
    header.snapshot = 2;
    delete header.names;
    const frames = [frame(encode(header))];
    for (const payload of payloads.slice(1)) {
      const chunk = decodeRecords(payload) as { t: number; stored: Uint8Array; lengths: number[]; hashes: number[] } | { end: number };
      if ('end' in chunk) {
        frames.push(frame(payload));
        continue;
      }
      const stored = unpackStoredItems(chunk.stored, chunk.lengths);
      const items = stored.map((s) => encodableItem(decodeItem(s)));
      // Version 3 records each hash as its step from the previous one; version 2 as it is.
      let hash = 0;
      const hashes = chunk.hashes.map((step) => (hash += step));
      frames.push(frame(encodeRecords({ t: chunk.t, items, sizes: stored.map(storedItemSize), hashes })));
    }
    writeFileSync(path, Buffer.concat(frames));
    const reopened = await reopen(dir);
    expect(await dump(reopened)).toEqual(before);
    checkInvariants(reopened);
    await reopened.close();
  });

  it('set aside a snapshot whose stored items do not match their lengths', async () => {
    const { db, dir } = await snapshottedStore();
    await db.close();
    const path = newestSnapshot(dir);
    const { payloads } = readFrames(new Uint8Array(readFileSync(path)));
    const chunk = decodeRecords(payloads[1]!) as { t: number; stored: Uint8Array; lengths: number[]; hashes: number[] };
    chunk.lengths[0]! += 1;
    const frames = [frame(payloads[0]!), frame(encode(chunk)), ...payloads.slice(2).map((p) => frame(p))];
    writeFileSync(path, Buffer.concat(frames));
    const reopened = new Database({ storage: fileStorage(dir, OPTIONS) });
    await reopened.open();
    expect(reopened.recoveryReport?.damage).toEqual([expect.objectContaining({ reason: 'format', action: expect.stringContaining('snapshot not used (stored items: lengths out of the bytes)') })]);
    await reopened.close();
  });
});
