/** Jest's `globalTeardown` in the `@magneto/testing` preset: stops what its global setup started. */
import { stopTestServer } from './setup/global-setup.js';

export default async function globalTeardown(): Promise<void> {
  await stopTestServer();
}
