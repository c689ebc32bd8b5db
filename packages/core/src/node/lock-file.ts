/// <reference types="node" />
import { hostname } from 'node:os';
import { open, readFile, rm } from 'node:fs/promises';
import { StoreLockedError } from '../persistence/log-device.js';

/**
 * The single-writer lock of a store directory: a `LOCK` file created exclusively (O_EXCL), holding
 * the holder's pid, host and start time. A lock whose holder process no longer exists on this host is
 * stale (the holder was killed) and is taken over; any other holder makes opening fail, naming it.
 */

interface Holder {
  pid: number;
  host: string;
  since: string;
}

const ours = new Set<string>();

export async function acquireLockFile(path: string, location: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try {
        const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
        await handle.writeFile(JSON.stringify(holder));
        await handle.sync();
      } finally {
        await handle.close();
      }
      ours.add(path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(path);
    if (holder !== undefined && (holder.host !== hostname() || holder.pid === process.pid || isAlive(holder.pid))) {
      const who = holder.pid === process.pid && holder.host === hostname() ? 'this process (another open Database)' : `process ${holder.pid} on ${holder.host}`;
      throw new StoreLockedError(
        `The store ${location} is in use by ${who} since ${holder.since}: close that database first. ` +
          `(If that process is gone, delete ${path}.)`,
        { ...holder },
      );
    }
    // Stale: its holder died without closing (or died while writing it). Take it over.
    await rm(path, { force: true });
  }
  throw new StoreLockedError(`The store ${location} is being opened by another process at the same moment`, {});
}

export async function releaseLockFile(path: string): Promise<void> {
  if (!ours.delete(path)) return;
  const holder = await readHolder(path);
  if (holder?.pid === process.pid && holder.host === hostname()) await rm(path, { force: true });
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, since: String(parsed.since) };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
