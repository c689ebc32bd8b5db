import { DynamoDBError } from '@magneto/core';

/**
 * The exceptions of AWS Backup's operations (backup plans, selections, vaults, recovery points, jobs),
 * one class per exception name as AWS Backup answers them.
 *
 * @example
 * try { await backups.deleteBackupVault({ BackupVaultName: 'nightly' }); }
 * catch (e) { if (e instanceof InvalidRequestException) console.log(e.message); } // Backup vault cannot be deleted because it contains recovery points.
 */
export abstract class AwsBackupError extends DynamoDBError {
  readonly typePrefix = 'com.amazonaws.backup';
}

/** A parameter's value is wrong: out of range, a bad schedule expression, an invalid lifecycle. */
export class InvalidParameterValueException extends AwsBackupError {
  override readonly name = 'InvalidParameterValueException';
}

/** A required parameter is missing. */
export class MissingParameterValueException extends AwsBackupError {
  override readonly name = 'MissingParameterValueException';
}

/** The request cannot be done in the resource's state (a vault that holds recovery points, a plan with selections). */
export class InvalidRequestException extends AwsBackupError {
  override readonly name = 'InvalidRequestException';
}

/** A plan, selection, vault, recovery point or job that the request names does not exist. */
export class ResourceNotFoundException extends AwsBackupError {
  override readonly name = 'ResourceNotFoundException';
}

/** The resource exists already (a vault of that name). */
export class AlreadyExistsException extends AwsBackupError {
  override readonly name = 'AlreadyExistsException';
}
