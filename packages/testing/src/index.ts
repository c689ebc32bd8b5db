/**
 * @magneto/testing — what test suites need from Magneto: unchanged AWS SDK code served in-process,
 * isolation between tests, fault injection, a request journal and matchers, vitest and jest setup.
 *
 * @example
 * import { serveInProcess } from '@magneto/testing';
 */
export { serveInProcess, type InProcessClient, type ServeOptions } from './sdk/serve-in-process.js';
export { serveEveryInstance, type InProcessClientClass } from './sdk/serve-every-instance.js';
export { magnetoMatchers, type MagnetoMatchers, type CommandLike } from './matchers/matchers.js';
export { createTestDatabase, type TestDatabase } from './setup/test-database.js';
export { seedDatabase } from './setup/seed.js';
export { seed, type SeedSource } from './setup/seed-from.js';
export { loadConfig } from './setup/load-config.js';
export { startTestServer, stopTestServer, type TestServerOptions } from './setup/global-setup.js';
export type { MagnetoTestConfig, TableDefinitionLike } from './setup/config.js';
