import { describe, expect, it } from 'vitest';
import { Database, faults, type DatabaseModule, type OperationRequest } from '@magneto/core';

/** An admission hook keeping, for each PutItem, the input it ran with and whether a hook replaced it. */
function observer(seen: Array<{ input: unknown; replaced: boolean }>): DatabaseModule {
  const keep = (request: OperationRequest): void => {
    if (request.operation === 'PutItem') seen.push({ input: request.input, replaced: request.receivedInput !== undefined });
  };
  return { name: 'observer', install: (ctx) => ctx.addAdmissionHook({ operationAnswered: keep, operationFailed: keep }) };
}

async function setup() {
  const chaos = faults();
  const seen: Array<{ input: unknown; replaced: boolean }> = [];
  const db = new Database({ modules: [chaos, observer(seen)] });
  await db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  return { db, chaos, seen };
}

describe('faults() › fail after the write', () => {
  it('runs the request as sent (not a copy): the write happens and the answer is the injected exception', async () => {
    const { db, chaos, seen } = await setup();
    chaos.add({ operation: 'PutItem', error: 'InternalServerError', afterWrite: true });
    const input = { TableName: 'orders', Item: { id: { S: 'a' } } };
    await expect(db.putItem(input)).rejects.toMatchObject({ name: 'InternalServerError' });
    expect((await db.getItem({ TableName: 'orders', Key: { id: { S: 'a' } } })).Item).toEqual({ id: { S: 'a' } });
    expect(seen).toEqual([{ input, replaced: false }]);
    expect(seen[0]!.input).toBe(input);
  });

  it('fails only the request it fired for: the same input object sent again is answered normally', async () => {
    const { db, chaos } = await setup();
    const rule = chaos.add({ operation: 'PutItem', error: 'InternalServerError', afterWrite: true });
    const input = { TableName: 'orders', Item: { id: { S: 'a' } } };
    await expect(db.putItem(input)).rejects.toMatchObject({ name: 'InternalServerError' });
    rule.remove();
    await expect(db.putItem(input)).resolves.toEqual({});
  });

  it('forgets a request whose operation failed by itself, so a retry of the same input object succeeds', async () => {
    const { db, chaos } = await setup();
    await db.putItem({ TableName: 'orders', Item: { id: { S: 'a' } } });
    const rule = chaos.add({ operation: 'PutItem', error: 'InternalServerError', afterWrite: true });
    const input = { TableName: 'orders', Item: { id: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(id)' };
    await expect(db.putItem(input)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    rule.remove();
    await db.deleteItem({ TableName: 'orders', Key: { id: { S: 'a' } } });
    await expect(db.putItem(input)).resolves.toEqual({});
  });
});
