import { fingerprintOf } from './client-tokens.js';
import type { ExportImportHost } from './export-import-host.js';
import type { ExportJob } from './export-job.js';
import type { ImportJob } from './import-job.js';
import { dropImportedTable } from './import-table.js';

/**
 * Export and import jobs on durable storage: each job is logged when it starts and when it ends
 * (ModuleContext.logModuleRecord, as backups are), and every job is in the module's snapshots, so
 * DescribeExport / ListExports / DescribeImport / ListImports and ClientToken idempotency survive a
 * restart. A job still IN_PROGRESS when the database stopped cannot go on (the reading or writing of
 * objects it was doing is gone): on recovery it ends FAILED with FailureCode `InterruptedByRestart`,
 * and an interrupted import's table is deleted, as a failed import leaves no table behind. Start it again
 * with a new ClientToken.
 */
export type ExportImportLogEntry = { readonly kind: 'exportJob'; readonly job: ExportJob } | { readonly kind: 'importJob'; readonly job: ImportJob };

/** The jobs as plain data, for a snapshot. */
export interface PersistedJobs {
  readonly exports: readonly ExportJob[];
  readonly imports: readonly ImportJob[];
}

/** Whether a logged record of the backup module is an export or import job's. */
export function isJobEntry(entry: { readonly kind: string }): entry is ExportImportLogEntry {
  return entry.kind === 'exportJob' || entry.kind === 'importJob';
}

/** Logs a job as it is now (started or ended). */
export function logJob(host: ExportImportHost, entry: ExportImportLogEntry): void {
  // A copy: the job object changes as it runs, the record is of this moment.
  host.backup.logged({ kind: entry.kind, job: { ...entry.job } } as ExportImportLogEntry);
}

/** Applies a logged job during recovery: the newest record of a job wins. */
export function replayJob(host: ExportImportHost, entry: ExportImportLogEntry): void {
  if (entry.kind === 'exportJob') adoptExport(host, entry.job);
  else adoptImport(host, entry.job);
}

export function persistJobs(host: ExportImportHost): PersistedJobs {
  return { exports: [...host.exports.values()], imports: [...host.imports.values()] };
}

export function restoreJobs(host: ExportImportHost, jobs: PersistedJobs | undefined): void {
  for (const job of jobs?.exports ?? []) adoptExport(host, job);
  for (const job of jobs?.imports ?? []) adoptImport(host, job);
}

/** After recovery: every job left IN_PROGRESS ends FAILED (its import's table deleted), and that is logged. */
export function failInterruptedJobs(host: ExportImportHost): void {
  const now = host.backup.context.clock.now();
  const interrupted = (job: ExportJob | ImportJob): void => {
    job.status = 'FAILED';
    job.failureCode = 'InterruptedByRestart';
    job.failureMessage = 'The database stopped while the job was in progress';
    job.endedAt = now;
  };
  for (const job of host.exports.values()) {
    if (job.status !== 'IN_PROGRESS') continue;
    interrupted(job);
    logJob(host, { kind: 'exportJob', job });
  }
  for (const job of host.imports.values()) {
    if (job.status !== 'IN_PROGRESS') continue;
    interrupted(job);
    dropImportedTable(host.backup.context, job);
    logJob(host, { kind: 'importJob', job });
  }
}

function adoptExport(host: ExportImportHost, job: ExportJob): void {
  const copy = { ...job };
  host.exports.set(copy.arn, copy);
  host.exportTokens.remember(copy.input.ClientToken, fingerprintOf(copy.input), copy.startedAt, copy);
}

function adoptImport(host: ExportImportHost, job: ImportJob): void {
  const copy = { ...job };
  host.imports.set(copy.arn, copy);
  host.importTokens.remember(copy.input.ClientToken, fingerprintOf(copy.input), copy.startedAt, copy);
}
