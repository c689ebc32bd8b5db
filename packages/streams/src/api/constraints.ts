import { SerializationException, ValidationException } from '@magneto/core';

/**
 * DynamoDB Streams' member constraints, reported as Coral reports them:
 * "1 validation error detected: Value 'x' at 'limit' failed to satisfy constraint: …", all failures of
 * a request together (at most 10).
 */
export class Constraints {
  private readonly errors: string[] = [];

  private fail(value: unknown, member: string, constraint: string): void {
    const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
    this.errors.push(`Value ${shown} at '${member}' failed to satisfy constraint: Member must ${constraint}`);
  }

  required(member: string, value: unknown): this {
    if (value === undefined || value === null) this.fail(value, member, 'not be null');
    return this;
  }

  length(member: string, value: unknown, min: number, max: number): this {
    if (typeof value !== 'string') return this;
    if (value.length < min) this.fail(value, member, `have length greater than or equal to ${min}`);
    else if (value.length > max) this.fail(value, member, `have length less than or equal to ${max}`);
    return this;
  }

  range(member: string, value: unknown, min: number, max?: number): this {
    if (typeof value !== 'number') return this;
    if (value < min) this.fail(value, member, `have value greater than or equal to ${min}`);
    else if (max !== undefined && value > max) this.fail(value, member, `have value less than or equal to ${max}`);
    return this;
  }

  oneOf(member: string, value: unknown, values: readonly string[]): this {
    if (typeof value === 'string' && !values.includes(value)) this.fail(value, member, `satisfy enum value set: [${values.join(', ')}]`);
    return this;
  }

  pattern(member: string, value: unknown, source: string, test: RegExp): this {
    if (typeof value === 'string' && !test.test(value)) this.fail(value, member, `satisfy regular expression pattern: ${source}`);
    return this;
  }

  /** Throws the collected failures, if any. */
  finish(): void {
    const n = this.errors.length;
    if (n === 0) return;
    const shown = this.errors.slice(0, 10);
    throw new ValidationException(`${n} validation error${n === 1 ? '' : 's'} detected: ${shown.join('; ')}`);
  }
}

const START_OF_STRUCTURE = 'Start of structure or map found where not expected';

function scalarToken(value: unknown): string {
  if (value === true) return 'TRUE_VALUE';
  if (value === false) return 'FALSE_VALUE';
  if (typeof value === 'string') return 'STRING_VALUE';
  return typeof value === 'number' && !Number.isInteger(value) ? 'DECIMAL_VALUE' : 'NUMBER_VALUE';
}

/**
 * A request member's JSON type, checked as the service's deserializer does: SerializationException with
 * its messages (e.g. "STRING_VALUE cannot be converted to Integer") when a member has the wrong JSON type.
 */
export function expectType(value: unknown, type: 'string' | 'integer' | 'struct', structName = ''): void {
  if (value === undefined || value === null) return;
  const isArray = Array.isArray(value);
  const isObject = !isArray && typeof value === 'object';
  let message: string | undefined;
  if (type === 'string' && typeof value !== 'string') {
    message = isArray ? 'Unrecognized collection type class java.lang.String' : isObject ? START_OF_STRUCTURE : `${scalarToken(value)} cannot be converted to String`;
  } else if (type === 'integer' && typeof value !== 'number') {
    message = isArray ? 'Unrecognized collection type class java.lang.Integer' : isObject ? START_OF_STRUCTURE : `${scalarToken(value)} cannot be converted to Integer`;
  } else if (type === 'struct' && !isObject) {
    message = isArray ? `Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${structName}` : 'Unexpected field type';
  }
  if (message !== undefined) throw new SerializationException(message);
}

export const STREAM_ARN_MIN = 37;
export const STREAM_ARN_MAX = 1024;
export const SHARD_ID_MIN = 28;
export const SHARD_ID_MAX = 65;
