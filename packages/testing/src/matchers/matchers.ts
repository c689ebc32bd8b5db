import type { JournalEntry, RequestJournal } from '@magneto/core';
import { documentInput } from './document-input.js';

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

/** Whether `command` is a `@aws-sdk/lib-dynamodb` command class (`PutCommand`, its `QueryCommand`, …), whose input holds native values. */
function isDocumentCommand(command: CommandLike): boolean {
  for (let proto: unknown = typeof command === 'function' ? Object.getPrototypeOf(command) : null; typeof proto === 'function'; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { name: string }).name === 'DynamoDBDocumentClientCommand') return true;
  }
  return false;
}

/** The request as the command was written: native values for a DocumentClient command, AttributeValues otherwise. */
function inputFor(command: CommandLike, entry: JournalEntry): Readonly<Record<string, unknown>> {
  return isDocumentCommand(command) ? documentInput(entry.input) : entry.input;
}

/** The journal a matcher reads: a request journal, or what holds one (`createTestDatabase`'s TestDatabase). */
function journalOf(received: unknown): RequestJournal {
  const isJournal = (value: unknown): value is RequestJournal => value !== null && typeof value === 'object' && Array.isArray((value as RequestJournal).entries);
  if (isJournal(received)) return received;
  const held = received !== null && typeof received === 'object' ? (received as { journal?: unknown }).journal : undefined;
  if (isJournal(held)) return held;
  throw new TypeError('Expected a request journal (journal() from @magneto/core, installed in the database) or a TestDatabase (createTestDatabase)');
}

/** Whether `input` holds every member of `expected` (each compared deeply; asymmetric matchers work), as `expect.objectContaining`. */
function holds(context: MatcherContext, input: Readonly<Record<string, unknown>>, expected: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(expected).every(([name, value]) => context.equals(input[name], value));
}

function describeCalls(context: MatcherContext, calls: readonly JournalEntry[], command?: CommandLike): string {
  if (calls.length === 0) return 'It received none.';
  const shown = (entry: JournalEntry) => (command === undefined ? entry.input : inputFor(command, entry));
  return `It received:\n${calls.map((entry, i) => `  ${i + 1}. ${entry.operation} ${context.utils.printReceived(shown(entry))}`).join('\n')}`;
}

function checkCall(call: unknown): number {
  if (typeof call !== 'number' || !Number.isInteger(call) || call < 1) throw new TypeError(`The call number must be a whole number from 1, got ${String(call)}`);
  return call;
}

/**
 * Matchers over what the database really received, named and called as `aws-sdk-client-mock-jest`'s, for
 * vitest's and jest's `expect.extend`. The received value is a request journal (`journal()` installed in
 * the database) or a TestDatabase. A DocumentClient command (`PutCommand`, lib-dynamodb's `QueryCommand`)
 * is compared with native values, as it was written; a DynamoDBClient command or an operation name
 * (`'PutItem'`) with AttributeValues, as DynamoDB received it. Every attempt counts: a request the SDK
 * retried after a throttle was received twice.
 *
 * @example
 * expect.extend(magnetoMatchers);
 * expect(testDb).toHaveReceivedCommandWith(PutCommand, { TableName: 'orders', Item: { id: 'o1', total: 12 } });
 * expect(testDb).toHaveReceivedCommandTimes(GetItemCommand, 2);
 */
const baseMatchers = {
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
      pass: calls.some((entry) => holds(this, inputFor(command, entry), input)),
      message: () => `Expected the database ${this.isNot ? 'not ' : ''}to have received ${operation} with ${this.utils.printExpected(input)}. ${describeCalls(this, calls, command)}`,
    };
  },

  /** The database's `call`-th request (from 1, of any operation) was this operation and held every member of `input`. */
  toHaveReceivedNthCommandWith(this: MatcherContext, received: unknown, call: number, command: CommandLike, input: Readonly<Record<string, unknown>>): MatcherResult {
    const operation = operationOf(command);
    const calls = journalOf(received).entries;
    const entry = calls[checkCall(call) - 1];
    return {
      pass: entry !== undefined && entry.operation === operation && holds(this, inputFor(command, entry), input),
      message: () => `Expected request ${call} ${this.isNot ? 'not ' : ''}to be ${operation} with ${this.utils.printExpected(input)}. ${describeCalls(this, calls)}`,
    };
  },

  /** The `call`-th request of this operation (from 1) held every member of `input`. */
  toHaveReceivedNthSpecificCommandWith(this: MatcherContext, received: unknown, call: number, command: CommandLike, input: Readonly<Record<string, unknown>>): MatcherResult {
    const operation = operationOf(command);
    const calls = journalOf(received).of(operation);
    const entry = calls[checkCall(call) - 1];
    return {
      pass: entry !== undefined && holds(this, inputFor(command, entry), input),
      message: () => `Expected ${operation} request ${call} ${this.isNot ? 'not ' : ''}to hold ${this.utils.printExpected(input)}. ${describeCalls(this, calls, command)}`,
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

/** The matchers, under their names and under aws-sdk-client-mock-jest's short aliases (`toReceiveCommandWith`, …). */
export const magnetoMatchers = {
  ...baseMatchers,
  toReceiveCommand: baseMatchers.toHaveReceivedCommand,
  toReceiveCommandTimes: baseMatchers.toHaveReceivedCommandTimes,
  toReceiveCommandWith: baseMatchers.toHaveReceivedCommandWith,
  toReceiveNthCommandWith: baseMatchers.toHaveReceivedNthCommandWith,
  toReceiveNthSpecificCommandWith: baseMatchers.toHaveReceivedNthSpecificCommandWith,
  toReceiveAnyCommand: baseMatchers.toHaveReceivedAnyCommand,
};

/** The matchers' types, for vitest's `Assertion` / jest's `Matchers` (see the package README). */
export interface MagnetoMatchers<R = unknown> {
  toHaveReceivedCommand(command: CommandLike): R;
  toHaveReceivedCommandTimes(command: CommandLike, times: number): R;
  toHaveReceivedCommandWith(command: CommandLike, input: Readonly<Record<string, unknown>>): R;
  toHaveReceivedNthCommandWith(call: number, command: CommandLike, input: Readonly<Record<string, unknown>>): R;
  toHaveReceivedNthSpecificCommandWith(call: number, command: CommandLike, input: Readonly<Record<string, unknown>>): R;
  toHaveReceivedAnyCommand(): R;
  toHaveAnsweredCommandWithError(command: CommandLike, exceptionName: string): R;
  toReceiveCommand(command: CommandLike): R;
  toReceiveCommandTimes(command: CommandLike, times: number): R;
  toReceiveCommandWith(command: CommandLike, input: Readonly<Record<string, unknown>>): R;
  toReceiveNthCommandWith(call: number, command: CommandLike, input: Readonly<Record<string, unknown>>): R;
  toReceiveNthSpecificCommandWith(call: number, command: CommandLike, input: Readonly<Record<string, unknown>>): R;
  toReceiveAnyCommand(): R;
}
