import type { ObjectStore, ObjectSummary } from './object-store.js';

/** The parts of the File System API's directory handle used here (its async iteration is not in TypeScript's DOM lib). */
interface DirectoryHandle {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<DirectoryHandle>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<FileSystemFileHandle>;
  removeEntry(name: string): Promise<void>;
  entries(): AsyncIterable<[string, { kind: 'file' | 'directory' }]>;
}

// A key's segments become nested directories; names carry a kind prefix, so that S3's `a` and `a/b` (a
// file and a directory of one name) can both exist, and are percent-encoded, so that `.`, `..` and ''
// (`a//b`) are names the origin private file system accepts.
const directoryName = (segment: string) => `d${encodeURIComponent(segment)}`;
const fileName = (segment: string) => `f${encodeURIComponent(segment)}`;

/**
 * An object store in the origin private file system (OPFS), in the directory `root`. A put writes
 * through `createWritable()`, whose swap file the browser moves into place on close, so a reader never
 * sees half an object; a get streams the file. Listing walks the directories and sorts the keys.
 */
export function opfsObjectStore(root: FileSystemDirectoryHandle | Promise<FileSystemDirectoryHandle>): ObjectStore {
  /** The directory holding `key`'s file (created along the way when `create`), and the file's name. */
  const locate = async (key: string, create: boolean): Promise<{ directory: DirectoryHandle; name: string }> => {
    const segments = key.split('/');
    let directory = (await root) as unknown as DirectoryHandle;
    for (const segment of segments.slice(0, -1)) directory = await directory.getDirectoryHandle(directoryName(segment), { create });
    return { directory, name: fileName(segments.at(-1)!) };
  };
  return {
    async put(key, body) {
      const { directory, name } = await locate(key, true);
      const existed = await directory.getFileHandle(name).then(
        () => true,
        () => false,
      );
      const handle = await directory.getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      try {
        for await (const chunk of body) await writable.write(chunk as Uint8Array<ArrayBuffer>);
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => undefined);
        // A put that fails leaves what was there: nothing, when the object is new.
        if (!existed) await directory.removeEntry(name).catch(() => undefined);
        throw error;
      }
    },
    async *get(key) {
      const { directory, name } = await locate(key, false);
      const file = await (await directory.getFileHandle(name)).getFile();
      const reader = file.stream().getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
    async *list(prefix): AsyncIterable<ObjectSummary> {
      const found: Array<{ key: string; file: FileSystemFileHandle }> = [];
      await walk((await root) as unknown as DirectoryHandle, '', prefix, found);
      found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const { key, file } of found) yield { key, size: (await file.getFile()).size };
    },
    async delete(key) {
      try {
        const { directory, name } = await locate(key, false);
        await directory.removeEntry(name);
      } catch (error) {
        if ((error as { name?: string }).name !== 'NotFoundError') throw error;
      }
    },
  };
}

/** Collects the files below `directory` (whose keys start with `path`) that start with `prefix`. */
async function walk(directory: DirectoryHandle, path: string, prefix: string, found: Array<{ key: string; file: FileSystemFileHandle }>): Promise<void> {
  for await (const [name, entry] of directory.entries()) {
    const segment = decodeURIComponent(name.slice(1));
    if (name.startsWith('d')) {
      const below = `${path}${segment}/`;
      // Only directories that can hold a matching key are entered.
      if (below.startsWith(prefix) || prefix.startsWith(below)) await walk(await directory.getDirectoryHandle(name), below, prefix, found);
    } else if (entry.kind === 'file' && `${path}${segment}`.startsWith(prefix)) {
      found.push({ key: `${path}${segment}`, file: await directory.getFileHandle(name) });
    }
  }
}
