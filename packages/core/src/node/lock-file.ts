/// <reference types="node" />
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StoreLockedError } from '../persistence/log-device.js';
import { withPath } from './fs-errors.js';

/**
 * The single-writer lock of a store directory: a `LOCK` file holding its holder's record (pid, host,
 * start time, a random nonce). Node has no flock, so taking it is one atomic step of the file system:
 * the record is written to a draft file of its own and fsynced, then hard-linked as `LOCK` — `link`
 * fails with EEXIST while `LOCK` exists. `LOCK` is thus never seen empty or half written, and of any
 * number of processes opening at once exactly one gets it; the others are refused, naming it.
 *
 * A holder on this host whose process is gone (killed, crashed) is stale and is broken, race-free too:
 * the breaker first takes a guard, `LOCK.break-<hash of the stale file's name and record>`, by the same
 * link (one breaker per stale record), then re-reads the file and removes it only if it still holds that
 * record. Nobody else can remove or replace it meanwhile (its holder is dead, the guard is taken), so a
 * breaker never removes a lock another process has just taken; other openers find the guard taken or
 * a new holder, and wait or are refused. A breaker killed mid-break leaves a guard naming a dead
 * process, broken the same way (its own guard), so no crash locks the store for good; the next owner
 * sweeps such leftovers. A `LOCK` naming no holder cannot come from this protocol (an older version's
 * crash, a hand edit): it is refused, naming the file, rather than guessed stale.
 */

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/** How often an opener looks again while another process is breaking a stale lock. */
const ATTEMPTS = 400;

/** The record of each lock this process holds, by path: a release removes only its own. */
const ours = new Map<string, string>();

export async function acquireLockFile(path: string, location: string): Promise<void> {
  const nonce = randomBytes(12).toString('hex');
  const record = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), nonce });
  const draft = `${path}.draft-${nonce}`;
  await writeFile(draft, record, { flag: 'wx', flush: true });
  try {
    let seen: Holder | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await publish(draft, path)) {
        ours.set(path, record);
        await sweepLeftovers(path, draft);
        return;
      }
      const found = await readRecord(path);
      if (found === undefined) continue; // released in between: try again
      seen = holderIn(found, path, location);
      if (isAlive(seen)) throw lockedError(location, path, seen);
      await breakStale(path, path, found, draft, location);
    }
    throw new StoreLockedError(
      `The store ${location} is being opened by another process at the same moment${seen === undefined ? '' : ` (last seen holding it: process ${seen.pid} on ${seen.host})`}: try again.`,
      { ...seen },
    );
  } finally {
    await rm(draft, { force: true });
  }
}

export async function releaseLockFile(path: string): Promise<void> {
  const record = ours.get(path);
  if (record === undefined) return;
  ours.delete(path);
  if ((await readRecord(path)) === record) await unlink(path);
}

/**
 * Removes `target` (the lock or a guard) if it still holds `record`, whose holder is dead — under the
 * guard of that record, which one breaker at a time holds. Returns once this attempt is over, whatever
 * its outcome: the caller looks again.
 */
async function breakStale(lock: string, target: string, record: string, draft: string, location: string): Promise<void> {
  const guard = `${lock}.break-${createHash('sha256').update(`${basename(target)}\n${record}`).digest('hex').slice(0, 32)}`;
  if (!(await publish(draft, guard))) {
    const found = await readRecord(guard);
    if (found === undefined) return; // that breaker is done
    const breaker = holderIn(found, guard, location);
    if (isAlive(breaker)) await pause();
    else await breakStale(lock, guard, found, draft, location);
    return;
  }
  try {
    if ((await readRecord(target)) === record) await rm(target, { force: true });
  } finally {
    await unlink(guard);
  }
}

/**
 * Removes what openers killed mid-way left beside `lock`: drafts (private to their dead writer) and
 * guards naming a dead process (broken as any stale file). Best effort: a leftover is harmless, so one
 * that cannot be removed now stays for a later owner.
 */
async function sweepLeftovers(lock: string, draft: string): Promise<void> {
  const directory = dirname(lock);
  const prefix = `${basename(lock)}.`;
  for (const name of await readdir(directory)) {
    const file = join(directory, name);
    if (!name.startsWith(prefix) || file === draft) continue;
    const record = await readRecord(file).catch(() => undefined);
    const holder = record === undefined ? undefined : parseHolder(record);
    if (holder === undefined || isAlive(holder)) continue;
    if (name.startsWith(`${prefix}draft-`)) await rm(file, { force: true }).catch(() => undefined);
    else if (name.startsWith(`${prefix}break-`)) await breakStale(lock, file, record!, draft, directory).catch(() => undefined);
  }
}

/** Links `draft` as `path`: true if it now holds the draft's record, false if `path` already existed. */
async function publish(draft: string, path: string): Promise<boolean> {
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** A file's text; undefined once it is gone. */
async function readRecord(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw withPath(error, path);
  }
}

function parseHolder(record: string): Holder | undefined {
  try {
    const parsed = JSON.parse(record) as Partial<Holder> | null;
    if (!Number.isSafeInteger(parsed?.pid) || parsed!.pid! <= 0 || typeof parsed!.host !== 'string') return undefined;
    return { pid: parsed!.pid!, host: parsed!.host, since: String(parsed!.since) };
  } catch {
    return undefined;
  }
}

/** The holder `record` (read from `file`) names; one naming none is refused, never judged stale. */
function holderIn(record: string, file: string, location: string): Holder {
  const holder = parseHolder(record);
  if (holder !== undefined) return holder;
  throw new StoreLockedError(
    `The store ${location} has a lock file ${file} that names no holder (Magneto always writes one): if no process uses the store, delete ${file}.`,
    {},
  );
}

/** Whether the holder may still hold it: a process of another host cannot be checked, so it may. */
function isAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(location: string, path: string, holder: Holder): StoreLockedError {
  const who = holder.pid === process.pid && holder.host === hostname() ? 'this process (another open Database)' : `process ${holder.pid} on ${holder.host}`;
  return new StoreLockedError(
    `The store ${location} is in use by ${who} since ${holder.since}: close that database first. (If that process is gone, delete ${path}.)`,
    { ...holder },
  );
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 18));
}
