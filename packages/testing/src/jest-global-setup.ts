/**
 * Jest's `globalSetup` in the `@magneto/testing` preset: starts `magneto serve` (see `startTestServer`),
 * a server per jest worker, with the `magneto.config.*` (or jest-dynalite / @shelf/jest-dynamodb config)
 * of the project's rootDir.
 */
import { startTestServer } from './setup/global-setup.js';
import { loadConfig } from './setup/load-config.js';

export default async function globalSetup(globalConfig?: { rootDir?: string; maxWorkers?: number }, projectConfig?: { rootDir?: string }): Promise<void> {
  await startTestServer(await loadConfig(projectConfig?.rootDir ?? globalConfig?.rootDir), { workers: globalConfig?.maxWorkers ?? 1 });
}
