import { beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../database.js';
import { ConditionalCheckFailedException, ValidationException } from '../errors.js';
import type { Item } from '../model/attribute-value.js';
import type { ChangeRecord } from '../modules/change-record.js';
import type { UpdateItemInput } from './update-item.js';

/*
 * UpdateItem on a missing item (alternator test_update_item_non_existent, test_update_item_returnvalues_all_new,
 * test_nested_attribute_remove_from_missing_item, test_nested_attribute_update_bad_path_dot — all pass on
 * DynamoDB): an update whose actions only remove creates nothing; one with no action creates the key-only item.
 */

const TABLE = 'items';
const KEY: Item = { id: { S: 'k' } };

let db: Database;
let changes: ChangeRecord[];

beforeEach(async () => {
  changes = [];
  db = new Database({
    modules: [{ name: 'recorder', install: (context) => void context.onChange((batch) => changes.push(...batch.records)) }],
  });
  await db.createTable({
    TableName: TABLE,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
});

const update = (input: Omit<UpdateItemInput, 'TableName' | 'Key'>) => db.updateItem({ TableName: TABLE, Key: KEY, ...input });
/** Asserts the call rejects with exactly this exception class and message. */
async function expectRejected(call: Promise<unknown>, type: abstract new (...args: never[]) => Error, message: string): Promise<void> {
  const thrown: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(type);
  expect((thrown as Error).message).toBe(message);
}
const MSG_PATH = 'The document path provided in the update expression is invalid for update';
const stored = async () => (await db.getItem({ TableName: TABLE, Key: KEY, ConsistentRead: true })).Item;

describe('UpdateItem on a missing item', () => {
  it.each<[string, Omit<UpdateItemInput, 'TableName' | 'Key'>]>([
    ['REMOVE', { UpdateExpression: 'REMOVE b' }],
    ['REMOVE of two attributes', { UpdateExpression: 'REMOVE b, c' }],
    ['DELETE from a set', { UpdateExpression: 'DELETE s :v', ExpressionAttributeValues: { ':v': { SS: ['x'] } } }],
    ['REMOVE and DELETE', { UpdateExpression: 'REMOVE b DELETE s :v', ExpressionAttributeValues: { ':v': { NS: ['1'] } } }],
    ['REMOVE inside a missing map', { UpdateExpression: 'REMOVE x.y' }],
    ['REMOVE of an element of a missing list', { UpdateExpression: 'REMOVE x[0]' }],
    ['REMOVE deep inside missing containers', { UpdateExpression: 'REMOVE x[0].y, z.w[3]' }],
    ['AttributeUpdates DELETE', { AttributeUpdates: { a: { Action: 'DELETE' } } }],
    ['AttributeUpdates DELETE of set members', { AttributeUpdates: { a: { Action: 'DELETE', Value: { SS: ['x'] } } } }],
  ])('creates nothing, returns nothing, publishes nothing: %s', async (_, input) => {
    for (const ReturnValues of ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] as const) {
      expect(await update({ ...input, ReturnValues })).toEqual({});
    }
    expect(await stored()).toBeUndefined();
    expect(changes).toEqual([]);
  });

  it('still answers the capacity it is asked for', async () => {
    const output = await update({ UpdateExpression: 'REMOVE b', ReturnValues: 'ALL_NEW', ReturnConsumedCapacity: 'TOTAL' });
    expect(output).toEqual({ ConsumedCapacity: { TableName: TABLE, CapacityUnits: 1 } });
    expect(await stored()).toBeUndefined();
  });

  it('checks the condition first', async () => {
    await expectRejected(
      update({ UpdateExpression: 'REMOVE b', ConditionExpression: 'attribute_exists(id)' }),
      ConditionalCheckFailedException,
      'The conditional request failed',
    );
    expect(await update({ UpdateExpression: 'REMOVE b', ConditionExpression: 'attribute_not_exists(id)', ReturnValues: 'ALL_NEW' })).toEqual({});
    expect(await stored()).toBeUndefined();
  });

  it('creates the item when any action sets or adds, and checks every path against it', async () => {
    expect(await update({ UpdateExpression: 'REMOVE b ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'ALL_NEW' })).toEqual({
      Attributes: { id: { S: 'k' }, n: { N: '1' } },
    });
    await db.deleteItem({ TableName: TABLE, Key: KEY });
    changes.length = 0;
    await expectRejected(update({ UpdateExpression: 'SET a = :v REMOVE x.y', ExpressionAttributeValues: { ':v': { S: 'v' } } }), ValidationException, MSG_PATH);
    expect(await stored()).toBeUndefined();
    expect(await update({ AttributeUpdates: { a: { Action: 'DELETE' }, b: { Action: 'PUT', Value: { S: 'v' } } }, ReturnValues: 'ALL_NEW' })).toEqual({
      Attributes: { id: { S: 'k' }, b: { S: 'v' } },
    });
    expect(changes.map((c) => c.eventName)).toEqual(['INSERT']);
  });

  it('creates the key-only item for an update with no action (no UpdateExpression, or AttributeUpdates {})', async () => {
    expect(await update({ ReturnValues: 'ALL_NEW' })).toEqual({ Attributes: KEY });
    expect(await stored()).toEqual(KEY);
    await db.deleteItem({ TableName: TABLE, Key: KEY });
    expect(await update({ AttributeUpdates: {}, ReturnValues: 'ALL_NEW' })).toEqual({ Attributes: KEY });
    expect(await stored()).toEqual(KEY);
    expect(changes.map((c) => c.eventName)).toEqual(['INSERT', 'REMOVE', 'INSERT']);
  });
});

describe('UpdateItem removing from an existing item', () => {
  it('still rejects a REMOVE inside a missing attribute or a non-container (alternator test_nested_attribute_update_bad_path_dot/_array)', async () => {
    await db.putItem({ TableName: TABLE, Item: { ...KEY, a: { S: 'hello' }, b: { L: [{ S: 'hi' }] } } });
    for (const expression of ['REMOVE a.c', 'REMOVE b.c', 'REMOVE c.c', 'REMOVE a[0]', 'REMOVE c[0]']) {
      await expectRejected(update({ UpdateExpression: expression }), ValidationException, MSG_PATH);
    }
  });

  it('removes, and leaves a key-only item in place when everything else is removed', async () => {
    await db.putItem({ TableName: TABLE, Item: { ...KEY, a: { S: 'hello' } } });
    expect(await update({ UpdateExpression: 'REMOVE a', ReturnValues: 'ALL_NEW' })).toEqual({ Attributes: KEY });
    expect(await stored()).toEqual(KEY);
  });
});
