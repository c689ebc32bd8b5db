/** The order service's jest suite (orders.jest.ts) runs green under jest with the @magneto/testing preset, against the built packages. */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('jest runs the example with the @magneto/testing preset', () => {
  // jest's exports hide its bin: it sits beside the package.json they do export.
  const jest = createRequire(new URL('../package.json', import.meta.url)).resolve('jest/package.json').replace(/package\.json$/, 'bin/jest.js');
  const run = spawnSync(process.execPath, [jest, '--config', 'testing/jest.config.cjs', '--ci'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  expect(run.stderr).toMatch(/Tests: +5 passed, 5 total/);
  expect(run.status).toBe(0);
}, 120_000);
