/**
 * `@magneto/testing/jest`: list it in jest's `setupFilesAfterEnv` and every test file has Magneto's
 * matchers (`toHaveReceivedCommandWith`, …), typed.
 *
 * @example
 * // jest.config.js
 * module.exports = { setupFilesAfterEnv: ['@magneto/testing/jest'] };
 */
import { magnetoMatchers, type MagnetoMatchers } from './matchers/matchers.js';

declare const expect: { extend(matchers: object): void };
expect.extend(magnetoMatchers);

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Matchers<R> extends MagnetoMatchers<R> {}
  }
}
