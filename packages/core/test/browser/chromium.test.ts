/**
 * Durable storage in a real browser: Debian's Chromium (headless, driven by playwright-core) loads a
 * page holding the engine, writes the conformance scenario to IndexedDB, and is reloaded without
 * closing the database (as a tab is closed or crashes): everything acknowledged is there after the
 * reload, equal to what a memory database holds after the same scenario. A second tab of the same
 * origin gets StoreLockedError while the first owns the store; an encrypted store reads back after a
 * reload with its key and refuses another. Skipped only where no Chromium is installed (CI installs it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../src/index.js';
import type { Page } from 'playwright-core';
import { observe, scenarioOptions, writeAfterReopen, writeScenario } from '../conformance/scenario.js';
import { CHROMIUM, browserPid, hasChromium, startHarness, type Harness } from './harness.js';
import type { MagnetoPage } from './page.js';

type Call = <K extends keyof MagnetoPage>(page: Page, method: K, ...args: Parameters<MagnetoPage[K]>) => Promise<Awaited<ReturnType<MagnetoPage[K]>>>;

/** Calls `window.magneto[method](...args)` in `page`. */
const call: Call = (page, method, ...args) =>
  page.evaluate(([m, a]) => (globalThis as unknown as { magneto: Record<string, (...x: unknown[]) => unknown> }).magneto[m]!(...a), [method, args] as const) as never;

// A page load and a reload take ~0.3 s each; the bound leaves room for a loaded CI machine.
describe.skipIf(!hasChromium)(`IndexedDB in Chromium (${hasChromium ? CHROMIUM : `skipped: no Chromium at ${CHROMIUM}; apt-get install -y chromium`})`, { timeout: 15_000 }, () => {
  let harness: Harness;
  let expected: Record<string, unknown>;
  let expectedAfterReopen: Record<string, unknown>;

  beforeAll(async () => {
    harness = await startHarness();
    const reference = new Database(scenarioOptions());
    await writeScenario(reference);
    expected = await observe(reference);
    await writeAfterReopen(reference);
    expectedAfterReopen = await observe(reference);
  }, 30_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function newPage(context = harness.browser.contexts()[0]): Promise<Page> {
    const page = await (context ?? (await harness.browser.newContext())).newPage();
    await page.goto(harness.url);
    await page.waitForFunction(() => 'magneto' in globalThis);
    return page;
  }

  async function reload(page: Page): Promise<void> {
    await page.reload();
    await page.waitForFunction(() => 'magneto' in globalThis);
  }

  it('keeps the scenario across page reloads, as a memory database holds it', async () => {
    const context = await harness.browser.newContext();
    const page = await newPage(context);
    expect(await call(page, 'write', 'scenario')).toEqual(expected);
    // No close(): the page goes away with the database open, as a closed tab does.
    await reload(page);
    const first = await call(page, 'read', 'scenario');
    expect(first.damage).toEqual([]);
    expect(first.observed).toEqual(expected);
    expect(await call(page, 'writeMore')).toEqual(expectedAfterReopen);
    await reload(page);
    expect((await call(page, 'read', 'scenario')).observed).toEqual(expectedAfterReopen);
    expect(await call(page, 'recoveredFrom')).toMatch(/^snapshot-/);
    await context.close();
  });

  it('recovers a torn log tail on real IndexedDB: the whole records, the damage reported and set aside, then clean', async () => {
    const context = await harness.browser.newContext();
    const page = await newPage(context);
    const { opens, files } = await call(page, 'tornTail', 'torn');
    const [first, second] = opens;
    expect(files.filter((f) => f.endsWith('.discarded'))).toHaveLength(1);
    expect(first?.damage).toMatchObject([{ reason: 'torn' }]);
    expect(first?.ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(second).toEqual({ damage: [], ids: [0, 1, 2, 3, 4, 5, 6, 7, 8] });
    await context.close();
  });

  it('lets one tab own a store: a second tab gets StoreLockedError until the first goes away', async () => {
    const context = await harness.browser.newContext();
    const owner = await newPage(context);
    expect(await call(owner, 'tryOpen', 'locked')).toBeUndefined();
    const other = await newPage(context);
    const refused = await call(other, 'tryOpen', 'locked');
    expect(refused?.name).toBe('StoreLockedError');
    expect(refused?.message).toMatch(/^indexeddb:locked is open in another tab, window or worker/);
    // Another store is not locked by it.
    expect(await call(other, 'tryOpen', 'another')).toBeUndefined();
    await call(other, 'close');
    // The browser frees a closed page's locks on its own schedule: the store opens once it has.
    await owner.close();
    await expect.poll(() => call(other, 'tryOpen', 'locked'), { timeout: 5000 }).toBeUndefined();
    await context.close();
  });

  it('keeps an encrypted store across a reload with its key; another key is refused', async () => {
    const context = await harness.browser.newContext();
    const page = await newPage(context);
    expect(await call(page, 'write', 'secret', 7)).toEqual(expected);
    await reload(page);
    const wrong = await call(page, 'tryOpen', 'secret', 8);
    expect(wrong).toEqual({ name: 'EncryptionKeyError', message: 'wrong encryption key for indexeddb:secret' });
    const read = await call(page, 'read', 'secret', 7);
    expect(read.damage).toEqual([]);
    expect(read.observed).toEqual(expected);
    await context.close();
  });

  it('loses no acknowledged transaction when the browser is killed (SIGKILL) mid-write, and none is partial', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'magneto-chromium-'));
    try {
      const context = await harness.launchWithProfile(profile);
      const acknowledged = new Set<number>();
      let enough!: () => void;
      const reached = new Promise<void>((resolve) => (enough = resolve));
      await context.exposeFunction('acknowledged', (n: number) => {
        acknowledged.add(n);
        if (acknowledged.size >= 300) enough();
      });
      const page = await context.newPage();
      await page.goto(harness.url);
      await page.waitForFunction(() => 'magneto' in globalThis);
      await call(page, 'crashWorkload', 'crash', 8);
      await reached;
      // kill -9 of the browser process we launched (by its pid): no unload, no close, no flush.
      process.kill(browserPid(profile), 'SIGKILL');
      await context.close().catch(() => undefined);
      const seen = [...acknowledged];

      const after = await harness.launchWithProfile(profile);
      const reopened = await after.newPage();
      await reopened.goto(harness.url);
      await reopened.waitForFunction(() => 'magneto' in globalThis);
      const { ids, damage } = await call(reopened, 'readPairs', 'crash');
      await after.close();
      const stored = new Set(ids);
      // Every acknowledged transaction is there, whole; no transaction is there in part.
      for (const n of seen) expect(stored.has(`${n}a`) && stored.has(`${n}b`), `transaction ${n}`).toBe(true);
      for (const id of ids) expect(stored.has(`${id.slice(0, -1)}a`) && stored.has(`${id.slice(0, -1)}b`), `pair of ${id}`).toBe(true);
      expect(ids.length).toBeGreaterThanOrEqual(2 * seen.length);
      // Any damage is at most a torn tail: a write not yet acknowledged.
      for (const d of damage ?? []) expect(d.reason).toBe('torn');
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }, 20_000);
});
