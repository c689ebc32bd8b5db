/**
 * Attribute names are 1 to 65,535 UTF-8 bytes (DynamoDB refuses 65,536, though its documentation says
 * "64 KB"): an empty name can never be referenced, and DynamoDB refuses it. The rule holds for an item's
 * attributes, map keys at any depth, Key members, AttributeUpdates names and ExpressionAttributeNames values; a refused request
 * changes nothing. Checked through `Database` methods and through the AWS SDK v3 client.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createRequestHandler, Database, type Item } from '../src/index.js';
import { MAX_ATTRIBUTE_NAME_BYTES } from '../src/model/validate-item.js';
import { expectSdkError } from './support/sdk.js';

const EMPTY = 'Empty attribute name';
const TOO_LARGE = 'Attribute name is too large, must be less than 65536 bytes';
const NAMES_INVALID = 'ExpressionAttributeNames contains invalid value: ';

/** A name of exactly `bytes` UTF-8 bytes, ASCII. */
const ascii = (bytes: number) => 'a'.repeat(bytes);
/** 21,845 × '€' (3 bytes, 1 UTF-16 unit) = 65,535 bytes: the largest name is only 21,845 units long. */
const EURO_MAX = '€'.repeat(MAX_ATTRIBUTE_NAME_BYTES / 3);
/** 16,383 × '😀' (4 bytes, 2 units) + 3 ASCII = 65,535 bytes in 32,769 units. */
const EMOJI_MAX = '😀'.repeat(16383) + 'abc';

const KEY = { id: { S: 'k' } };

