// Bundles the `magneto` CLI into one file after tsc has built dist/: loading ~100 ESM modules of
// @magneto/core one by one cost ~85 ms and ~13 MB at start; one bundled file starts in about the time of
// a bare node:http server. @smithy/* stays external: strict mode loads it on its first signed request.
//
// The entry is src/cli.ts, not tsc's dist/cli.js: an incremental build does not re-emit an unchanged
// dist/cli.js, which is then the previous bundle, with the previous @magneto/core inside it. The bundle
// is skipped when it is still the one this script wrote and none of its inputs (the files the last
// bundle read, this script included) changed since: `pnpm serve` then starts without esbuild.
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}dist/cli.js`;
const stateFile = `${root}node_modules/.cache/bundle-cli.json`;
const self = fileURLToPath(import.meta.url);

/** mtime and size of a file, or undefined when it is missing. */
function stamp(file) {
  try {
    const { mtimeMs, size } = statSync(file);
    return `${mtimeMs}:${size}`;
  } catch {
    return undefined;
  }
}

function upToDate() {
  let state;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return false;
  }
  // tsc re-emitting dist/cli.js replaces the bundle: its stamp no longer matches.
  if (stamp(outfile) !== state.output) return false;
  return Object.entries(state.inputs).every(([file, recorded]) => stamp(file) === recorded);
}

if (!upToDate()) {
  // Imported only when bundling: loading esbuild is most of this script's cost when it has nothing to do.
  const { build } = await import('esbuild');
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli.ts'],
    outfile,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@smithy/*'],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = {};
  for (const file of [...Object.keys(metafile.inputs).map((input) => resolve(root, input)), self]) inputs[file] = stamp(file);
  // The `magneto` bin runs straight from a clone too (npm sets the bit again when it installs a bin), and
  // tsc's map of the unbundled file describes code that is no longer there.
  chmodSync(outfile, 0o755);
  rmSync(`${outfile}.map`, { force: true });
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify({ output: stamp(outfile), inputs }));
}
