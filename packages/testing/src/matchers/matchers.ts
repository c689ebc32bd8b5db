import type { JournalEntry, RequestJournal } from '@magneto/core';

/**
 * What a matcher is asked about: an operation name (`'PutItem'`) or an AWS SDK command class
 * (`PutItemCommand`; a DocumentClient command names its operation too: `PutCommand` is PutItem).
 */
export type CommandLike = string | { readonly name: string };

/** The part of vitest's and jest's matcher context these matchers use. */
interface MatcherContext {
  readonly isNot: boolean;
  equals(a: unknown, b: unknown): boolean;
  utils: { printExpected(value: unknown): string; printReceived(value: unknown): string };
}
interface MatcherResult {
  pass: boolean;
  message(): string;
}

/** lib-dynamodb's command names that are not `<Operation>Command`. */
const DOCUMENT_COMMANDS: Readonly<Record<string, string>> = {
  PutCommand: 'PutItem',
  GetCommand: 'GetItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  BatchGetCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  TransactGetCommand: 'TransactGetItems',
  TransactWriteCommand: 'TransactWriteItems',
};

function operationOf(command: CommandLike): string {
  if (typeof command === 'string') return command;
  return DOCUMENT_COMMANDS[command.name] ?? command.name.replace(/Command$/, '');
}

function journalOf(received: unknown): RequestJournal {
  if (received === null || typeof received !== 'object' || !Array.isArray((received as RequestJournal).entries)) {
    throw new TypeError('Expected a request journal (journal() from @magneto/core, installed in the database)');
  }
  return received as RequestJournal;
}

/** Whether `input` holds every member of `expected` (each compared deeply; asymmetric matchers work). */
function holds(context: MatcherContext, input: Readonly<Record<string, unknown>>, expected: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(expected).every(([name, value]) => context.equals(input[name], value));
}

function describeCalls(context: MatcherContext, calls: readonly JournalEntry[]): string {
  if (calls.length === 0) return 'It received none.';
  return `It received:\n${calls.map((entry, i) => `  ${i + 1}. ${context.utils.printReceived(entry.input)}`).join('\n')}`;
}

/**
 * Matchers over what the database really received, in the style of `aws-sdk-client-mock-jest`, for
 * vitest's and jest's `expect.extend`. The received value is a request journal (`journal()` installed in
 * the database); inputs are compared as DynamoDB received them (AttributeValues: a DocumentClient's native
 * values arrive marshalled).
 *
 * @example
 * expect.extend(magnetoMatchers);
 * expect(requests).toHaveReceivedCommandWith(PutItemCommand, { TableName: 'orders' });
 * expect(requests).toHaveReceivedCommandTimes('GetItem', 2);
 */
export const magnetoMatchers = {
  /** The database received at least one request of this operation. */
  toHaveReceivedCommand(this: MatcherContext, received: unknown, command: CommandLike): MatcherResult {
    const operation = operationOf(command);
    const calls = journalOf(received).of(operation);
    return {
      pass: calls.length > 0,
      message: () => `Expected the database ${this.isNot ? 'not ' : ''}to have received ${operation}, received it ${calls.length} times`,
    };
  },

  /** The database received exactly `times` requests of this operation. */
  toHaveReceivedCommandTimes(this: MatcherContext, received: unknown, command: CommandLike, times: number): MatcherResult {
    const operation = operationOf(command);
    const calls = journalOf(received).of(operation);
    return {
      pass: calls.length === times,
      message: () => `Expected the database ${this.isNot ? 'not ' : ''}to have received ${operation} ${times} times, received it ${calls.length} times`,
    };
  },

  /** Some request of this operation held every member of `input`. */
  toHaveReceivedCommandWith(this: MatcherContext, received: unknown, command: CommandLike, input: Readonly<Record<string, unknown>>): MatcherResult {
    const operation = operationOf(command);
    const calls = journalOf(received).of(operation);
    return {
      pass: calls.some((entry) => holds(this, entry.input, input)),
      message: () => `Expected the database ${this.isNot ? 'not ' : ''}to have received ${operation} with ${this.utils.printExpected(input)}. ${describeCalls(this, calls)}`,
    };
  },

  /** The n-th request of this operation (from 1) held every member of `input`. */
  toHaveReceivedNthCommandWith(this: MatcherContext, received: unknown, command: CommandLike, nth: number, input: Readonly<Record<string, unknown>>): MatcherResult {
    const operation = operationOf(command);
    const calls = journalOf(received).of(operation);
    const call = calls[nth - 1];
    return {
      pass: call !== undefined && holds(this, call.input, input),
      message: () => `Expected ${operation} call ${nth} ${this.isNot ? 'not ' : ''}to hold ${this.utils.printExpected(input)}. ${describeCalls(this, calls)}`,
    };
  },

  /** The database received any request at all. */
  toHaveReceivedAnyCommand(this: MatcherContext, received: unknown): MatcherResult {
    const count = journalOf(received).entries.length;
    return { pass: count > 0, message: () => `Expected the database ${this.isNot ? 'not ' : ''}to have received a request, received ${count}` };
  },

  /** Some request of this operation failed with this DynamoDB exception (by name). */
  toHaveAnsweredCommandWithError(this: MatcherContext, received: unknown, command: CommandLike, exceptionName: string): MatcherResult {
    const operation = operationOf(command);
    const calls = journalOf(received).of(operation);
    const errors = calls.flatMap((entry) => (entry.error === undefined ? [] : [entry.error.name]));
    return {
      pass: errors.includes(exceptionName),
      message: () => `Expected ${operation} ${this.isNot ? 'not ' : ''}to have failed with ${exceptionName}; its failures: ${errors.length === 0 ? 'none' : errors.join(', ')}`,
    };
  },
};

/** The matchers' types, for vitest's `Assertion` / jest's `Matchers` (see the package README). */
export interface MagnetoMatchers<R = unknown> {
  toHaveReceivedCommand(command: CommandLike): R;
  toHaveReceivedCommandTimes(command: CommandLike, times: number): R;
  toHaveReceivedCommandWith(command: CommandLike, input: Readonly<Record<string, unknown>>): R;
  toHaveReceivedNthCommandWith(command: CommandLike, nth: number, input: Readonly<Record<string, unknown>>): R;
  toHaveReceivedAnyCommand(): R;
  toHaveAnsweredCommandWithError(command: CommandLike, exceptionName: string): R;
}
