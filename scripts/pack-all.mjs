// Packs every publishable package into one folder, as `npm install` in another project takes them:
// `pnpm pack` rewrites the `workspace:*` dependencies to versions, and each package's `prepack` adds its
// CommonJS build (scripts/build-cjs.mjs). Prints the tarballs' paths, one a line.
//
//   node scripts/pack-all.mjs [--out DIR] [--no-build] [--publish-dry-run]
//
// --out DIR          where the tarballs go (default: .packs/ at the root; emptied first)
// --no-build         reuse the packages' dist/ (pnpm test has just built it)
// --publish-dry-run  also run `pnpm publish -r --dry-run`, which checks what publishing would send
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { out: { type: 'string' }, 'no-build': { type: 'boolean' }, 'publish-dry-run': { type: 'boolean' } },
});
const out = resolve(values.out ?? join(root, '.packs'));
// The pinned pnpm, through npx: a fresh machine has no `pnpm` on its PATH.
const pnpm = ['--yes', JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager];
// Progress goes to stderr: stdout carries only the tarballs' paths.
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });

if (!values['no-build']) run('npm', ['run', 'build']);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
run('npx', [...pnpm, '--recursive', 'pack', '--pack-destination', out]);
if (values['publish-dry-run']) run('npx', [...pnpm, '--recursive', 'publish', '--dry-run', '--no-git-checks']);
for (const tarball of readdirSync(out).sort()) console.log(join(out, tarball));
