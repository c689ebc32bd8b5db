import type { MagnetoTestConfig } from './config.js';
import { loadConfig } from './load-config.js';

/** What global setup started, to stop in teardown. */
interface Started {
  close(): Promise<void>;
}
const STARTED = Symbol.for('@magneto/testing/global-setup');

/**
 * Starts `magneto serve` (`startServer` from `@magneto/server`, in the test runner's main process) on a free
 * port with the config's tables and items, and points unchanged application code at it through the
 * environment every AWS SDK v3 reads: `AWS_ENDPOINT_URL_DYNAMODB` (and `MAGNETO_ENDPOINT`), plus a region and
 * dummy credentials when none are set. Fault injection is installed, with its control endpoint at
 * `<url>/_magneto/faults` (see `controlFaults`), for tests in any language. Returns the server's URL. Used by the vitest `globalSetup` and the
 * jest preset; call it yourself from any other runner.
 */
export async function startTestServer(config?: MagnetoTestConfig): Promise<string> {
  const resolved = config ?? (await loadConfig());
  const serverPackage = '@magneto/server';
  const { startServer, defaultModules } = (await import(serverPackage)) as typeof import('@magneto/server');
  const { Database, faults } = await import('@magneto/core');
  const { seedDatabase } = await import('./seed.js');
  const chaos = faults();
  const database = new Database({ modules: [...defaultModules(), chaos] });
  await seedDatabase(database, resolved);
  const server = await startServer({ port: resolved.port ?? 0, database, faults: chaos });
  (globalThis as Record<symbol, Started>)[STARTED] = server;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = server.url;
  process.env.MAGNETO_ENDPOINT = server.url;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  return server.url;
}

/** Stops what `startTestServer` started. */
export async function stopTestServer(): Promise<void> {
  const started = (globalThis as Record<symbol, Started | undefined>)[STARTED];
  delete (globalThis as Record<symbol, Started | undefined>)[STARTED];
  await started?.close();
}
