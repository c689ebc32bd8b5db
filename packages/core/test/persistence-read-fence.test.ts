/**
 * Strict durability's read fence, over a LogDevice whose appends and syncs complete only when the test
 * says so: a read, or a failed operation, of a table with a write still waiting for its fsync answers
 * only once that write is durable (DynamoDB never shows a write before it is durable), while a read of a
 * table with nothing pending answers at once. `batched` and `none` show writes at once, as they
 * acknowledge them.
 */
import { describe, expect, it } from 'vitest';
import { ConditionalCheckFailedException, Database, durableStorage, TransactionCanceledException } from '@magneto/core';
import { GatedDevice } from './support/gated-device.js';
import { attributes, keys } from './support/tables.js';

const table = (TableName: string) => ({
  TableName,
  KeySchema: keys('id'),
  AttributeDefinitions: attributes({ id: 'S' }),
  BillingMode: 'PAY_PER_REQUEST' as const,
});

async function openOn(device: GatedDevice, durability: 'strict' | 'batched' | 'none' = 'strict'): Promise<Database> {
  const db = new Database({ storage: durableStorage(device, { durability, syncIntervalMs: 1_000_000 }) });
  await db.createTable(table('things'));
  await db.createTable(table('other'));
  await db.putItem({ TableName: 'other', Item: { id: { S: 'o' }, n: { N: '1' } } });
  device.gated = true;
  return db;
}

