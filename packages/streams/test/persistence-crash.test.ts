/**
 * Crash safety of streams: a child process writes under `strict` and is killed with SIGKILL at random
 * moments, several rounds on one directory. After each restart every acknowledged write has exactly one
 * stream record, every item has one, eventIDs and SequenceNumbers are unique, and reopening again
 * reads back the very same records (recovery is deterministic, so consumers' positions stay valid).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createRequestHandler, Database } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { streams } from '@magneto/streams';
import { DynamoDBStreamsClient, ListStreamsCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, expect, it } from 'vitest';
import { readStream, REGION } from './support/clients.js';

const WRITER = fileURLToPath(new URL('./persistence-crash-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function runAndKill(dir: string, seed: number, killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(seed)], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer ended on its own (${String(code)}): ${err}`));
      const lines = out.split('\n').slice(0, -1);
      resolve(lines.filter((line) => line.startsWith('A ')).map((line) => line.slice(2)));
    });
  });
}

async function reopen(dir: string): Promise<{ records: _Record[]; items: Set<string> }> {
  const db = new Database({ modules: [streams()], storage: fileStorage(dir) });
  await db.open();
  try {
    for (const damage of db.recoveryReport!.damage) expect(damage.reason).toBe('torn');
    const client = new DynamoDBStreamsClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db) });
    const { Streams } = await client.send(new ListStreamsCommand({ TableName: 'crash' }));
    expect(Streams).toHaveLength(1);
    const records = await readStream(client, Streams![0]!.StreamArn!);
    const items = new Set<string>();
    let ExclusiveStartKey: Record<string, never> | undefined;
    do {
      const page = await db.scan({ TableName: 'crash', ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) });
      for (const item of page.Items ?? []) items.add((item.id as { S: string }).S);
      ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
    } while (ExclusiveStartKey !== undefined);
    return { records, items };
  } finally {
    await db.close();
  }
}

it('SIGKILL at random moments: every acknowledged write has exactly one record, stable across reopens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'magneto-streams-crash-'));
  dirs.push(dir);
  const acknowledged = new Set<string>();
  let previous: _Record[] = [];
  for (let round = 1; round <= 4; round++) {
    for (const id of await runAndKill(dir, round, 150 + ((round * 137) % 400))) acknowledged.add(id);
    const { records, items } = await reopen(dir);
    const keys = records.map((r) => r.dynamodb!.Keys!.id!.S!);
    expect(new Set(keys).size).toBe(keys.length); // each item written once: one record each, none twice
    expect(new Set(keys)).toEqual(items);
    for (const id of acknowledged) expect(items.has(id)).toBe(true);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(records.length);
    expect(new Set(records.map((r) => r.dynamodb!.SequenceNumber)).size).toBe(records.length);
    // What earlier restarts showed is unchanged: same records, same sequence numbers and eventIDs.
    expect(records.slice(0, previous.length)).toEqual(previous);
    expect((await reopen(dir)).records).toEqual(records);
    previous = records;
  }
}, 120_000);
