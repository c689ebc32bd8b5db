import { ValidationException } from '../errors.js';
import type { AttributeValue } from '../model/attribute-value.js';
import { keyAttributesOf, type KeyAttribute, type PrimaryKeySchema } from '../model/key-schema.js';
import { memberOf } from '../model/set-member.js';
import { keyValueProblem } from '../model/validate-key.js';
import { primaryKeyCodeOf, primaryKeyIdentity, withHash, type StorageKey } from '../storage/storage-key.js';
import type { ReadTarget } from './read-target.js';

/* Query's and Scan's ExclusiveStartKey: its checks against the target read, and where it sits in the target's storage. */

/** "Exclusive Start Key must have same size as table's key schema" (the table's key plus, on an index, the index's). */
export function checkStartKeySize(start: Readonly<Record<string, AttributeValue>>, target: ReadTarget): void {
  let count = 0;
  for (const _ in start) count++;
  if (count !== target.startKeyAttributes.length) throw new ValidationException("Exclusive Start Key must have same size as table's key schema");
}

/**
 * One key attribute of an ExclusiveStartKey: present ("The provided starting key is invalid"), of the
 * schema's type ("The provided key element does not match the schema"), not empty, within the key size
 * limits (validate-key.ts's messages). dynalite db/index.js validateKeyPiece.
 */
export function checkStartKeyPiece(start: Readonly<Record<string, AttributeValue>>, attribute: KeyAttribute, isPartition: boolean): void {
  const value = memberOf(start, attribute.name);
  if (value === undefined) throw new ValidationException('The provided starting key is invalid');
  keyPieceError(value, attribute, isPartition, (m) => {
    throw new ValidationException(m);
  });
}

function keyPieceError(value: AttributeValue, attribute: KeyAttribute, isPartition: boolean, report: (message: string) => never): void {
  if (!(attribute.type in value)) report('The provided key element does not match the schema');
  const problem = keyValueProblem(value, attribute, isPartition);
  if (problem !== undefined) report(problem);
}

/** The ExclusiveStartKey's table key attributes: "The provided starting key is invalid: <why>". */
export function checkStartKeyTableKey(start: Readonly<Record<string, AttributeValue>>, schema: PrimaryKeySchema): void {
  const report = (message: string): never => {
    throw new ValidationException(`The provided starting key is invalid: ${message}`);
  };
  const attributes = keyAttributesOf(schema);
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i]!;
    const value = memberOf(start, attribute.name);
    if (value === undefined) report('The provided key element does not match the schema');
    keyPieceError(value!, attribute, i < schema.partitionKeys.length, report);
  }
}

/** Where an ExclusiveStartKey (checked) sits in the target's storage. */
export function startStorageKey(start: Readonly<Record<string, AttributeValue>>, target: ReadTarget): StorageKey {
  const key = withHash(primaryKeyCodeOf(start, target.keySchema), start, target.keySchema);
  return target.index === undefined ? key : { ...key, tableKey: primaryKeyIdentity(primaryKeyCodeOf(start, target.table.keySchema)) };
}
