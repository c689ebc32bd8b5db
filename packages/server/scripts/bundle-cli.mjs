// Bundles the `magneto` CLI into one file after tsc has built dist/: loading ~100 ESM modules of
// @magneto/core one by one cost ~85 ms and ~13 MB at start; one bundled file starts within a few ms of
// a bare node:http server. @smithy/* stays external: strict mode loads it on its first signed request.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
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
// The `magneto` bin runs straight from a clone too (npm sets the bit again when it installs a bin), and tsc's
// map of the unbundled file describes code that is no longer there.
chmodSync(`${root}dist/cli.js`, 0o755);
rmSync(`${root}dist/cli.js.map`, { force: true });
