import type { MagnetoTestConfig } from './config.js';
import { loadConfig } from './load-config.js';
import { pointAt } from './worker-server.js';

/** What global setup started, to stop in teardown. */
interface Started {
  close(): Promise<void>;
}
const STARTED = Symbol.for('@magneto/testing/global-setup');

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** How many test workers the run has: each gets a server of its own (unless the config fixes a port). Default 1. */
  readonly workers?: number;
}

/**
 * Starts `magneto serve` (`startServer` from `@magneto/server`, in the test runner's main process) with the
 * config's tables and items: a server per test worker on free ports (one server on the config's `port`
 * if it has one), each seeded alike, with fault injection and its control endpoint at
 * `<url>/_magneto/faults`, and `POST <url>/_magneto/reset` rolling it back to the seeded tables (and
 * clearing fault rules; `savepointControls` of `@magneto/server`). Points unchanged application code at the first server through the environment
 * every AWS SDK v3 reads: `AWS_ENDPOINT_URL_DYNAMODB` (and `MAGNETO_ENDPOINT`, jest-dynalite's
 * `MOCK_DYNAMODB_ENDPOINT`), plus a region and dummy credentials when none are set; `MAGNETO_ENDPOINTS`
 * lists them all for the workers' setup files (`@magneto/testing/jest`, `/vitest`), which point each worker
 * at its own and reset it before each test. Returns the first server's URL. Used by the vitest
 * `globalSetup` and the jest preset; call it yourself from any other runner.
 */
export async function startTestServer(config?: MagnetoTestConfig, options: TestServerOptions = {}): Promise<string> {
  const resolved = config ?? (await loadConfig());
  const shared = resolved.port !== undefined;
  const count = shared ? 1 : Math.max(1, Math.floor(options.workers ?? 1));
  const servers: Array<Started & { url: string }> = [];
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.close()));
  };
  try {
    for (let i = 0; i < count; i++) servers.push(await startSeededServer(resolved));
  } catch (error) {
    await stop();
    throw error;
  }
  (globalThis as Record<symbol, Started>)[STARTED] = { close: stop };
  pointAt(servers[0]!.url);
  process.env.MAGNETO_ENDPOINTS = servers.map((server) => server.url).join(',');
  process.env.MAGNETO_RESET_BETWEEN_TESTS = String(!shared && resolved.resetBetweenTests !== false);
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  return servers[0]!.url;
}

/** One server: every default module and fault injection, seeded, with a reset endpoint back to the seed. */
async function startSeededServer(config: MagnetoTestConfig): Promise<Started & { url: string }> {
  const { startServer, defaultModules, savepointControls } = await serverPackage();
  const { Database, faults } = await import('@magneto/core');
  const { seedDatabase } = await import('./seed.js');
  const chaos = faults();
  const database = new Database({ modules: [...defaultModules(), chaos] });
  await seedDatabase(database, config);
  // Made after seeding: /_magneto/reset goes back to the seeded tables.
  return startServer({ port: config.port ?? 0, database, faults: chaos, controls: savepointControls(database, chaos) });
}

/** `@magneto/server`, an optional peer: only the server setups need it, so its absence is explained here. */
async function serverPackage(): Promise<typeof import('@magneto/server')> {
  const name = '@magneto/server';
  try {
    return (await import(name)) as typeof import('@magneto/server');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`@magneto/testing's global setup (the jest preset, vitest-global-setup, startTestServer) serves the database with magneto serve: install @magneto/server beside @magneto/testing (npm install -D @magneto/server). ${(error as Error).message}`, { cause: error });
  }
}

/** Stops what `startTestServer` started. */
export async function stopTestServer(): Promise<void> {
  const started = (globalThis as Record<symbol, Started | undefined>)[STARTED];
  delete (globalThis as Record<symbol, Started | undefined>)[STARTED];
  await started?.close();
}
