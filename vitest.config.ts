import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run against the sources; `test/built-package.test.ts` checks the built `dist/` separately.
    alias: {
      '@magneto/core/node': fileURLToPath(new URL('./packages/core/src/node/index.ts', import.meta.url)),
      '@magneto/core/access-control': fileURLToPath(new URL('./packages/core/src/access-control/index.ts', import.meta.url)),
      '@magneto/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
      '@magneto/streams': fileURLToPath(new URL('./packages/streams/src/index.ts', import.meta.url)),
      '@magneto/backup/node': fileURLToPath(new URL('./packages/backup/src/node/index.ts', import.meta.url)),
      '@magneto/backup/browser': fileURLToPath(new URL('./packages/backup/src/browser/index.ts', import.meta.url)),
      '@magneto/backup': fileURLToPath(new URL('./packages/backup/src/index.ts', import.meta.url)),
      '@magneto/server': fileURLToPath(new URL('./packages/server/src/index.ts', import.meta.url)),
      '@magneto/dax': fileURLToPath(new URL('./packages/dax/src/index.ts', import.meta.url)),
      '@magneto/testing': fileURLToPath(new URL('./packages/testing/src/index.ts', import.meta.url)),
      '@magneto/global-tables': fileURLToPath(new URL('./packages/global-tables/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Type tests (`*.test-d.ts`): checked by tsc within the same run; a failed type assertion fails it.
    // Type errors elsewhere are the build's and `pnpm typecheck`'s to report, not this run's.
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.json', ignoreSourceErrors: true },
    pool: 'threads',
    // Property and crash tests take a few seconds alone and several times that on a loaded 2-core machine:
    // a timeout is a hang detector here, not a speed check.
    testTimeout: 30_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
    // The AWS SDK warns once per process that its 2027 releases will need Node 22; tests need not say so.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
