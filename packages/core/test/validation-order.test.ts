/**
 * Which error DynamoDB reports when a request has several problems: request parameters and AttributeValues
 * are checked before the table is looked up; the key schema, which needs the table, after it.
 */
import { describe, expect, it } from 'vitest';
import { Database, ResourceNotFoundException, ValidationException } from '../src/index.js';

async function database(): Promise<Database> {
  const db = new Database();
  await db.createTable({
    TableName: 'users',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return db;
}

const EMPTY_VALUE = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const RETURN_VALUES = 'ReturnValues can only be ALL_OLD or NONE';

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error('expected the request to fail');
  return { name: error.name, message: error.message };
}

describe('validation order', () => {
  it('PutItem › reports an invalid AttributeValue before an invalid ReturnValues', async () => {
    const db = await database();
    const item = { id: { S: 'a' }, bad: {} } as never;
    expect(await failure(db.putItem({ TableName: 'users', Item: item, ReturnValues: 'ALL_NEW' as never }))).toEqual({
      name: 'ValidationException',
      message: EMPTY_VALUE,
    });
  });

  it('PutItem › reports an invalid ReturnValues before a missing table', async () => {
    const db = await database();
    const request = db.putItem({ TableName: 'missing', Item: { id: { S: 'a' } }, ReturnValues: 'ALL_NEW' as never });
    await expect(request).rejects.toThrow(new ValidationException(RETURN_VALUES));
  });

  it('PutItem › reports a missing table before the key schema it cannot know', async () => {
    const db = await database();
    await expect(db.putItem({ TableName: 'missing', Item: { other: { S: 'a' } } })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('GetItem › reports an invalid key AttributeValue before a missing table', async () => {
    const db = await database();
    expect(await failure(db.getItem({ TableName: 'missing', Key: { id: {} as never } }))).toEqual({
      name: 'ValidationException',
      message: EMPTY_VALUE,
    });
  });

  it('GetItem › reports a missing table before a key that does not match the schema', async () => {
    const db = await database();
    expect(await failure(db.getItem({ TableName: 'missing', Key: { other: { S: 'x' } } }))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found',
    });
    expect(await failure(db.getItem({ TableName: 'users', Key: { other: { S: 'x' } } }))).toEqual({
      name: 'ValidationException',
      message: 'The provided key element does not match the schema',
    });
  });

  it('DeleteItem › reports an invalid key AttributeValue, then ReturnValues, then a missing table', async () => {
    const db = await database();
    expect(
      await failure(db.deleteItem({ TableName: 'missing', Key: { id: {} as never }, ReturnValues: 'ALL_NEW' as never })),
    ).toEqual({ name: 'ValidationException', message: EMPTY_VALUE });
    expect(
      await failure(db.deleteItem({ TableName: 'missing', Key: { id: { S: 'a' } }, ReturnValues: 'ALL_NEW' as never })),
    ).toEqual({ name: 'ValidationException', message: RETURN_VALUES });
  });
});
