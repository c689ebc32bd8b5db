import { afterEach, describe, expect, it, vi } from 'vitest';
import { Database, type ChangeBatch, type DatabaseModule } from '@magneto/core';

/** A module whose change-feed listener is `listener`. */
const listening = (name: string, listener: (batch: ChangeBatch) => unknown): DatabaseModule => ({
  name,
  install: (ctx) => {
    ctx.onChange(listener as (batch: ChangeBatch) => void);
  },
});

const failure = new Error('listener bug');
const failing = listening('failing', () => {
  throw failure;
});

async function usersTable(db: Database): Promise<void> {
  await db.createTable({
    TableName: 'users',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/** Lets queued microtasks and timers run, where an error rethrown from a listener would surface. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a change-feed listener that fails', () => {
  it('leaves the write committed and acknowledged, the other listeners fed, and reports through console.error', async () => {
    const seen: string[] = [];
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const db = new Database({ modules: [failing, listening('after', (batch) => seen.push(...batch.records.map((r) => r.eventName)))] });
    await usersTable(db);

    await expect(db.putItem({ TableName: 'users', Item: { id: { S: 'u1' } } })).resolves.toEqual({});
    await db.updateItem({ TableName: 'users', Key: { id: { S: 'u1' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } });
    await settle();

    expect((await db.getItem({ TableName: 'users', Key: { id: { S: 'u1' } } })).Item).toEqual({ id: { S: 'u1' }, n: { N: '1' } });
    expect(seen).toEqual(['INSERT', 'MODIFY']);
    expect(logged).toHaveBeenCalledTimes(2);
    expect(logged.mock.calls[0]![0]).toContain('the write is committed and acknowledged');
    expect(logged.mock.calls[0]![1]).toBe(failure);
  });

  it('goes to onChangeListenerError with the batch it failed on, for a thrown error and an async rejection', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const reported: Array<[unknown, ChangeBatch]> = [];
    const rejection = new Error('async listener bug');
    const rejecting = listening('rejecting', () => Promise.reject(rejection));
    const db = new Database({ modules: [failing, rejecting], onChangeListenerError: (error, batch) => reported.push([error, batch]) });
    await usersTable(db);

    await db.transactWriteItems({ TransactItems: [{ Put: { TableName: 'users', Item: { id: { S: 'a' } } } }, { Put: { TableName: 'users', Item: { id: { S: 'b' } } } }] });
    await settle();

    expect(reported.map(([error]) => error)).toEqual([failure, rejection]);
    expect(reported[0]![1].records.map((r) => r.keys)).toEqual([{ id: { S: 'a' } }, { id: { S: 'b' } }]);
    expect(logged).not.toHaveBeenCalled();
    expect((await db.scan({ TableName: 'users' })).Count).toBe(2);
  });

  it('does not fail the write when onChangeListenerError itself throws (console.error then)', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const db = new Database({
      modules: [failing],
      onChangeListenerError: () => {
        throw new Error('handler bug');
      },
    });
    await usersTable(db);

    await expect(db.deleteItem({ TableName: 'users', Key: { id: { S: 'none' } } })).resolves.toEqual({});
    await db.putItem({ TableName: 'users', Item: { id: { S: 'u2' } } });
    await settle();

    expect(logged).toHaveBeenCalledTimes(1);
    expect((logged.mock.calls[0]![1] as Error).message).toBe('handler bug');
  });
});
