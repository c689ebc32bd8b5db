/**
 * The file store's single-writer lock (`LOCK`, src/node/lock-file.ts), through the public API: many
 * processes (fixtures/persistence/lock-racer.ts) open one directory at the same instant, round after
 * round — on a fresh directory, over the lock of a racer SIGKILLed the round before, over an
 * older version's lock of a dead process — and exactly one gets it each round; every other one is
 * refused with StoreLockedError naming the winner, and every write a winner saw acknowledged is there
 * afterwards. A lock file that names no holder is refused by all, naming the file. Four Databases of one
 * process racing: one opens. A breaker killed mid-break does not lock the store for good.
 * `MAGNETO_STRESS=1` runs more racers and rounds.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, StoreLockedError } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import type { RacerAnswer, RacerCommand } from './fixtures/persistence/lock-racer.js';
import { removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';

afterAll(removeTemporaryDirectories);

const RACER = fileURLToPath(new URL('./fixtures/persistence/lock-racer.ts', import.meta.url));
const STRESS = process.env.MAGNETO_STRESS === '1';
const RACERS = STRESS ? 12 : 8;
const ROUNDS = STRESS ? 40 : 4;
const PUTS = 5;

/** A pool of racer processes, each ready for the next `race`. */
class Racers {
  private readonly children: ChildProcess[] = [];
  private readonly inbox = new Map<ChildProcess, Array<(answer: RacerAnswer) => void>>();

  async start(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.spawn()));
  }

  /** Has every racer open `dir` at the same instant; resolves with every answer. */
  race(dir: string, round: number): Promise<RacerAnswer[]> {
    const at = Date.now() + 200;
    return Promise.all(this.children.map((child) => this.ask(child, { kind: 'race', dir, at, puts: PUTS, round })));
  }

  /** The winner closes its database, releasing the lock. */
  async close(pid: number): Promise<void> {
    await this.ask(this.child(pid), { kind: 'close' });
  }

  /** The winner dies holding the lock (a crash): it is replaced by a fresh racer. */
  async kill(pid: number): Promise<void> {
    const child = this.child(pid);
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
    this.children.splice(this.children.indexOf(child), 1);
    await this.spawn();
  }

  stop(): void {
    for (const child of this.children.splice(0)) child.kill('SIGKILL');
  }

  private child(pid: number): ChildProcess {
    return this.children.find((child) => child.pid === pid)!;
  }

  private ask(child: ChildProcess, command: RacerCommand): Promise<RacerAnswer> {
    return new Promise((resolve) => {
      this.inbox.get(child)!.push(resolve);
      child.send(command);
    });
  }

  private spawn(): Promise<void> {
    const child = fork(RACER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.inbox.set(child, []);
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('message', (answer: RacerAnswer) => {
        if (answer.kind === 'ready') {
          this.children.push(child);
          return resolve();
        }
        this.inbox.get(child)!.shift()!(answer);
      });
    });
  }
}

/** The one winner of a round; asserts every other racer was refused with an error naming it. */
function winnerOf(answers: RacerAnswer[]): Extract<RacerAnswer, { kind: 'won' }> {
  const winners = answers.filter((answer) => answer.kind === 'won');
  expect(winners.map((winner) => winner.pid), 'exactly one winner').toHaveLength(1);
  const winner = winners[0]!;
  for (const answer of answers) {
    if (answer.kind !== 'lost') continue;
    expect(answer.name).toBe('StoreLockedError');
    expect(answer.message).toContain(`is in use by process ${winner.pid} on ${hostname()} since `);
  }
  return winner;
}

async function itemIds(dir: string): Promise<string[]> {
  const db = new Database({ storage: fileStorage(dir) });
  await db.open();
  const ids = ((await db.scan({ TableName: 'race' })).Items ?? []).map((item) => (item.id as { S: string }).S);
  await db.close();
  return ids.sort();
}

/** A pid no process has: one that just exited. */
function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', () => resolve(child.pid!)));
}

