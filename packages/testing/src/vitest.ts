/**
 * `@magneto/testing/vitest`: list it in vitest's `setupFiles` and every test file has Magneto's matchers
 * (`toHaveReceivedCommandWith`, …), typed.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { setupFiles: ['@magneto/testing/vitest'] } });
 */
import { expect } from 'vitest';
import { magnetoMatchers, type MagnetoMatchers } from './matchers/matchers.js';

expect.extend(magnetoMatchers);

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends MagnetoMatchers<T> {}
}
