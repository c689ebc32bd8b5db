/**
 * Jest's `globalSetup` in the `@magneto/testing` preset: starts `magneto serve` (see `startTestServer`)
 * with the `magneto.config.*` of the project's rootDir.
 */
import { startTestServer } from './setup/global-setup.js';
import { loadConfig } from './setup/load-config.js';

export default async function globalSetup(globalConfig?: { rootDir?: string }, projectConfig?: { rootDir?: string }): Promise<void> {
  await startTestServer(await loadConfig(projectConfig?.rootDir ?? globalConfig?.rootDir));
}
