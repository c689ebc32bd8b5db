/** Jest's `globalSetup` in the `@magneto/testing` preset: starts `magneto serve` (see `startTestServer`). */
import { startTestServer } from './setup/global-setup.js';

export default async function globalSetup(): Promise<void> {
  await startTestServer();
}
