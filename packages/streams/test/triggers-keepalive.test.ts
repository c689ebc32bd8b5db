/**
 * Triggers on the real clock keep a plain Node process alive while they have work (a batching window, a retry
 * waiting out its backoff), so `await trigger.drained()` returns instead of Node exiting with code 13 (an
 * unsettled top-level await); an idle trigger, and the database's own background timers (TTL sweeps, stream
 * retention), never hold the process open. Each scenario runs in a child process.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./triggers-keepalive-script.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A hang detector, not a speed check: an idle process exits within a second or two even under load. */
const HANG_MS = 20_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

function run(scenario: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, scenario], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, HANG_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

describe('triggers on the real clock', () => {
  it.concurrent('keep the process alive through a batching window until drained() resolves', async () => {
    const exit = await run('window');
    expect(exit).toEqual({ code: 0, stdout: 'drained 1\n', stderr: '', hung: false });
  });

  it.concurrent('keep the process alive through a retry backoff until drained() resolves', async () => {
    const exit = await run('retry');
    expect(exit).toEqual({ code: 0, stdout: 'drained 1\n', stderr: '', hung: false });
  });

  it.concurrent('let the process exit on its own once idle, with TTL sweeps and stream retention scheduled', async () => {
    const exit = await run('idle');
    expect(exit).toEqual({ code: 0, stdout: 'idle\n', stderr: '', hung: false });
  });
});
