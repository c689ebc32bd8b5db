// `pnpm bench`: every package's benchmark, one after another, each in its own Node process (so one
// benchmark's heap and JIT state do not skew the next). Run after `npm run build`.
import { spawnSync } from 'node:child_process';

/** [script, extra node flags] in the order they run. */
const benches = [
  ['packages/core/bench/run.ts', ['--expose-gc']],
  ['packages/core/bench/capacity.ts', []],
  ['packages/core/bench/snapshot-recovery.ts', ['--expose-gc']],
  ['packages/server/bench/run.ts', []],
  ['packages/streams/bench/run.ts', []],
  ['packages/streams/bench/triggers.ts', []],
  ['packages/dax/bench/run.ts', ['--expose-gc']],
  ['packages/core/bench/access-control.ts', []],
  ['packages/testing/bench/run.ts', []],
  ['packages/global-tables/bench/run.ts', []],
  ['packages/backup/bench/run.ts', ['--expose-gc']],
  ['packages/core/bench/bundle-size.ts', []],
];

const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
for (const [script, flags] of benches) {
  console.log(`\n=== ${script}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...flags, script], { stdio: 'inherit', env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

// This build beside the object layout before compact item storage (issue 24), in one process: heap per
// item, and reads of items in the decoded-item cache and of items not read recently. BENCH_BASELINE names
// another core's dist/index.js; otherwise scripts/bench-baseline.mjs builds 635e2f1 (once).
console.log('\n=== packages/core/bench/compare.ts (this build / the object layout)');
let baseline = process.env.BENCH_BASELINE;
if (baseline === undefined) {
  const built = spawnSync(process.execPath, ['scripts/bench-baseline.mjs'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (built.status === 0) baseline = built.stdout.trim();
  else console.log('(skipped: the previous layout could not be built here; set BENCH_BASELINE to an older core dist/index.js)');
}
if (baseline !== undefined) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', 'packages/core/bench/compare.ts', baseline], { stdio: 'inherit', env });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
