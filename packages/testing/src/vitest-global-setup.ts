/**
 * `@magneto/testing/vitest-global-setup`: one line in vitest's config starts `magneto serve` on a free
 * port for the whole run, seeded from `magneto.config.*`, and sets `AWS_ENDPOINT_URL_DYNAMODB` so
 * unchanged application code connects to it. With the setup file `@magneto/testing/vitest` each worker
 * gets a server of its own, reset to the seeded tables before each test.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { globalSetup: ['@magneto/testing/vitest-global-setup'] } });
 */
import { startTestServer, stopTestServer } from './setup/global-setup.js';
import { loadConfig } from './setup/load-config.js';

/** Starts a server per vitest worker with the `magneto.config.*` of vitest's root (`project.config.root`). */
export async function setup(project?: { config?: { root?: string; maxWorkers?: number } }): Promise<void> {
  await startTestServer(await loadConfig(project?.config?.root), { workers: project?.config?.maxWorkers ?? 1 });
}

export async function teardown(): Promise<void> {
  await stopTestServer();
}
