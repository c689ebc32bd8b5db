import { BackupError } from '../errors.js';

/**
 * The exceptions of DynamoDB's export and import operations, one class per exception name (on this
 * package's BackupError base, as the wire answers them).
 *
 * @example
 * try { await db.execute('DynamoDB_20120810', 'DescribeImport', { ImportArn: arn }); }
 * catch (e) { if (e instanceof ImportNotFoundException) console.log(e.message); }
 */
/** DescribeExport names an export that does not exist. */
export class ExportNotFoundException extends BackupError {
  override readonly name = 'ExportNotFoundException';
}

/** DescribeImport names an import that does not exist. */
export class ImportNotFoundException extends BackupError {
  override readonly name = 'ImportNotFoundException';
}

/** ExportTableToPointInTime reuses a ClientToken (within 8 hours) with other parameters. */
export class ExportConflictException extends BackupError {
  override readonly name = 'ExportConflictException';
}

/** ImportTable reuses a ClientToken (within 8 hours) with other parameters. */
export class ImportConflictException extends BackupError {
  override readonly name = 'ImportConflictException';
}

/** ExportTime lies outside the table's point-in-time recovery window. */
export class InvalidExportTimeException extends BackupError {
  override readonly name = 'InvalidExportTimeException';
}
