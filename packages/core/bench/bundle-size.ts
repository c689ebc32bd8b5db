/**
 * `pnpm bench` (last part): the browser bundle size of what a web page needs for an embedded database —
 * `Database` + `indexedDbStorage` + the typed Table API (`defineTable`, `attr`, `Table`) — minified by
 * esbuild, raw and gzipped. Built from `dist/` (run after `npm run build`). Reports, never fails.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

// esbuild is the server's build dependency (it bundles the CLI); core has no bundler of its own.
// Typed by hand: the types are the server's too.
interface EsbuildOutput {
  readonly outputFiles: ReadonlyArray<{ readonly contents: Uint8Array }>;
}
const esbuild = createRequire(new URL('../../server/package.json', import.meta.url))('esbuild') as { build(options: object): Promise<EsbuildOutput> };
const core = fileURLToPath(new URL('..', import.meta.url));

// What a page writes: the root entry, relying on `sideEffects: false` (the subpaths `/browser` and `/table`
// measured the same bytes: esbuild drops the rest either way).
const entry = `export { Database, indexedDbStorage, defineTable, attr, Table } from './dist/index.js';`;

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

console.log('\nBrowser bundle: Database + indexedDbStorage + typed Table API (esbuild, minified, ESM)');
const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: core, loader: 'js' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'error',
});
const code = result.outputFiles[0]!.contents;
console.log(`  ${kb(code.length)} minified, ${kb(gzipSync(code, { level: 9 }).length)} gzip`);
