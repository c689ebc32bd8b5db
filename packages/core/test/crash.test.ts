/**
 * Crash safety under `strict`: a child process (fixtures/persistence/crash-writer.ts) writes single
 * puts and multi-item transactions concurrently and prints each acknowledged write; it is killed with
 * SIGKILL at a random moment, round after round on the same directory. After each kill the store is
 * reopened here: every write the child saw acknowledged is present, no transaction is partial (the ten
 * account balances still add up to 10,000, and every recorded transfer is matched), the storage
 * invariants hold, and the only damage recovery may report is a torn tail (an unacknowledged write).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { checkInvariants, removeTemporaryDirectories, temporaryDirectory } from './fixtures/persistence/helpers.js';

afterAll(removeTemporaryDirectories);

const WRITER = fileURLToPath(new URL('./fixtures/persistence/crash-writer.ts', import.meta.url));
const ROUNDS = 8;

/** Runs the writer until `killAfterMs` after it is ready, SIGKILLs it, and returns the writes it acknowledged. */
function runAndKill(dir: string, seed: number, killAfterMs: number, durability = 'strict'): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(seed), durability], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended on its own (${String(_code)}): ${err}`));
      // A line cut short by the kill was not a complete acknowledgement.
      const lines = out.split('\n').slice(0, -1);
      resolve(lines.filter((line) => line.startsWith('P ') || line.startsWith('T ')).map((line) => line.slice(2)));
    });
  });
}

/** Reopens the store and checks what every round checks: whole transactions, invariants; returns the item ids. */
async function reopenAndCheck(dir: string): Promise<Set<string>> {
  const db = new Database({ storage: fileStorage(dir) });
  await db.open();
  try {
    for (const damage of db.recoveryReport!.damage) expect(damage.reason).toBe('torn');
    const items = new Map<string, Record<string, { S?: string; N?: string }>>();
    let ExclusiveStartKey: Record<string, never> | undefined;
    do {
      const page = await db.scan({ TableName: 'crash', ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
      for (const item of page.Items ?? []) items.set((item.id as { S: string }).S, item as never);
      ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
    } while (ExclusiveStartKey !== undefined);
    // Transactions are whole: the balances add up, and each account's balance is what its recorded transfers made it.
    const balances = Array.from({ length: 10 }, (_, i) => Number(items.get(`account-${i}`)!.balance!.N));
    expect(balances.reduce((a, b) => a + b, 0)).toBe(10_000);
    const expected = Array.from({ length: 10 }, () => 1000);
    for (const [id, item] of items) {
      if (!id.startsWith('transfer-')) continue;
      expected[Number(item.from!.N)]! -= Number(item.amount!.N);
      expected[Number(item.to!.N)]! += Number(item.amount!.N);
    }
    expect(balances).toEqual(expected);
    checkInvariants(db);
    const byKind = await db.query({ TableName: 'crash', IndexName: 'by-kind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'account' } }, Select: 'COUNT' });
    expect(byKind.Count).toBe(10);
    return new Set(items.keys());
  } finally {
    await db.close();
  }
}

it(
  'keeps every acknowledged write and no partial transaction across SIGKILLs at random moments',
  async () => {
    const dir = temporaryDirectory('magneto-crash-');
    const acknowledged = new Set<string>();
    let totalAcknowledged = 0;
    const schedule = fc.sample(fc.integer({ min: 20, max: 700 }), { numRuns: ROUNDS, seed: 9 });
    for (let round = 0; round < ROUNDS; round++) {
      const written = await runAndKill(dir, round + 1, schedule[round]!);
      for (const id of written) acknowledged.add(id);
      totalAcknowledged += written.length;

      const present = await reopenAndCheck(dir);
      const missing = [...acknowledged].filter((id) => !present.has(id));
      expect(missing, `round ${round}: acknowledged writes lost`).toEqual([]);
    }
    expect(totalAcknowledged).toBeGreaterThan(ROUNDS * 10);
  },
  60_000,
);

it(
  'never shows part of a transaction after SIGKILLs under batched (which may lose its last interval)',
  async () => {
    const dir = temporaryDirectory('magneto-crash-batched-');
    const schedule = fc.sample(fc.integer({ min: 20, max: 500 }), { numRuns: 3, seed: 11 });
    for (let round = 0; round < schedule.length; round++) {
      await runAndKill(dir, 100 + round, schedule[round]!, 'batched');
      await reopenAndCheck(dir);
    }
  },
  30_000,
);
