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

/** A request member's JSON type, checked as the protocol layer does (SerializationException). */
export function expectType(value: unknown, type: 'string' | 'number' | 'object', member: string): void {
  if (value === undefined || value === null) return;
  const ok = type === 'object' ? typeof value === 'object' && !Array.isArray(value) : typeof value === type;
  if (!ok) {
    const message =
      type === 'string'
        ? `NUMBER_VALUE cannot be converted to String`
        : type === 'number'
          ? `STRING_VALUE can not be converted to an Integer`
          : `Unexpected value type in payload`;
    throw new SerializationException(`${message} (member ${member})`);
  }
}

export const STREAM_ARN_MIN = 37;
export const STREAM_ARN_MAX = 1024;
export const SHARD_ID_MIN = 28;
export const SHARD_ID_MAX = 65;