/** Tracks whether a promise has settled, and how. */
function track<T>(promise: Promise<T>): { done: boolean; value?: T; error?: unknown } {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const pendingPut = { TableName: 'things', Item: { id: { S: 'a' }, n: { N: '7' } } };

/** Every read of `things` a client can make, each of which would show the pending item `a`. */
function readsOfThings(db: Database) {
  const Key = { id: { S: 'a' } };
  return {
    GetItem: track(db.getItem({ TableName: 'things', Key, ConsistentRead: true })),
    GetItemByArn: track(db.getItem({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/things', Key })),
    Query: track(db.query({ TableName: 'things', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } })),
    Scan: track(db.scan({ TableName: 'things' })),
    BatchGetItem: track(db.batchGetItem({ RequestItems: { other: { Keys: [{ id: { S: 'o' } }] }, things: { Keys: [Key] } } })),
    TransactGetItems: track(db.transactGetItems({ TransactItems: [{ Get: { TableName: 'things', Key } }] })),
    FailedConditionPutItem: track(
      db.putItem({ ...pendingPut, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
    ),
    FailedConditionUpdateItem: track(db.updateItem({ TableName: 'things', Key, UpdateExpression: 'SET n = :n', ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } })),
    CancelledTransactWriteItems: track(
      db.transactWriteItems({ TransactItems: [{ ConditionCheck: { TableName: 'things', Key, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } }] }),
    ),
    ListTables: track(db.listTables()),
  };
}

describe('strict durability: reads wait for the writes they could show', () => {
  it('a read or a failed operation of a table with a pending group commit answers only after its fsync', async () => {
    const device = new GatedDevice();
    const db = await openOn(device);
    const write = track(db.putItem(pendingPut));
    const reads = readsOfThings(db);
    await tick();
    for (const [name, read] of Object.entries(reads)) expect({ name, done: read.done }).toEqual({ name, done: false });
    await device.releaseAll(); // the append: written, not yet fsynced
    for (const [name, read] of Object.entries(reads)) expect({ name, done: read.done }).toEqual({ name, done: false });
    await device.releaseAll(); // the fsync
    expect(write.done).toBe(true);
    for (const [name, read] of Object.entries(reads)) expect({ name, done: read.done }).toEqual({ name, done: true });
    // Each answer is the state it saw when it ran, the pending write included.
    expect(reads.GetItem.value?.Item).toEqual(pendingPut.Item);
    expect(reads.GetItemByArn.value?.Item).toEqual(pendingPut.Item);
    expect(reads.Query.value?.Items).toEqual([pendingPut.Item]);
    expect(reads.Scan.value?.Items).toEqual([pendingPut.Item]);
    expect(reads.BatchGetItem.value?.Responses?.things).toEqual([pendingPut.Item]);
    expect(reads.TransactGetItems.value?.Responses).toEqual([{ Item: pendingPut.Item }]);
    expect(reads.FailedConditionPutItem.error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((reads.FailedConditionPutItem.error as ConditionalCheckFailedException).Item).toEqual(pendingPut.Item);
    expect(reads.FailedConditionUpdateItem.error).toBeInstanceOf(ConditionalCheckFailedException);
    expect(reads.CancelledTransactWriteItems.error).toBeInstanceOf(TransactionCanceledException);
    expect(reads.ListTables.value?.TableNames).toEqual(['other', 'things']);
    device.gated = false;
    await db.close();
  });

  it('a read of a table with nothing pending answers at once, while another table waits for its fsync', async () => {
    const device = new GatedDevice();
    const db = await openOn(device);
    const write = track(db.putItem(pendingPut));
    const other = track(db.getItem({ TableName: 'other', Key: { id: { S: 'o' } }, ConsistentRead: true }));
    const otherQuery = track(db.query({ TableName: 'other', KeyConditionExpression: 'id = :o', ExpressionAttributeValues: { ':o': { S: 'o' } } }));
    const otherBatch = track(db.batchGetItem({ RequestItems: { other: { Keys: [{ id: { S: 'o' } }] } } }));
    const missing = track(db.getItem({ TableName: 'nope', Key: { id: { S: 'o' } } }));
    await tick();
    expect(write.done).toBe(false);
    expect([other.done, otherQuery.done, otherBatch.done, missing.done]).toEqual([true, true, true, true]);
    expect(other.value?.Item).toEqual({ id: { S: 'o' }, n: { N: '1' } });
    device.gated = false;
    await device.releaseAll();
    await db.close();
  });

  it('a read waits for the sync of its table only, not for a later write of another table', async () => {
    const device = new GatedDevice();
    const db = await openOn(device);
    const first = track(db.putItem(pendingPut));
    await tick(); // its append is in flight: the next write goes to the next group commit
    const second = track(db.putItem({ TableName: 'other', Item: { id: { S: 'o' }, n: { N: '2' } } }));
    const read = track(db.getItem({ TableName: 'things', Key: { id: { S: 'a' } } }));
    const readOther = track(db.getItem({ TableName: 'other', Key: { id: { S: 'o' } } }));
    await device.releaseAll(); // the first append
    await device.releaseAll(); // the first fsync
    expect([first.done, read.done]).toEqual([true, true]);
    expect([second.done, readOther.done]).toEqual([false, false]);
    await device.releaseAll();
    await device.releaseAll();
    expect([second.done, readOther.done]).toEqual([true, true]);
    expect(readOther.value?.Item).toEqual({ id: { S: 'o' }, n: { N: '2' } });
    device.gated = false;
    await db.close();
  });

  it('a CreateTable waiting for its fsync is not shown by DescribeTable or ListTables before it', async () => {
    const device = new GatedDevice();
    const db = await openOn(device);
    const create = track(db.createTable(table('late')));
    const describe = track(db.describeTable({ TableName: 'late' }));
    const list = track(db.listTables());
    const other = track(db.describeTable({ TableName: 'other' }));
    await tick();
    expect([create.done, describe.done, list.done, other.done]).toEqual([false, false, false, true]);
    device.gated = false;
    await device.releaseAll();
    await tick();
    expect([create.done, describe.done, list.done]).toEqual([true, true, true]);
    await db.close();
  });
});

describe.each(['batched', 'none'] as const)('%s durability', (durability) => {
  it('shows a write at once, as it acknowledges it (a crash may lose what a reader saw)', async () => {
    const device = new GatedDevice();
    const db = await openOn(device, durability);
    const write = track(db.putItem(pendingPut));
    const read = track(db.getItem({ TableName: 'things', Key: { id: { S: 'a' } } }));
    await tick();
    expect([write.done, read.done]).toEqual([true, true]);
    expect(read.value?.Item).toEqual(pendingPut.Item);
    device.gated = false;
    await device.releaseAll();
    await db.close();
  });
});
