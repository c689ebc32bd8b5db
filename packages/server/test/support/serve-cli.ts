import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built server CLI (`npm run build`); tests that spawn it skip without it. */
export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/**
 * Spawns the built `magneto serve` with `args` (and `env`, default the test's); `url` resolves with the
 * endpoint it announces, or rejects if it exits first. The caller kills `child`.
 */
export function serveCli(args: readonly string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, [BUILT_CLI, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(env === undefined ? {} : { env }) });
  const url = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /serving DynamoDB at (http:\/\/\S+)/.exec(stdout);
      if (found) resolve(found[1]!);
    });
    child.on('exit', (code) => reject(new Error(`magneto serve exited with ${code}`)));
  });
  return { child, url };
}
