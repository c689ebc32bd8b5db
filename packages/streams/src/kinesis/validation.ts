import { STRING, beginConstraints, checkShape, defineEnum, struct } from '@magneto/core';

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

const PRECISION = defineEnum(PRECISIONS);
const STRING_MEMBER = struct('Member', { value: STRING });
const STRUCTURE_MEMBER = struct('Member', { value: struct('Structure', {}) });

/**
 * Throws SerializationException when a string member is not a string, or a structure not an object
 * (core's deserializer checks, member by member in the order given).
 */
export function checkTypes(strings: readonly unknown[], structures: readonly unknown[]): void {
  for (const value of strings) checkShape({ value }, STRING_MEMBER);
  for (const value of structures) checkShape({ value }, STRUCTURE_MEMBER);
}

/** The constraint failures of string members and an optional precision enum, as one ValidationException. */
export function checkConstraints(members: readonly StringMember[], precisionPath: string, precision: unknown): void {
  const c = beginConstraints();
  for (const member of members) {
    if (member.required) c.notNull(member.path, member.value);
    c.length(member.path, member.value, member.min, member.max);
  }
  c.oneOf(precisionPath, precision, PRECISION);
  c.finish();
}

/** TableName: a name or a table ARN, 1 to 1024 characters (the API reference's constraints). */
export function tableNameMember(value: unknown): StringMember {
  return { path: 'tableName', value, required: true, min: 1, max: 1024 };
}

/** StreamArn: 37 to 1024 characters. */
export function streamArnMember(value: unknown): StringMember {
  return { path: 'streamArn', value, required: true, min: 37, max: 1024 };
}
