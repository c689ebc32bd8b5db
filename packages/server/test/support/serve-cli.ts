import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built server CLI (`npm run build`); tests that spawn it skip without it. */
export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** How a CLI run ended. */
export interface CliExit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running CLI: `url` resolves with the endpoint `magneto serve` announces (rejects if it exits first), `exit` when it exits. */
export interface CliRun {
  child: ChildProcess;
  url: Promise<string>;
  exit: Promise<CliExit>;
  /** What it has printed to stdout so far. */
  stdout(): string;
}

/** Runs the built `magneto` with `args` (and `env`, default the test's). The caller kills `child`. */
export function runCli(args: readonly string[], env?: NodeJS.ProcessEnv): CliRun {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(env === undefined ? {} : { env }) });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /serving DynamoDB at (http:\/\/[^\s,]+)/.exec(stdout);
      if (found) resolve(found[1]!);
    });
    child.on('exit', (code) => reject(new Error(`magneto exited with ${code}: ${stderr}`)));
  });
  // Runs that never serve (usage errors, --help) leave `url` unawaited.
  url.catch(() => {});
  const exit = new Promise<CliExit>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, url, exit, stdout: () => stdout };
}

/** Spawns the built `magneto serve` with `args` (and `env`): runCli(['serve', …args]). */
export function serveCli(args: readonly string[], env?: NodeJS.ProcessEnv): CliRun {
  return runCli(['serve', ...args], env);
}
