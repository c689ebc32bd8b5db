/// <reference types="node" />
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ObjectStore, ObjectSummary } from '../export-import/object-store.js';

/**
 * An object store in a directory (Node): an object's key is its path below `root` (`/` separated), so an
 * export written here has the layout it would have in S3, and a directory holding a real export
 * downloaded from S3 (`aws s3 sync`) imports as it is. A put writes a temporary file and renames it, so a
 * reader never sees half an object.
 *
 * @example
 * import { directoryObjectStore } from '@magneto/backup/node';
 * const db = new Database({ modules: [backup({ objectStores: { exports: directoryObjectStore('./exports') } })] });
 */
export function directoryObjectStore(root: string): ObjectStore {
  const pathOf = (key: string): string => {
    const path = join(root, ...key.split('/'));
    if (relative(root, path).startsWith('..')) throw new Error(`Key outside the store: ${key}`);
    return path;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.partial`;
      await pipeline(Readable.from(body), createWriteStream(temporary));
      await rename(temporary, path);
    },
    get(key) {
      return createReadStream(pathOf(key)) as AsyncIterable<Uint8Array>;
    },
    async *list(prefix): AsyncIterable<ObjectSummary> {
      const files: string[] = [];
      await walk(root, files);
      const keys = files.map((path) => relative(root, path).split(sep).join('/')).filter((key) => key.startsWith(prefix) && !key.endsWith('.partial'));
      keys.sort();
      for (const key of keys) yield { key, size: (await stat(pathOf(key))).size };
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

async function walk(directory: string, files: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) await walk(path, files);
    else if (entry.isFile()) files.push(path);
  }
}
