import { SerializationException, ValidationException } from '@magneto/core';

/**
 * Request checks of the Kinesis destination operations, before the table lookup: JSON types
 * (SerializationException, as DynamoDB's deserializer words them), then the members' constraints
 * (one ValidationException listing every failure, Coral's wording).
 */

const PRECISIONS = ['MILLISECOND', 'MICROSECOND'] as const;

/** A member of the request and the constraints it must meet. */
interface StringMember {
  readonly path: string;
  readonly value: unknown;
  readonly required: boolean;
  readonly min: number;
  readonly max: number;
}

/** Throws SerializationException when a string member is not a string, or a structure not an object. */
export function checkTypes(strings: readonly unknown[], structures: readonly unknown[]): void {
  for (const value of strings) {
    if (value === undefined || value === null || typeof value === 'string') continue;
    if (Array.isArray(value)) throw new SerializationException('Unrecognized collection type class java.lang.String');
    if (typeof value === 'object') throw new SerializationException('Start of structure or map found where not expected');
    const token = typeof value === 'boolean' ? (value ? 'TRUE_VALUE' : 'FALSE_VALUE') : Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
    throw new SerializationException(`${token} cannot be converted to String`);
  }
  for (const value of structures) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new SerializationException('Unexpected field type');
  }
}

/** The constraint failures of string members and an optional precision enum, as one ValidationException. */
export function checkConstraints(members: readonly StringMember[], precisionPath: string, precision: unknown): void {
  const errors: string[] = [];
  const fail = (path: string, value: unknown, constraint: string): void => {
    const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
    errors.push(`Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  };
  for (const member of members) {
    if (member.value === undefined || member.value === null) {
      if (member.required) fail(member.path, member.value, 'Member must not be null');
      continue;
    }
    const length = (member.value as string).length;
    if (length < member.min) fail(member.path, member.value, `Member must have length greater than or equal to ${member.min}`);
    if (length > member.max) fail(member.path, member.value, `Member must have length less than or equal to ${member.max}`);
  }
  if (typeof precision === 'string' && !(PRECISIONS as readonly string[]).includes(precision)) {
    fail(precisionPath, precision, `Member must satisfy enum value set: [${PRECISIONS.join(', ')}]`);
  }
  if (errors.length > 0) {
    const n = errors.length;
    throw new ValidationException(`${n} validation error${n === 1 ? '' : 's'} detected: ${errors.join('; ')}`);
  }
}

/** TableName: a name or a table ARN, 1 to 1024 characters (the API reference's constraints). */
export function tableNameMember(value: unknown): StringMember {
  return { path: 'tableName', value, required: true, min: 1, max: 1024 };
}

/** StreamArn: 37 to 1024 characters. */
export function streamArnMember(value: unknown): StringMember {
  return { path: 'streamArn', value, required: true, min: 37, max: 1024 };
}
