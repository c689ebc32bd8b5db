/**
 * PutItem throughput on IndexedDB in Chromium, by durability policy (not a test: numbers only).
 * Run: node --import tsx packages/core/test/browser/bench.ts [puts] [writers]
 */
import { startHarness } from './harness.js';
import type { MagnetoPage } from './page.js';

const total = Number(process.argv[2] ?? 20_000);
const writers = Number(process.argv[3] ?? 8);
const harness = await startHarness();
try {
  const page = await (await harness.browser.newContext()).newPage();
  await page.goto(harness.url);
  await page.waitForFunction(() => 'magneto' in globalThis);
  for (const durability of ['strict', 'batched', 'none'] as const) {
    for (const encrypted of [false, true]) {
      const putsPerSecond = await page.evaluate(
        ([d, t, w, e]) => (globalThis as unknown as { magneto: MagnetoPage }).magneto.bench(`bench-${d}-${e}`, d, t, w, e ? 9 : undefined),
        [durability, total, writers, encrypted] as const,
      );
      console.log(`${durability.padEnd(8)}${encrypted ? ' encrypted' : '          '}  ${String(putsPerSecond).padStart(7)} puts/s  (${total} puts, ${writers} writers)`);
    }
  }
} finally {
  await harness.close();
}
