/**
 * Type test: with `@magneto/testing/jest` loaded, the `expect` of `@jest/globals` has Magneto's matchers,
 * typed (vitest's typecheck runs tsc over this file; a type error fails it).
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from '@jest/globals';
import '../src/jest.js';

declare const client: DynamoDBClient;

expect(client).toHaveReceivedCommand(GetItemCommand);
expect(client).toHaveReceivedCommandTimes(GetItemCommand, 2);
expect(client).toHaveReceivedCommandWith(GetItemCommand, { TableName: 'orders' });
expect(client).not.toHaveReceivedAnyCommand();
// @ts-expect-error: the count is a number
expect(client).toHaveReceivedCommandTimes(GetItemCommand, 'twice');
