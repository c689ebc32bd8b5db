/**
 * `@magneto/testing/vitest`: list it in vitest's `setupFiles` and every test file has Magneto's matchers
 * (`toHaveReceivedCommandWith`, …), typed; with the `@magneto/testing/vitest-global-setup` global setup,
 * each worker uses its own server, reset to the seeded tables before each test.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['@magneto/testing/vitest'] } });
 */
import { beforeEach, expect } from 'vitest';
import { magnetoMatchers, type MagnetoMatchers } from './matchers/matchers.js';
import { useWorkerServer } from './setup/worker-server.js';

expect.extend(magnetoMatchers);
useWorkerServer(beforeEach);

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MagnetoMatchers<T> {}
}