describe('LOCK, many processes opening one directory at once', () => {
  const racers = new Racers();
  beforeAll(() => racers.start(RACERS), 60_000);
  afterAll(() => racers.stop());

  it(`gives exactly one of ${RACERS} racers the store in each of ${ROUNDS} rounds, over no lock and over a dead holder's lock, and loses no acknowledged write`, async () => {
    const dir = temporaryDirectory();
    const acknowledged: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Every fourth round starts over a lock an older version left when its process died: no nonce.
      if (round % 4 === 2) writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: await deadPid(), host: hostname(), since: '2026-11-27T00:00:00.000Z' }));
      const winner = winnerOf(await racers.race(dir, round));
      acknowledged.push(...winner.acknowledged);
      // Half the winners crash holding the lock: the next round races over their stale lock.
      if (round % 2 === 0) await racers.kill(winner.pid);
      else await racers.close(winner.pid);
    }
    expect(await itemIds(dir)).toEqual(acknowledged.sort());
    expect(readdirSync(dir).filter((name) => name.startsWith('LOCK'))).toEqual([]);
  }, STRESS ? 1_800_000 : 120_000);

  it('refuses every racer over a lock file that names no holder, naming the file', async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, 'LOCK'), '');
    const answers = await racers.race(dir, 0);
    for (const answer of answers) {
      expect(answer.kind).toBe('lost');
      expect(answer.kind === 'lost' && answer.message).toContain(`has a lock file ${join(dir, 'LOCK')} that names no holder`);
    }
  }, 60_000);
});

describe('LOCK, within one process', () => {
  it('lets exactly one of four Databases racing to open a directory open it, over no lock and over a dead holder\'s lock', async () => {
    const dir = temporaryDirectory();
    const dead = await deadPid();
    for (let round = 0; round < 20; round++) {
      if (round % 2 === 1) writeFileSync(join(dir, 'LOCK'), JSON.stringify({ pid: dead, host: hostname(), since: 'then', nonce: `n${round}` }));
      const databases = Array.from({ length: 4 }, () => new Database({ storage: fileStorage(dir) }));
      const outcomes = await Promise.allSettled(databases.map((db) => db.open()));
      const opened = databases.filter((_, i) => outcomes[i]!.status === 'fulfilled');
      expect(opened, `round ${round}`).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        expect(outcome.reason).toBeInstanceOf(StoreLockedError);
        expect((outcome.reason as Error).message).toMatch(/^The store .* is in use by this process \(another open Database\) since /);
      }
      await opened[0]!.close();
    }
  });

  it('takes over a lock whose breaker died mid-break (its guard names a dead process), leaving no lock files behind', async () => {
    const dir = temporaryDirectory();
    const stale = JSON.stringify({ pid: await deadPid(), host: hostname(), since: 'then', nonce: 'holder' });
    writeFileSync(join(dir, 'LOCK'), stale);
    // The on-disk protocol: the guard of breaking file F holding record R is `LOCK.break-<sha256(F's name, R)>`.
    const guard = `LOCK.break-${createHash('sha256').update(`LOCK\n${stale}`).digest('hex').slice(0, 32)}`;
    writeFileSync(join(dir, guard), JSON.stringify({ pid: await deadPid(), host: hostname(), since: 'then', nonce: 'breaker' }));
    const db = new Database({ storage: fileStorage(dir) });
    await db.open();
    expect(readdirSync(dir).filter((name) => name.startsWith('LOCK'))).toEqual(['LOCK']);
    await db.close();
    expect(readdirSync(dir).filter((name) => name.startsWith('LOCK'))).toEqual([]);
  });

  it('refuses a lock file that is not a lock record, naming the file, and changes nothing', async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, 'LOCK'), '{"pid":');
    const refusal = await new Database({ storage: fileStorage(dir) }).open().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreLockedError);
    expect((refusal as Error).message).toBe(
      `The store ${dir} has a lock file ${join(dir, 'LOCK')} that names no holder (Magneto always writes one): if no process uses the store, delete ${join(dir, 'LOCK')}.`,
    );
    expect(readdirSync(dir)).toEqual(['LOCK']);
  });
});
