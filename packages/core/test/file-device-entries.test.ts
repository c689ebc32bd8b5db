/**
 * The file store meets entries it did not write: a directory inside the store directory named like a
 * log segment, a snapshot or the lock stops opening with an error that names its path (not a bare EISDIR).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';

afterAll(removeTemporaryDirectories);

it.each(['log-0000000000000000.wal', 'snapshot-0000000000000005.snap', 'LOCK'])('refuses to open a store holding a directory named %s, naming its path', async (name) => {
  const dir = temporaryDirectory();
  mkdirSync(join(dir, name));
  const db = new Database({ storage: fileStorage(dir) });
  await expect(db.open()).rejects.toThrow(`EISDIR: illegal operation on a directory, read '${join(dir, name)}'`);
  // Refusing it released the lock: opening again meets the same directory, not StoreLockedError.
  await expect(new Database({ storage: fileStorage(dir) }).open()).rejects.toThrow(join(dir, name));
});
