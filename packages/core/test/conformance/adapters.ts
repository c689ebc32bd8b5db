/**
 * The storage adapters the conformance suite runs over, each able to open a database on a fresh
 * store, reopen the same store, and reach the store's raw device (beneath any encryption) to damage it.
 */
import { truncate } from 'node:fs/promises';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { IndexedDbLogDevice, indexedDbStorage, type Durability, type LogDevice } from '../../src/index.js';
import { FileLogDevice, fileStorage } from '../../src/node/index.js';
import { storeFiles } from '../../src/persistence/files.js';
import type { ConformanceAdapter, ConformanceStore } from '../../src/testing/index.js';
import { temporaryDirectory } from '../fixtures/persistence/helpers.js';

export type { ConformanceAdapter, ConformanceStore as Store };

/** One AES-256-GCM key for the encrypted adapters. */
export const KEY = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);

async function tearNewestSegment(device: LogDevice, bytes: number): Promise<void> {
  await device.lock();
  try {
    const { segments } = storeFiles(await device.list());
    const newest = segments[segments.length - 1]!;
    const length = (await device.read(newest.name)).length;
    await device.truncate(newest.name, length - bytes);
  } finally {
    await device.unlock();
  }
}

const memory: ConformanceAdapter = {
  name: 'memory',
  durable: false,
  encrypted: false,
  create: () => ({
    storage: () => ({ kind: 'memory', layout: {} }),
    tearLog: async () => {
      throw new Error('memory has no log');
    },
  }),
};

function file(encrypted: boolean): ConformanceAdapter {
  return {
    name: encrypted ? 'file, encrypted' : 'file',
    durable: true,
    encrypted,
    create() {
      const dir = temporaryDirectory();
      return {
        storage: (key) => {
          const encryptionKey = key === undefined ? (encrypted ? KEY : undefined) : (key ?? undefined);
          return fileStorage(dir, encryptionKey === undefined ? {} : { encryptionKey });
        },
        // Below the device: the bytes on disk.
        tearLog: async (bytes) => {
          const device = new FileLogDevice(dir);
          const { segments } = storeFiles(await device.list());
          const newest = segments[segments.length - 1]!;
          const path = `${dir}/${newest.name}`;
          const length = (await device.read(newest.name)).length;
          await truncate(path, length - bytes);
        },
      };
    },
  };
}

function indexedDb(encrypted: boolean, durability: Durability = 'strict'): ConformanceAdapter {
  return {
    name: `IndexedDB (fake-indexeddb, ${durability})${encrypted ? ', encrypted' : ''}`,
    durable: true,
    encrypted,
    create() {
      // A fresh IDBFactory per store: nothing is shared between tests.
      const indexedDB = new IDBFactory();
      const implementation = { indexedDB, IDBKeyRange };
      return {
        storage: (key) => {
          const encryptionKey = key === undefined ? (encrypted ? KEY : undefined) : (key ?? undefined);
          return indexedDbStorage('conformance', { ...implementation, durability, syncIntervalMs: 5, ...(encryptionKey === undefined ? {} : { encryptionKey }) });
        },
        tearLog: (bytes) => tearNewestSegment(new IndexedDbLogDevice('conformance', implementation), bytes),
      };
    },
  };
}

export const ADAPTERS: ConformanceAdapter[] = [memory, file(false), indexedDb(false), indexedDb(false, 'batched'), file(true), indexedDb(true)];
