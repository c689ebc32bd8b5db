/**
 * Runs test pages in a real Chromium: bundles page.ts for the browser with esbuild (the engine
 * included), serves it from http://127.0.0.1 (a secure context: IndexedDB, Web Locks and
 * crypto.subtle are all there), and drives Debian's `/usr/bin/chromium` headless with playwright-core.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.MAGNETO_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** The pid of the browser (main) process started with `userDataDir`: Linux /proc, no renderer or helper processes. */
export function browserPid(userDataDir: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0');
    } catch {
      continue;
    }
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type='))) return Number(entry);
  }
  throw new Error(`no browser process for ${userDataDir}`);
}

// esbuild is a devDependency of @magneto/server (its CLI bundle); the same pinned version serves here.
// Typed here by the one call made (core's test tsconfig does not see the server's node_modules).
const esbuild = createRequire(fileURLToPath(new URL('../../../server/package.json', import.meta.url)))('esbuild') as {
  build(options: Record<string, unknown> & { write: false }): Promise<{ outputFiles: Array<{ text: string }> }>;
};

export interface Harness {
  readonly url: string;
  readonly browser: Browser;
  /** A second browser keeping its profile in `userDataDir` (so IndexedDB outlives the process). */
  launchWithProfile(userDataDir: string): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Bundles the page, starts the server and the browser. */
export async function startHarness(): Promise<Harness> {
  const bundle = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]!.text;
  const html = '<!doctype html><meta charset="utf-8"><title>magneto</title><script type="module" src="/page.js"></script>';
  const server: Server = createServer((request, response) => {
    if (request.url === '/page.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else response.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // As root in CI: no sandbox; containers often have a tiny /dev/shm.
  const options = { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] };
  const browser = await chromium.launch(options);
  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    launchWithProfile: (userDataDir) => chromium.launchPersistentContext(userDataDir, options),
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
