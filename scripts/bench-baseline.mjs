// `node scripts/bench-baseline.mjs [commit]`: builds @magneto/core as it was at `commit` (default 635e2f1,
// the object layout before compact item storage, issue 24) beside this checkout and prints the path of its
// dist/index.js, so a benchmark can run the previous layout and this one in one process (the only fair
// comparison on a shared, noisy machine). Built once, under packages/core/node_modules/.bench-baseline/
// (there it resolves core's dependencies as this checkout installed them); needs the commit in git history.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const commit = process.argv[2] ?? '635e2f1';
const dir = join(root, 'packages/core/node_modules/.bench-baseline', commit);
const entry = join(dir, 'packages/core/dist/index.js');

if (!existsSync(entry)) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = ['tsconfig.base.json', 'packages/core/tsconfig.build.json', 'packages/core/package.json', 'packages/core/src'];
  const archive = spawnSync('git', ['archive', '--format=tar', commit, ...files], { cwd: root, maxBuffer: 1 << 30 });
  if (archive.status !== 0) fail(`git archive ${commit}: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) fail(`tar: ${untar.stderr}`);
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'packages/core/tsconfig.build.json')], { stdio: 'inherit' });
  if (tsc.status !== 0 || !existsSync(entry)) fail(`building core at ${commit} failed`);
}
console.log(entry);

function fail(message) {
  console.error(`bench-baseline: ${message}`);
  process.exit(1);
}
