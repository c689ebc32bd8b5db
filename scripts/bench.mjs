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
