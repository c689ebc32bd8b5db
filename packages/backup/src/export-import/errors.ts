import { DynamoDBError } from '@magneto/core';

/**
 * The exceptions of DynamoDB's export and import operations, one class per exception name, as the wire
 * answers them (`com.amazonaws.dynamodb.v20120810#<Name>`, HTTP 400).
 *
 * @example
 * try { await db.execute('DynamoDB_20120810', 'DescribeImport', { ImportArn: arn }); }
 * catch (e) { if (e instanceof ImportNotFoundException) console.log(e.message); }
 */
abstract class ExportImportError extends DynamoDBError {
  readonly typePrefix = 'com.amazonaws.dynamodb.v20120810';
}

/** DescribeExport names an export that does not exist. */
export class ExportNotFoundException extends ExportImportError {
  override readonly name = 'ExportNotFoundException';
}

/** DescribeImport names an import that does not exist. */
export class ImportNotFoundException extends ExportImportError {
  override readonly name = 'ImportNotFoundException';
}

/** ExportTableToPointInTime reuses a ClientToken (within 8 hours) with other parameters. */
export class ExportConflictException extends ExportImportError {
  override readonly name = 'ExportConflictException';
}

/** ImportTable reuses a ClientToken (within 8 hours) with other parameters. */
export class ImportConflictException extends ExportImportError {
  override readonly name = 'ImportConflictException';
}

/** ExportTime lies outside the table's point-in-time recovery window. */
export class InvalidExportTimeException extends ExportImportError {
  override readonly name = 'InvalidExportTimeException';
}
