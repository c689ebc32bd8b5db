// Bundles the `magneto` CLI into one file after tsc has built dist/: loading ~100 ESM modules of
// @magneto/core one by one cost ~85 ms and ~13 MB at start; one bundled file starts within a few ms of
// a bare node:http server. @smithy/* stays external: strict mode loads it on its first signed request.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/cli.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@smithy/*'],
  logLevel: 'warning',
});
