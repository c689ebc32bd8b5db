// `preset: '@magneto/testing'` in a jest config: one line replaces @shelf/jest-dynamodb or jest-dynalite.
// It starts `magneto serve` on a free port for the run (tables and items from magneto.config.*), sets
// AWS_ENDPOINT_URL_DYNAMODB so unchanged application code connects, and adds Magneto's matchers.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export default {
  globalSetup: require.resolve('./dist/cjs/jest-global-setup.js'),
  globalTeardown: require.resolve('./dist/cjs/jest-global-teardown.js'),
  setupFilesAfterEnv: [require.resolve('./dist/cjs/jest.js')],
};
