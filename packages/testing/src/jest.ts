/**
 * `@magneto/testing/jest`: list it in jest's `setupFilesAfterEnv` (the `@magneto/testing` preset does)
 * and every test file has Magneto's matchers (`toHaveReceivedCommandWith`, …), typed for both the global
 * `expect` (@types/jest) and the one `@jest/globals` exports (jest 30's `expect` package); under the
 * preset's global setup, each worker uses its own server, reset to the seeded tables before each test.
 *
 * @example
 * // jest.config.js
 * module.exports = { setupFilesAfterEnv: ['@magneto/testing/jest'] };
 */
import { magnetoMatchers, type MagnetoMatchers } from './matchers/matchers.js';
import { useWorkerServer } from './setup/worker-server.js';
// Loads the `expect` package's types (only types: jest brings the package itself) for the augmentation below.
import type {} from 'expect';

declare const expect: { extend(matchers: object): void };
declare const beforeEach: (hook: () => Promise<void>) => void;
expect.extend(magnetoMatchers);
useWorkerServer(beforeEach);

// `import { expect } from '@jest/globals'`: its matchers are the `expect` package's, merged here.
declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<R extends void | Promise<void>, T = unknown> extends MagnetoMatchers<R> {}
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Matchers<R> extends MagnetoMatchers<R> {}
  }
}
