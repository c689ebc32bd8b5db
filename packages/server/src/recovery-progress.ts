import type { RecoveryProgress, RecoveryReport, StoreDamage } from '@magneto/core';

/**
 * What `magneto serve --data` prints about recovery: progress lines while a large store recovers, and
 * the damage recovery found.
 */

/**
 * A progress listener (`onRecoveryProgress`) that writes a line at most once per `intervalMs`, the first
 * only once recovery has run that long: a store that opens at once prints nothing.
 */
export function recoveryProgressPrinter(dir: string, write: (line: string) => void, now: () => number = () => performance.now(), intervalMs = 1000): (progress: RecoveryProgress) => void {
  let last = now();
  return (progress) => {
    const at = now();
    if (at - last < intervalMs) return;
    last = at;
    const percent = `${Math.floor(progress.fileFraction * 100)}%`;
    write(
      progress.phase === 'snapshot'
        ? `magneto: recovering ${dir}: loading ${progress.file} (${percent}), ${count(progress.items)} items so far`
        : `magneto: recovering ${dir}: replaying ${progress.file} (${percent}), ${count(progress.replayedRecords)} log records so far`,
    );
  };
}

/** The closing line of a recovery that took long enough to print progress; undefined otherwise. */
export function recoverySummary(dir: string, report: RecoveryReport, intervalMs = 1000): string | undefined {
  if (report.durationMs < intervalMs) return undefined;
  return `magneto: recovered ${dir} in ${(report.durationMs / 1000).toFixed(1)} s: ${count(report.items)} items in ${report.tables} ${report.tables === 1 ? 'table' : 'tables'}, ${count(report.replayedRecords)} log records replayed`;
}

/** One line per piece of damage: where, why, and what recovery did about it. */
export function formatDamage(damage: readonly StoreDamage[]): string {
  return damage.map((d) => `  ${d.file} at byte ${d.offset} (${d.reason}${d.lostFromLsn === undefined ? '' : `, the log stops at record ${d.lostFromLsn}`}): ${d.action}`).join('\n');
}

const count = (n: number) => n.toLocaleString('en-US');
