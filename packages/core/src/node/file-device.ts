/// <reference types="node" />
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogAppender, LogDevice } from '../persistence/log-device.js';
import { withPath } from './fs-errors.js';
import { acquireLockFile, releaseLockFile } from './lock-file.js';

/**
 * A LogDevice over one directory of Node's file system. Appends go through one file handle per log
 * segment (`fdatasync` to sync); whole files are written to `<name>.tmp`, fsynced and renamed; every
 * change to the directory's entries is followed by an fsync of the directory, so it survives power loss.
 */
export class FileLogDevice implements LogDevice {
  private lockPath: string;

  constructor(readonly location: string) {
    this.lockPath = join(location, 'LOCK');
  }

  async lock(): Promise<void> {
    await mkdir(this.location, { recursive: true });
    await acquireLockFile(this.lockPath, this.location);
    await this.syncDirectory();
  }

  async unlock(): Promise<void> {
    await releaseLockFile(this.lockPath);
  }

  async list(): Promise<string[]> {
    return readdir(this.location);
  }

  async read(name: string): Promise<Uint8Array> {
    const path = join(this.location, name);
    try {
      return await readFile(path);
    } catch (error) {
      throw withPath(error, path);
    }
  }

  async openAppender(name: string, options: { readonly durableWrites?: boolean } = {}): Promise<LogAppender> {
    // O_DSYNC: each write returns once its data (and the file size) is on disk, one system call per
    // group commit instead of write + fdatasync.
    const durableWrites = options.durableWrites === true && constants.O_DSYNC !== undefined;
    const flags = durableWrites ? constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC : 'w';
    const handle = await open(join(this.location, name), flags);
    await this.syncDirectory();
    return {
      writesAreDurable: durableWrites,
      append: (chunks) => writeAll(handle, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks as Uint8Array[])),
      sync: () => handle.datasync(),
      close: () => handle.close(),
    };
  }

  async writeAtomically(name: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const temporary = join(this.location, `${name}.tmp`);
    const handle = await open(temporary, 'w');
    try {
      for await (const chunk of chunks) await writeAll(handle, chunk);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temporary, join(this.location, name));
    await this.syncDirectory();
  }

  async truncate(name: string, length: number): Promise<void> {
    const handle = await open(join(this.location, name), 'r+');
    try {
      await handle.truncate(length);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async rename(from: string, to: string): Promise<void> {
    await rename(join(this.location, from), join(this.location, to));
    await this.syncDirectory();
  }

  async remove(name: string): Promise<void> {
    await rm(join(this.location, name), { force: true });
  }

  schedule(task: () => void): void {
    setImmediate(task);
  }

  /** Makes the directory's entries (files created, renamed) durable. */
  private async syncDirectory(): Promise<void> {
    const handle = await open(this.location, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
