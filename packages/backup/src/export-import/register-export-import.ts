import type { OperationEntry } from '@magneto/core';
import type { BackupHost } from '../backup-host.js';
import { createExportImportHost, type ExportImportHost, type ExportImportOptions } from './export-import-host.js';
import { describeExport, listExports } from './export-queries.js';
import { exportTableToPointInTime } from './export-table.js';
import { describeImport, listImports } from './import-queries.js';
import { importTable } from './import-table.js';
import { guardImportingTables } from './importing-tables.js';

/**
 * Registers DynamoDB's export and import operations (ExportTableToPointInTime, DescribeExport,
 * ListExports, ImportTable, DescribeImport, ListImports) on the backup module's context: exports read
 * its point-in-time recovery history. Answers the jobs' state, which the backup module persists (see job-log.ts).
 */
export function registerExportImport(backup: BackupHost, options: ExportImportOptions): ExportImportHost {
  const host = createExportImportHost(backup, options);
  guardImportingTables(backup.context, host.importing);
  const DDB = 'DynamoDB_20120810';
  const register = <I extends object>(entry: OperationEntry<I>): void => backup.context.registerOperation(entry);
  // Jobs are not tables: their reads wait for whatever is pending.
  const anyTable = () => undefined;
  register({ service: DDB, name: 'ExportTableToPointInTime', effect: 'read', tablesOf: (input) => (typeof input.TableArn === 'string' ? [input.TableArn] : undefined), handler: (input) => exportTableToPointInTime(host, input as never) });
  register({ service: DDB, name: 'DescribeExport', effect: 'read', tablesOf: anyTable, handler: (input) => describeExport(host, input as never) });
  register({ service: DDB, name: 'ListExports', effect: 'read', tablesOf: anyTable, handler: (input) => listExports(host, input as never) });
  register({ service: DDB, name: 'ImportTable', effect: 'catalog', tablesOf: importTarget, handler: (input) => importTable(host, input as never) });
  register({ service: DDB, name: 'DescribeImport', effect: 'read', tablesOf: anyTable, handler: (input) => describeImport(host, input as never) });
  register({ service: DDB, name: 'ListImports', effect: 'read', tablesOf: anyTable, handler: (input) => listImports(host, input as never) });
  return host;
}

/** ImportTable's request names its new table. */
function importTarget(input: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  const name = (input.TableCreationParameters as { TableName?: unknown } | undefined)?.TableName;
  return typeof name === 'string' ? [name] : undefined;
}
