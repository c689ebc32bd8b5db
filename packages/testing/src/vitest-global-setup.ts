/**
 * `@magneto/testing/vitest-global-setup`: one line in vitest's config starts `magneto serve` on a free
 * port for the whole run, seeded from `magneto.config.*`, and sets `AWS_ENDPOINT_URL_DYNAMODB` so
 * unchanged application code connects to it.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { globalSetup: ['@magneto/testing/vitest-global-setup'] } });
 */
import { startTestServer, stopTestServer } from './setup/global-setup.js';

export async function setup(): Promise<void> {
  await startTestServer();
}

export async function teardown(): Promise<void> {
  await stopTestServer();
}
