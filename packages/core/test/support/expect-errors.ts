/**
 * Assertions on what a synchronous call throws: the exact class and the exact message, as DynamoDB
 * would send them.
 */
import { expect } from 'vitest';
import { SerializationException, ValidationException } from '../../src/errors.js';

/** Asserts `fn` throws an instance of `type` with exactly `message`. */
export function expectThrown(fn: () => void, type: abstract new (...args: never[]) => Error, message: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(type);
  expect((thrown as Error).message).toBe(message);
}

/** Asserts `fn` throws a ValidationException with exactly `message`. */
export function expectValidation(fn: () => void, message: string): void {
  expectThrown(fn, ValidationException, message);
}

/** Asserts `fn` throws a SerializationException with exactly `message`. */
export function expectSerialization(fn: () => void, message: string): void {
  expectThrown(fn, SerializationException, message);
}

/** Asserts `fn` throws a ValidationException and returns its message, for tests that compare many messages. */
export function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationException);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationException');
}
