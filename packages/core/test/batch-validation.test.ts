/**
 * BatchGetItem and BatchWriteItem validation: DynamoDB's messages and order (dynalite
 * test/batchGetItem.js and test/batchWriteItem.js, verified against DynamoDB).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Database, ResourceNotFoundException, SerializationException, ValidationException } from '../src/index.js';
import { attributes, keys } from './support/tables.js';

let db: Database;

beforeEach(async () => {
  db = new Database();
  await db.createTable({ TableName: 'hash', KeySchema: keys('a'), AttributeDefinitions: attributes({ a: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
  await db.createTable({
    TableName: 'range',
    KeySchema: keys('a', 'b'),
    AttributeDefinitions: attributes({ a: 'S', b: 'S', c: 'S' }),
    BillingMode: 'PAY_PER_REQUEST',
    LocalSecondaryIndexes: [{ IndexName: 'index4', KeySchema: keys('a', 'c'), Projection: { ProjectionType: 'ALL' } }],
  });
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as Error,
  );
}

async function expectError(promise: Promise<unknown>, type: abstract new (...args: never[]) => Error, message: string | RegExp): Promise<void> {
  const e = await failure(promise);
  expect(e).toBeInstanceOf(type);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
}

const get = (input: unknown) => db.batchGetItem(input as never);
const write = (input: unknown) => db.batchWriteItem(input as never);
const MAP_KEYS =
  "failed to satisfy constraint: Map keys must satisfy constraint: \\[Member must have length less than or equal to 255, " +
  'Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: \\[a-zA-Z0-9_.-\\]\\+\\]';
const MAP_VALUES =
  'failed to satisfy constraint: Map value must satisfy constraint: \\[Member must have length less than or equal to 25, ' +
  'Member must have length greater than or equal to 1\\]';
const DUPLICATES = 'Provided list of item keys contains duplicates';
const SCHEMA = 'The provided key element does not match the schema';
const NOT_FOUND = 'Requested resource not found';

describe('BatchGetItem validation', () => {
  it('reports a missing or empty RequestItems and a bad ReturnConsumedCapacity', async () => {
    await expectError(get({}), ValidationException, "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
    await expectError(
      get({ ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi' }),
      ValidationException,
      // RequestItems before ReturnConsumedCapacity, as DynamoDB orders a bad table name (validation-ordering batchOperations).
      "2 validation errors detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null; " +
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
    );
    await expectError(
      get({ RequestItems: {} }),
      ValidationException,
      // Today's DynamoDB (paritysuite/dynamodb-conformance tier3 batchGetItem, eu-west-2 and all but one region).
      "1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('reports table-name keys and Keys constraints together', async () => {
    await expectError(
      get({ RequestItems: { a: {} }, ReturnConsumedCapacity: 'hi' }),
      ValidationException,
      new RegExp(
        `^3 validation errors detected: Value '\\{.+\\}' at 'requestItems' ${MAP_KEYS}; Value null at 'requestItems.a.member.keys' failed to satisfy constraint: Member must not be null; ` +
          "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: \\[INDEXES, TOTAL, NONE\\]$",
      ),
    );
    await expectError(
      get({ RequestItems: { a: { Keys: [] } } }),
      ValidationException,
      new RegExp(
        `^2 validation errors detected: Value '\\{.+\\}' at 'requestItems' ${MAP_KEYS}; ` +
          "Value at 'RequestItems.a.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1$",
      ),
    );
    await expectError(get({ RequestItems: { 'aa;': { Keys: [{ a: { S: 'a' } }] } } }), ValidationException, new RegExp(`^1 validation error detected: Value '\\{.+\\}' at 'requestItems' ${MAP_KEYS}$`));
  });

  it('limits keys to 100 per table and in total', async () => {
    const many = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ a: { S: String(from + i) } }));
    await expectError(
      get({ RequestItems: { abc: { Keys: many(101) } } }),
      ValidationException,
      // Today's DynamoDB prints no value and capitalises the path (nubo-db/dynamodb-conformance; docs/FIDELITY.md).
      "1 validation error detected: Value at 'RequestItems.abc.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100",
    );
    await expectError(get({ RequestItems: { abc: { Keys: many(100) }, abd: { Keys: many(1, 100) } } }), ValidationException, 'Too many items requested for the BatchGetItem call');
    await expectError(get({ RequestItems: { abc: { Keys: many(100) } } }), ResourceNotFoundException, NOT_FOUND);
  });

  it('rejects duplicate keys, before looking up the table', async () => {
    const key = { a: { S: 'x' } };
    await expectError(get({ RequestItems: { hash: { Keys: [key, key, key] } } }), ValidationException, DUPLICATES);
    await expectError(get({ RequestItems: { hash: { Keys: [key, { a: { S: 'y' } }, key] } } }), ValidationException, DUPLICATES);
    await expectError(get({ RequestItems: { nope: { Keys: [{ a: { N: '1' } }, { a: { N: '1.0' } }] } } }), ValidationException, DUPLICATES);
    // the same attributes in another order are the same key
    await expectError(
      get({ RequestItems: { range: { Keys: [{ a: { S: '1' }, b: { S: '2' } }, { b: { S: '2' }, a: { S: '1' } }] } } }),
      ValidationException,
      DUPLICATES,
    );
  });

  it('checks AttributeValues and AttributesToGet before the table', async () => {
    await expectError(get({ RequestItems: { abc: { Keys: [{ a: {} }] } } }), ValidationException, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    await expectError(get({ RequestItems: { abc: { Keys: [{ a: { NS: ['1', '1'] } }] } } }), ValidationException, 'Input collection contains duplicates');
    await expectError(get({ RequestItems: { abc: { Keys: [{ a: { N: 'b' } }] } } }), ValidationException, 'The parameter cannot be converted to a numeric value: b');
    await expectError(
      get({ RequestItems: { abc: { Keys: [{}], AttributesToGet: ['a', 'a'] } } }),
      ValidationException,
      'One or more parameter values were invalid: Duplicate value in attribute name: a',
    );
    await expectError(
      get({ RequestItems: { abc: { Keys: [{}], AttributesToGet: ['a'], ProjectionExpression: 'a' } } }),
      ValidationException,
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
    await expectError(get({ RequestItems: { abc: { Keys: [{}] } } }), ResourceNotFoundException, NOT_FOUND);
  });

  it('checks keys against the schema after the lookup', async () => {
    for (const key of [{}, { b: { S: 'a' } }, { a: { S: 'a' }, b: { S: 'a' } }, { a: { N: '1' } }, { a: { SS: ['a'] } }]) {
      await expectError(get({ RequestItems: { hash: { Keys: [key] } } }), ValidationException, SCHEMA);
    }
    await expectError(get({ RequestItems: { range: { Keys: [{ a: { S: 'a' } }] } } }), ValidationException, SCHEMA);
    await expectError(
      get({ RequestItems: { hash: { Keys: [{ a: { S: 'x'.repeat(2049) } }] } } }),
      ValidationException,
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    );
    await expectError(
      get({ RequestItems: { range: { Keys: [{ a: { S: 'a' }, b: { S: 'x'.repeat(1025) } }] } } }),
      ValidationException,
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    );
  });

  it('reports wrong JSON types as SerializationException', async () => {
    await expectError(get({ RequestItems: { abc: { Keys: [{ a: { S: 'a' } }], ConsistentRead: 'yes' } } }), SerializationException, 'Unexpected token received from parser');
    await expectError(get({ RequestItems: { abc: { Keys: 'x' } } }), SerializationException, 'Unexpected field type');
  });
});

describe('BatchWriteItem validation', () => {
  it('reports a missing or empty RequestItems and bad enums', async () => {
    await expectError(write({}), ValidationException, "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null");
    await expectError(
      write({ ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi' }),
      ValidationException,
      "3 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
        "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]; " +
        "Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
    );
    await expectError(
      write({ RequestItems: {} }),
      ValidationException,
      // Today's DynamoDB (nubo-db/dynamodb-conformance; docs/FIDELITY.md), not dynalite's Coral "Value '{}' … length greater than or equal to 1".
      'The requestItems parameter is required for BatchWriteItem',
    );
  });

  it('reports table-name keys, list lengths and missing Item/Key together', async () => {
    await expectError(
      write({ RequestItems: { a: [] } }),
      ValidationException,
      new RegExp(`^2 validation errors detected: Value '\\{.+\\}' at 'requestItems' ${MAP_KEYS}; Value '\\{.+\\}' at 'requestItems' ${MAP_VALUES}$`),
    );
    await expectError(
      write({ RequestItems: { 'aa;': [{ PutRequest: {}, DeleteRequest: {} }] }, ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi' }),
      ValidationException,
      new RegExp(
        // A failed enum leaves the table names unchecked (validation-ordering batchOperations).
        '^4 validation errors detected: ' +
          "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: \\[INDEXES, TOTAL, NONE\\]; " +
          "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: \\[SIZE, NONE\\]; " +
          "Value null at 'requestItems.aa;.member.1.member.deleteRequest.key' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'requestItems.aa;.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null$",
      ),
    );
  });

  it('limits requests to 25 per table and in total', async () => {
    const requests = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => (i % 2 ? { DeleteRequest: { Key: { a: { S: String(from + i) } } } } : { PutRequest: { Item: { a: { S: String(from + i) } } } }));
    await expectError(write({ RequestItems: { abc: requests(26) } }), ValidationException, new RegExp(`^1 validation error detected: Value '\\{.+\\}' at 'requestItems' ${MAP_VALUES}$`));
    await expectError(write({ RequestItems: { abc: requests(25) } }), ResourceNotFoundException, NOT_FOUND);
    await expectError(write({ RequestItems: { abc: requests(20), abd: requests(6, 20) } }), ValidationException, 'Too many items requested for the BatchWriteItem call');
  });

  it('rejects an empty WriteRequest and bad AttributeValues before the table', async () => {
    await expectError(
      write({ RequestItems: { abc: [{}] } }),
      ValidationException,
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
    await expectError(write({ RequestItems: { abc: [{ PutRequest: { Item: { a: {} } } }] } }), ValidationException, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    await expectError(
      write({ RequestItems: { abc: [{ PutRequest: { Item: { a: { SS: ['a', 'a'] } } } }] } }),
      ValidationException,
      'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    );
    await expectError(write({ RequestItems: { abc: [{ DeleteRequest: { Key: { a: { N: '1e126' } } } }] } }), ValidationException, 'Number overflow. Attempting to store a number with magnitude larger than supported range');
    const keyStr = 'k';
    await expectError(
      write({ RequestItems: { abc: [{ PutRequest: { Item: { a: { S: keyStr }, b: { S: 'a'.repeat(409600 - keyStr.length - 1 - 1 + 1) } } } }] } }),
      ValidationException,
      'Item size has exceeded the maximum allowed size',
    );
    await expectError(
      write({ RequestItems: { abc: [{ PutRequest: { Item: { a: { S: keyStr }, b: { S: 'a'.repeat(409600 - keyStr.length - 1 - 1) } } } }] } }),
      ResourceNotFoundException,
      NOT_FOUND,
    );
    await expectError(write({ RequestItems: { abc: [{ PutRequest: { Item: {} } }] } }), ResourceNotFoundException, NOT_FOUND);
  });

  it('checks items and keys against the schema and index keys after the lookup', async () => {
    for (const item of [{}, { b: { S: 'a' } }, { a: { N: '1' } }, { a: { B: new Uint8Array([1]) } }, { a: { NS: ['1'] } }]) {
      await expectError(write({ RequestItems: { hash: [{ PutRequest: { Item: item } }] } }), ValidationException, SCHEMA);
    }
    await expectError(write({ RequestItems: { range: [{ PutRequest: { Item: { a: { S: 'a' } } } }] } }), ValidationException, SCHEMA);
    await expectError(
      write({ RequestItems: { range: [{ PutRequest: { Item: { a: { S: 'a' }, b: { S: 'a' }, c: { N: '1' } } } }] } }),
      ValidationException,
      'One or more parameter values were invalid: Type mismatch for Index Key c Expected: S Actual: N IndexName: index4',
    );
    await expectError(
      write({ RequestItems: { hash: [{ PutRequest: { Item: { a: { S: 'x'.repeat(2049) } } } }] } }),
      ValidationException,
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    );
    await expectError(
      write({ RequestItems: { range: [{ PutRequest: { Item: { a: { S: 'a' }, b: { S: 'x'.repeat(1025) } } } }] } }),
      ValidationException,
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    );
  });

  it('rejects two writes of one item, whichever comes first, and changes nothing', async () => {
    const item = { a: { S: 'dup' }, c: { S: 'c' } };
    await expectError(write({ RequestItems: { hash: [{ PutRequest: { Item: item } }, { DeleteRequest: { Key: { a: item.a } } }] } }), ValidationException, DUPLICATES);
    await expectError(write({ RequestItems: { hash: [{ DeleteRequest: { Key: { a: item.a } } }, { PutRequest: { Item: item } }] } }), ValidationException, DUPLICATES);
    await expectError(
      write({ RequestItems: { hash: [{ PutRequest: { Item: { a: { S: 'first' } } } }], range: [{ PutRequest: { Item: { a: { S: 'a' } } } }] } }),
      ValidationException,
      SCHEMA,
    );
    expect((await db.getItem({ TableName: 'hash', Key: { a: { S: 'first' } } })).Item).toBeUndefined();
    expect((await db.scan({ TableName: 'hash' })).Count).toBe(0);
  });

  it('answers ResourceNotFoundException for a table being created', async () => {
    const slow = new Database({ tableTransitionMs: 60_000 });
    await slow.createTable({ TableName: 'new', KeySchema: keys('a'), AttributeDefinitions: attributes({ a: 'S' }), BillingMode: 'PAY_PER_REQUEST' });
    await expectError(slow.batchWriteItem({ RequestItems: { new: [{ PutRequest: { Item: { a: { S: 'a' } } } }] } }), ResourceNotFoundException, NOT_FOUND);
    await expectError(slow.batchGetItem({ RequestItems: { new: { Keys: [{ a: { S: 'a' } }] } } }), ResourceNotFoundException, NOT_FOUND);
  });
});
