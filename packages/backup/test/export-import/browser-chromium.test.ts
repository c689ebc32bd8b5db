/**
 * browserObjectStore in a real browser: Debian's Chromium (headless, driven by playwright-core) loads a
 * page holding the engine and the store, and runs the same scenario over the origin private file system
 * and over IndexedDB, an export and an import included. Skipped where no Chromium is installed.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.MAGNETO_CHROMIUM ?? '/usr/bin/chromium';
// esbuild is a devDependency of @magneto/server (its CLI bundle); the same pinned version bundles the page.
const esbuild = createRequire(fileURLToPath(new URL('../../../server/package.json', import.meta.url)))('esbuild') as {
  build(options: Record<string, unknown> & { write: false }): Promise<{ outputFiles: Array<{ text: string }> }>;
};

describe.skipIf(!existsSync(CHROMIUM))('browserObjectStore in Chromium', { timeout: 30_000 }, () => {
  let server: Server;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const bundle = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./browser-page.ts', import.meta.url))],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      logLevel: 'warning',
      alias: { '@magneto/core': `${root}packages/core/src/index.ts`, '@magneto/backup': `${root}packages/backup/src/index.ts` },
    });
    const script = bundle.outputFiles[0]!.text;
    server = createServer((request, response) => {
      if (request.url === '/page.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // As root in CI: no sandbox; containers often have a tiny /dev/shm.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  });

  const expected = (backend: string) => ({
    backend,
    reads: { b: 'hello world', started: '', a: 'file a', ab: 'under a', dots: 'dots', empty: 'empty segment', bigSame: true, bigLength: 1536 * 1024 + 5 },
    listed: {
      all: ['AWSDynamoDB/1/_started:0', 'AWSDynamoDB/1/data/b.json:11', 'a:6', 'a/b:7', `big:${1536 * 1024 + 5}`, 'p//q:13', 'x/../y:4'],
      exports: ['AWSDynamoDB/1/_started:0', 'AWSDynamoDB/1/data/b.json:11'],
      a: ['a:6', 'a/b:7'],
    },
    after: { a: 'replaced', ab: 'under a', failed: 'the source broke', missing: 'rejected', all: ['AWSDynamoDB/1/_started:0', 'AWSDynamoDB/1/data/b.json:11', 'a:8', 'a/b:7', `big:${1536 * 1024 + 5}`, 'p//q:13'] },
    roundTrip: { exportStatus: 'COMPLETED', importStatus: 'COMPLETED', importedItemCount: 20, same: true },
  });

  for (const [backend, kind] of [
    ['auto', 'opfs'],
    ['indexeddb', 'indexeddb'],
  ] as const) {
    it(`${backend === 'auto' ? 'chooses the origin private file system, and ' : ''}keeps objects, exports and imports over ${kind}`, async () => {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => 'scenario' in globalThis);
      const observed = await page.evaluate((name) => (globalThis as unknown as { scenario(b: string): Promise<unknown> }).scenario(name), backend);
      expect(observed).toEqual(expected(kind));
      await page.close();
    });
  }
});
