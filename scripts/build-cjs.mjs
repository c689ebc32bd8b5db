// Builds the CommonJS copy of a package's built `dist/` into `dist/cjs/`, for `require()` callers that cannot
// load ES modules (Jest's CommonJS runtime, ts-node, Node before 20.19). Each ES module becomes one CommonJS
// module at the same relative path, so every subpath of a package shares one copy of each module within CJS.
// The declarations are copied beside them: `dist/cjs/package.json` says "commonjs", so TypeScript reads them as
// CommonJS declarations under node16/nodenext. Usage: node scripts/build-cjs.mjs [packageDir...] (default: cwd).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

// esbuild is the server's devDependency (it bundles the CLI); the workspace root has none of its own.
const { build } = createRequire(new URL('../packages/server/package.json', import.meta.url))('esbuild');

/** Files under `dir` (recursively), relative to it, skipping `dist/cjs` itself. */
function filesUnder(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(base, 'cjs') ? [] : filesUnder(path, base);
    return [relative(base, path)];
  });
}

for (const packageDir of process.argv.length > 2 ? process.argv.slice(2) : [process.cwd()]) {
  const dist = resolve(packageDir, 'dist');
  if (!existsSync(join(dist, 'index.js'))) throw new Error(`${dist}/index.js is missing: build the package first (pnpm build)`);
  const out = join(dist, 'cjs');
  rmSync(out, { recursive: true, force: true });
  const files = filesUnder(dist);
  // The CLI is a bundled ES module with a shebang, run by Node directly, never required.
  const modules = files.filter((file) => file.endsWith('.js') && file !== 'cli.js');
  await build({
    absWorkingDir: dist,
    entryPoints: modules,
    outdir: out,
    outbase: dist,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Chains to the ES build's maps, so stack traces and debuggers still land in the shipped `src/`.
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const file of files.filter((file) => file.endsWith('.d.ts'))) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    copyFileSync(join(dist, file), join(out, file));
  }
  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
}
