import { ValidationException } from '@magneto/core';

/**
 * A request's timestamp member in ms: the SDK's `Date`, or the wire's epoch seconds (fractions allowed),
 * or undefined when absent.
 */
export function timestampOf(member: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  throw new ValidationException(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must be a timestamp`);
}
