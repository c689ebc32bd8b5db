/**
 * Strict durability's read fence under SIGKILL: a child process (fixtures/persistence/read-fence-writer.ts)
 * has 8 writers ADD 1 to one counter while 4 readers read it (ConsistentRead GetItem), and is killed at a
 * random moment (every other round: at the first read it prints after a random delay, when a read that
 * ran ahead of the disk would be exposed), round after round on one directory. After each kill the recovered counter is at least
 * every value a reader saw and every value a writer had acknowledged: no read showed a write that the
 * crash then lost. 4 rounds here; MAGNETO_STRESS=1 runs 30.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';

afterAll(removeTemporaryDirectories);

const WRITER = fileURLToPath(new URL('./fixtures/persistence/read-fence-writer.ts', import.meta.url));
const ROUNDS = process.env.MAGNETO_STRESS === '1' ? 30 : 4;
const SEED = Number(process.env.MAGNETO_SEED ?? 14);

/**
 * Runs the child until `killAfterMs` after it is ready (then, with `atRead`, until it next prints a read),
 * SIGKILLs it, and returns the highest `A` and `R` values it printed.
 */
function runAndKill(dir: string, killAfterMs: number, atRead: boolean): Promise<{ acknowledged: number; read: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (armed && /(^|\n)R /.test(chunk)) child.kill('SIGKILL');
      if (timer === undefined && out.includes('ready\n')) {
        timer = setTimeout(() => (atRead ? (armed = true) : child.kill('SIGKILL')), killAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended on its own (${String(code)}): ${err}`));
      const highest = { acknowledged: -1, read: -1 };
      // A line cut short by the kill was not printed whole.
      for (const line of out.split('\n').slice(0, -1)) {
        if (line.startsWith('A ')) highest.acknowledged = Math.max(highest.acknowledged, Number(line.slice(2)));
        else if (line.startsWith('R ')) highest.read = Math.max(highest.read, Number(line.slice(2)));
      }
      resolve(highest);
    });
  });
}

async function recoveredCounter(dir: string): Promise<number> {
  const db = new Database({ storage: fileStorage(dir) });
  await db.open();
  try {
    for (const damage of db.recoveryReport!.damage) expect(damage.reason).toBe('torn');
    const { Item } = await db.getItem({ TableName: 'counter', Key: { id: { S: 'counter' } } });
    return Number((Item?.n as { N: string } | undefined)?.N ?? 0);
  } finally {
    await db.close();
  }
}

it(
  'strict: after a SIGKILL at a random moment, no reader had seen a value that recovery lost',
  async () => {
    const dir = temporaryDirectory('magneto-read-fence-');
    const schedule = fc.sample(fc.integer({ min: 0, max: 250 }), { numRuns: ROUNDS, seed: SEED });
    let reads = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { acknowledged, read } = await runAndKill(dir, schedule[round]!, round % 2 === 0);
      const recovered = await recoveredCounter(dir);
      const seen = { round, seed: SEED, read, acknowledged, recovered };
      expect(Math.max(read, acknowledged, recovered), JSON.stringify(seen)).toBe(recovered);
      if (read > 0) reads++;
    }
    expect(reads).toBeGreaterThan(0);
  },
  ROUNDS * 5_000,
);