async function table(): Promise<Database> {
  const db = new Database();
  await db.createTable({
    TableName: 'names',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return db;
}

/** Asserts `promise` rejects with a ValidationException carrying exactly `message`. */
async function expectValidation(promise: Promise<unknown>, message: string): Promise<void> {
  const error: unknown = await promise.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  expect((error as Error).name).toBe('ValidationException');
  expect((error as Error).message).toBe(message);
}

/** Every refused item, with DynamoDB's message. */
const REFUSED: Array<[string, Record<string, AttributeValue>, string]> = [
  ['an empty top-level name', { '': { S: 'x' } }, EMPTY],
  ['an empty map key', { m: { M: { '': { N: '1' } } } }, EMPTY],
  ['an empty map key nested in a list and a map', { l: { L: [{ M: { a: { M: { '': { NULL: true } } } } }] } }, EMPTY],
  ['a top-level name of 65,536 bytes', { [ascii(65536)]: { S: 'x' } }, TOO_LARGE],
  ['a map key of 65,536 bytes', { m: { M: { [ascii(65536)]: { S: 'x' } } } }, TOO_LARGE],
  ['a name of 65,536 bytes in 21,846 units', { ['€'.repeat(21845) + 'a']: { S: 'x' } }, TOO_LARGE],
  ['a name of 65,536 bytes in 32,770 units', { ['😀'.repeat(16383) + 'abcd']: { S: 'x' } }, TOO_LARGE],
];

/** Every accepted name at the boundary. */
const ACCEPTED: Array<[string, string]> = [
  ['65,535 ASCII bytes', ascii(65535)],
  ['65,535 bytes of 3-byte characters', EURO_MAX],
  ['65,535 bytes of 4-byte characters', EMOJI_MAX],
];

describe('Database › attribute names', () => {
  for (const [what, attributes, message] of REFUSED) {
    it(`PutItem throws ValidationException for ${what}, writing nothing`, async () => {
      const db = await table();
      await expectValidation(db.putItem({ TableName: 'names', Item: { ...KEY, ...attributes } }), message);
      expect((await db.getItem({ TableName: 'names', Key: KEY })).Item).toBeUndefined();
    });
  }

  it('PutItem throws ValidationException for an empty map key in the 31st, deepest, map', async () => {
    const db = await table();
    let value: Item[string] = { M: { '': { S: 'x' } } };
    for (let depth = 1; depth < 31; depth++) value = { M: { m: value } };
    await expectValidation(db.putItem({ TableName: 'names', Item: { ...KEY, m: value } }), EMPTY);
    await expectValidation(db.putItem({ TableName: 'names', Item: { ...KEY, m: { M: { m: value } } } }), 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit');
  });

  it('PutItem reports an invalid value before the empty name it is under', async () => {
    const db = await table();
    // { NULL: false } is no AttributeValue to the types: built as a client sending raw JSON would.
    const Item = JSON.parse('{"id":{"S":"k"},"":{"NULL":false}}') as Item;
    await expectValidation(db.putItem({ TableName: 'names', Item }), 'One or more parameter values were invalid: Null attribute value types must have the value of true');
  });

  for (const [what, name] of ACCEPTED) {
    it(`PutItem accepts a top-level name and a map key of ${what}`, async () => {
      const db = await table();
      await db.putItem({ TableName: 'names', Item: { ...KEY, [name]: { S: 'top' }, m: { M: { [name]: { S: 'nested' } } } } });
      const item = (await db.getItem({ TableName: 'names', Key: KEY })).Item!;
      expect(item[name]).toEqual({ S: 'top' });
      expect(item.m).toEqual({ M: { [name]: { S: 'nested' } } });
    });
  }

  it('GetItem throws ValidationException for a Key with an empty name', async () => {
    const db = await table();
    await expectValidation(db.getItem({ TableName: 'names', Key: { ...KEY, '': { S: 'x' } } }), EMPTY);
  });

  it('UpdateItem throws ValidationException for an ExpressionAttributeNames value of 65,536 bytes, writing nothing', async () => {
    const db = await table();
    await expectValidation(
      db.updateItem({
        TableName: 'names',
        Key: KEY,
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': ascii(65536) },
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      }),
      `${NAMES_INVALID}${TOO_LARGE} for key #n`,
    );
    expect((await db.getItem({ TableName: 'names', Key: KEY })).Item).toBeUndefined();
  });

  for (const [what, name, message] of [
    ['an empty', '', EMPTY],
    ['a 65,536-byte', ascii(65536), TOO_LARGE],
  ] as const) {
    it(`UpdateItem throws ValidationException for ${what} AttributeUpdates name, writing nothing`, async () => {
      const db = await table();
      await expectValidation(db.updateItem({ TableName: 'names', Key: KEY, AttributeUpdates: { [name]: { Action: 'PUT', Value: { S: 'x' } } } }), message);
      await expectValidation(db.updateItem({ TableName: 'names', Key: KEY, AttributeUpdates: { [name]: { Action: 'DELETE' } } }), message);
      expect((await db.getItem({ TableName: 'names', Key: KEY })).Item).toBeUndefined();
    });
  }

  it('UpdateItem accepts an AttributeUpdates name of 65,535 bytes', async () => {
    const db = await table();
    await db.updateItem({ TableName: 'names', Key: KEY, AttributeUpdates: { [EURO_MAX]: { Action: 'PUT', Value: { S: 'x' } } } });
    expect((await db.getItem({ TableName: 'names', Key: KEY })).Item![EURO_MAX]).toEqual({ S: 'x' });
  });

  it('GetItem throws ValidationException for a ProjectionExpression name of 65,536 bytes in 21,846 units', async () => {
    const db = await table();
    await expectValidation(
      db.getItem({ TableName: 'names', Key: KEY, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': '€'.repeat(21845) + 'a' } }),
      `${NAMES_INVALID}${TOO_LARGE} for key #n`,
    );
  });

  for (const [what, name] of ACCEPTED) {
    it(`UpdateItem accepts an ExpressionAttributeNames value of ${what}`, async () => {
      const db = await table();
      await db.updateItem({
        TableName: 'names',
        Key: KEY,
        UpdateExpression: 'SET #n = :v',
        ExpressionAttributeNames: { '#n': name },
        ExpressionAttributeValues: { ':v': { S: 'x' } },
      });
      expect((await db.getItem({ TableName: 'names', Key: KEY })).Item![name]).toEqual({ S: 'x' });
    });
  }
});

describe('AWS SDK v3 › attribute names', () => {
  async function client(): Promise<{ db: Database; sdk: DynamoDBClient }> {
    const db = await table();
    const sdk = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db) });
    return { db, sdk };
  }
  const validation = (message: string) => ({ name: 'ValidationException', message });

  for (const [what, attributes, message] of REFUSED) {
    it(`PutItem answers ValidationException for ${what}, writing nothing`, async () => {
      const { db, sdk } = await client();
      await expectSdkError(sdk.send(new PutItemCommand({ TableName: 'names', Item: { ...KEY, ...attributes } })), validation(message));
      expect((await db.getItem({ TableName: 'names', Key: KEY })).Item).toBeUndefined();
    });
  }

  it('PutItem accepts a name of 65,535 bytes and GetItem returns it', async () => {
    const { sdk } = await client();
    await sdk.send(new PutItemCommand({ TableName: 'names', Item: { ...KEY, [EMOJI_MAX]: { S: 'x' } } }));
    const { Item } = await sdk.send(new GetItemCommand({ TableName: 'names', Key: KEY }));
    expect(Item![EMOJI_MAX]).toEqual({ S: 'x' });
  });

  it('UpdateItem answers ValidationException for an ExpressionAttributeNames value of 65,536 bytes', async () => {
    const { db, sdk } = await client();
    await expectSdkError(
      sdk.send(
        new UpdateItemCommand({
          TableName: 'names',
          Key: KEY,
          UpdateExpression: 'SET #n = :v',
          ExpressionAttributeNames: { '#n': ascii(65536) },
          ExpressionAttributeValues: { ':v': { S: 'x' } },
        }),
      ),
      validation(`${NAMES_INVALID}${TOO_LARGE} for key #n`),
    );
    expect((await db.getItem({ TableName: 'names', Key: KEY })).Item).toBeUndefined();
  });

  it('GetItem answers ValidationException for a Key with an empty name', async () => {
    const { sdk } = await client();
    await expectSdkError(sdk.send(new GetItemCommand({ TableName: 'names', Key: { ...KEY, '': { S: 'x' } } })), validation(EMPTY));
  });
});
