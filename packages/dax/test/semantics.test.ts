import { ConditionalCheckFailedException, TransactionCanceledException, ValidationException } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { FIVE_MINUTES, freshAccelerator, MINUTE, user, userKey } from './support/fixture.js';

// One test per row of SEMANTICS.md. "Around" writes go to `db` itself, which the accelerator never sees.

const get = (id: string) => ({ TableName: 'users', Key: userKey(id) });
const queryDoc = (doc: string, extra: Record<string, unknown> = {}) => ({
  TableName: 'docs',
  KeyConditionExpression: 'doc = :d',
  ExpressionAttributeValues: { ':d': { S: doc } },
  ...extra,
});
const revision = (doc: string, rev: number, body = 'text') => ({ doc: { S: doc }, rev: { N: String(rev) }, body: { S: body } });

describe('SEMANTICS.md: each operation and what it does to each cache', () => {
  it('row 1: a GetItem with a live entry is answered from the item cache', async () => {
    const { db, cached } = await freshAccelerator();
    await db.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await cached.getItem(get('a'));
    await db.putItem({ TableName: 'users', Item: user('a', 'Bob') });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
    expect(cached.stats()).toMatchObject({ ItemCacheHits: 1, ItemCacheMisses: 1, GetItemRequestCount: 2 });
  });

  it('row 2: a GetItem with no entry is read from the target and stored', async () => {
    const { db, cached } = await freshAccelerator();
    await db.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
    expect(cached.stats()).toMatchObject({ ItemCacheMisses: 1, itemCache: { Entries: 1 } });
    expect(cached.stats().tables.users?.ItemCacheMisses).toBe(1);
  });

  it('row 3: a GetItem of a missing item stores a negative entry, answered until it expires', async () => {
    const { db, cached, clock } = await freshAccelerator();
    expect(await cached.getItem(get('a'))).toEqual({});
    await db.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    expect(await cached.getItem(get('a'))).toEqual({});
    expect(cached.stats().ItemCacheHits).toBe(1);
    await clock.advance(FIVE_MINUTES);
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
  });

  it('row 4: a projected GetItem has its own entry; another projection, or none, is a miss', async () => {
    const { db, cached } = await freshAccelerator();
    await db.putItem({ TableName: 'users', Item: user('a', 'Ada', { born: { N: '1815' } }) });
    const projected = { ...get('a'), ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'name' } };
    expect((await cached.getItem(projected)).Item).toEqual({ name: { S: 'Ada' } });
    expect((await cached.getItem(projected)).Item).toEqual({ name: { S: 'Ada' } });
    expect((await cached.getItem({ ...get('a'), AttributesToGet: ['born'] })).Item).toEqual({ born: { N: '1815' } });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada', { born: { N: '1815' } }));
    expect(cached.stats()).toMatchObject({ ItemCacheHits: 1, ItemCacheMisses: 3 });
  });

  it('row 5: a strongly consistent GetItem passes through, neither read from nor stored in the cache', async () => {
    const { db, cached } = await freshAccelerator();
    await cached.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await db.putItem({ TableName: 'users', Item: user('a', 'Bob') });
    expect((await cached.getItem({ ...get('a'), ConsistentRead: true })).Item).toEqual(user('a', 'Bob'));
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
    expect(cached.stats()).toMatchObject({ ItemCacheHits: 1, ItemCacheMisses: 0 });
  });

  it('row 6: BatchGetItem is one GetItem per key: hits answered, only misses sent', async () => {
    const { db, cached } = await freshAccelerator();
    await db.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await db.putItem({ TableName: 'users', Item: user('b', 'Bea') });
    await cached.getItem(get('a'));
    await db.putItem({ TableName: 'users', Item: user('a', 'Ann') });
    const output = await cached.batchGetItem({ RequestItems: { users: { Keys: [userKey('a'), userKey('b'), userKey('c')] } } });
    expect(new Set(output.Responses?.users)).toEqual(new Set([user('a', 'Ada'), user('b', 'Bea')]));
    expect(cached.stats()).toMatchObject({ ItemCacheHits: 1, ItemCacheMisses: 3 });
    // b and the missing c are now entries too (c negative): the same batch is answered without the target.
    await db.putItem({ TableName: 'users', Item: user('c', 'Cy') });
    const again = await cached.batchGetItem({ RequestItems: { users: { Keys: [userKey('a'), userKey('b'), userKey('c')] } } });
    expect(again).toEqual({ Responses: { users: expect.arrayContaining([user('a', 'Ada'), user('b', 'Bea')]) }, UnprocessedKeys: {} });
    expect(again.Responses?.users).toHaveLength(2);
    // A strongly consistent table is sent whole.
    const consistent = await cached.batchGetItem({ RequestItems: { users: { Keys: [userKey('a'), userKey('c')], ConsistentRead: true } } });
    expect(new Set(consistent.Responses?.users)).toEqual(new Set([user('a', 'Ann'), user('c', 'Cy')]));
    // A request the target refuses is sent, never answered from the cache: no tables, or a key twice.
    await expect(cached.batchGetItem({ RequestItems: {} })).rejects.toThrow(await db.batchGetItem({ RequestItems: {} }).catch((error: Error) => error.message));
    await expect(cached.batchGetItem({ RequestItems: { users: { Keys: [userKey('a'), userKey('a')] } } })).rejects.toThrow('Provided list of item keys contains duplicates');
  });

  it('row 7: an entry older than recordTtlMillis is a miss; 0 keeps entries until evicted', async () => {
    const { db, cached, clock } = await freshAccelerator({ recordTtlMillis: MINUTE });
    await cached.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await db.putItem({ TableName: 'users', Item: user('a', 'Bob') });
    await clock.advance(MINUTE - 1);
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
    await clock.advance(1);
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Bob'));

    const forever = await freshAccelerator({ recordTtlMillis: 0 });
    await forever.cached.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await forever.db.putItem({ TableName: 'users', Item: user('a', 'Bob') });
    await forever.clock.advance(365 * 24 * 60 * MINUTE);
    expect((await forever.cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
  });

  it('row 8: past the memory budget the least recently used entries are evicted, and EvictedSize counts them', async () => {
    const { db, cached } = await freshAccelerator({ itemCacheBytes: 600 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await cached.putItem({ TableName: 'users', Item: user(id, 'x'.repeat(50)) });
    const { itemCache } = cached.stats();
    expect(itemCache.EstimatedDbSize).toBeLessThanOrEqual(600);
    expect(itemCache.EvictedSize).toBeGreaterThan(0);
    expect(cached.stats().EvictedSize).toBe(itemCache.EvictedSize);
    // 'a' was least recently used: evicted, so the item written around it is read.
    await db.putItem({ TableName: 'users', Item: user('a', 'new') });
    await db.putItem({ TableName: 'users', Item: user('e', 'new') });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'new'));
    expect((await cached.getItem(get('e'))).Item).toEqual(user('e', 'x'.repeat(50)));
  });

  it('row 9: Query and Scan results are keyed by the whole request, ExclusiveStartKey and Limit included', async () => {
    const { db, cached } = await freshAccelerator();
    for (const rev of [1, 2, 3]) await db.putItem({ TableName: 'docs', Item: revision('d', rev) });
    const page1 = await cached.query(queryDoc('d', { Limit: 2 }));
    const page2 = await cached.query(queryDoc('d', { Limit: 2, ExclusiveStartKey: page1.LastEvaluatedKey }));
    await db.deleteItem({ TableName: 'docs', Key: { doc: { S: 'd' }, rev: { N: '1' } } });
    expect(await cached.query(queryDoc('d', { Limit: 2 }))).toEqual(page1);
    expect(await cached.query(queryDoc('d', { Limit: 2, ExclusiveStartKey: page1.LastEvaluatedKey }))).toEqual(page2);
    expect((await cached.query(queryDoc('d', { Limit: 3 }))).Count).toBe(2);
    await cached.scan({ TableName: 'docs' });
    const scanned = await cached.scan({ TableName: 'docs' });
    // Every hit hands out the same result, frozen as the Database's answers are.
    expect(Object.isFrozen(scanned.Items)).toBe(true);
    expect(cached.stats()).toMatchObject({ QueryCacheHits: 2, QueryCacheMisses: 3, ScanCacheHits: 1, ScanCacheMisses: 1 });
  });

  it('row 10: an empty Query result is cached too, until it expires', async () => {
    const { db, cached, clock } = await freshAccelerator();
    expect((await cached.query(queryDoc('d'))).Items).toEqual([]);
    await db.putItem({ TableName: 'docs', Item: revision('d', 1) });
    expect((await cached.query(queryDoc('d'))).Items).toEqual([]);
    await clock.advance(FIVE_MINUTES);
    expect((await cached.query(queryDoc('d'))).Items).toEqual([revision('d', 1)]);
  });

  it('row 11: Query and Scan results do not fill the item cache', async () => {
    const { db, cached } = await freshAccelerator();
    await db.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await cached.scan({ TableName: 'users' });
    expect(cached.stats().itemCache.Entries).toBe(0);
    await db.putItem({ TableName: 'users', Item: user('a', 'Bob') });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Bob'));
  });

  it('row 12: a strongly consistent Query passes through, neither read from nor stored in the query cache', async () => {
    const { db, cached } = await freshAccelerator();
    await cached.query(queryDoc('d'));
    await db.putItem({ TableName: 'docs', Item: revision('d', 1) });
    expect((await cached.query(queryDoc('d', { ConsistentRead: true }))).Count).toBe(1);
    expect((await cached.query(queryDoc('d'))).Count).toBe(0);
    expect(cached.stats()).toMatchObject({ QueryCacheHits: 1, QueryCacheMisses: 1 });
  });

  it('row 13: a result older than queryTtlMillis is a miss; 0 turns the query cache off', async () => {
    const { db, cached, clock } = await freshAccelerator({ queryTtlMillis: MINUTE });
    await cached.query(queryDoc('d'));
    await db.putItem({ TableName: 'docs', Item: revision('d', 1) });
    await clock.advance(MINUTE - 1);
    expect((await cached.query(queryDoc('d'))).Count).toBe(0);
    await clock.advance(1);
    expect((await cached.query(queryDoc('d'))).Count).toBe(1);

    const off = await freshAccelerator({ queryTtlMillis: 0 });
    await off.cached.query(queryDoc('d'));
    await off.db.putItem({ TableName: 'docs', Item: revision('d', 1) });
    expect((await off.cached.query(queryDoc('d'))).Count).toBe(1);
    expect(off.cached.stats().queryCache.Entries).toBe(0);
  });

  it('row 14: PutItem through stores the item as DynamoDB returns it, with a fresh TTL, drops projections, leaves the query cache', async () => {
    const { db, cached, clock } = await freshAccelerator();
    await cached.getItem({ ...get('a'), ProjectionExpression: 'born' });
    await cached.query(queryDoc('d'));
    await clock.advance(FIVE_MINUTES - 1);
    await cached.putItem({ TableName: 'users', Item: user('a', 'Ada', { born: { N: '+01815.00' } }) });
    await cached.putItem({ TableName: 'docs', Item: revision('d', 1) });
    await db.putItem({ TableName: 'users', Item: user('a', 'Bob') });
    expect((await cached.query(queryDoc('d'))).Count).toBe(0);
    await clock.advance(FIVE_MINUTES - 1);
    // Written through at FIVE_MINUTES - 1: still fresh, and the number as the table returns it.
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada', { born: { N: '1815' } }));
    // The projected entry was dropped: read from the table.
    expect((await cached.getItem({ ...get('a'), ProjectionExpression: 'born' })).Item).toEqual({});
  });

  it('row 15: UpdateItem through stores the whole new item, whatever ReturnValues asks', async () => {
    const { db, cached } = await freshAccelerator();
    await db.putItem({ TableName: 'users', Item: user('a', 'Ada', { visits: { N: '1' } }) });
    const increment = { TableName: 'users', Key: userKey('a'), UpdateExpression: 'ADD visits :one', ExpressionAttributeValues: { ':one': { N: '1' } } };
    // No ReturnValues: answered without Attributes, as the table answers it.
    expect(await cached.updateItem(increment)).toEqual({});
    await db.putItem({ TableName: 'users', Item: user('a', 'around') });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada', { visits: { N: '2' } }));
    expect((await cached.updateItem({ ...increment, ReturnValues: 'ALL_NEW' })).Attributes).toEqual(user('a', 'around', { visits: { N: '1' } }));
    await db.putItem({ TableName: 'users', Item: user('a', 'around again') });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'around', { visits: { N: '1' } }));
    // UPDATED_NEW: the new item is not known, so the entry is dropped and the next read fetches it.
    expect((await cached.updateItem({ ...increment, ReturnValues: 'UPDATED_NEW' })).Attributes).toEqual({ visits: { N: '1' } });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'around again', { visits: { N: '1' } }));
  });

  it('row 16: DeleteItem through leaves a negative entry', async () => {
    const { db, cached } = await freshAccelerator();
    await cached.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await cached.deleteItem({ TableName: 'users', Key: userKey('a') });
    await db.putItem({ TableName: 'users', Item: user('a', 'around') });
    expect(await cached.getItem(get('a'))).toEqual({});
    expect(cached.stats().ItemCacheHits).toBe(1);
  });

  it('row 17: BatchWriteItem through writes each processed put and delete through', async () => {
    const { db, cached } = await freshAccelerator();
    await cached.putItem({ TableName: 'users', Item: user('b', 'Bea') });
    await cached.batchWriteItem({
      RequestItems: {
        users: [{ PutRequest: { Item: user('a', 'Ada') } }, { DeleteRequest: { Key: userKey('b') } }],
        docs: [{ PutRequest: { Item: revision('d', 1) } }],
      },
    });
    await db.putItem({ TableName: 'users', Item: user('a', 'around') });
    await db.putItem({ TableName: 'users', Item: user('b', 'around') });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
    expect(await cached.getItem(get('b'))).toEqual({});
    expect((await cached.getItem({ TableName: 'docs', Key: { doc: { S: 'd' }, rev: { N: '1.0' } } })).Item).toEqual(revision('d', 1));
    expect(cached.stats()).toMatchObject({ ItemCacheHits: 3, ItemCacheMisses: 0 });
  });

  it('row 18: TransactWriteItems through re-reads every item it names into the item cache', async () => {
    const { db, cached } = await freshAccelerator();
    await db.putItem({ TableName: 'users', Item: user('c', 'Cy', { visits: { N: '1' } }) });
    await db.putItem({ TableName: 'users', Item: user('d', 'Di') });
    await cached.transactWriteItems({
      TransactItems: [
        { Put: { TableName: 'users', Item: user('a', 'Ada') } },
        { Update: { TableName: 'users', Key: userKey('c'), UpdateExpression: 'ADD visits :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
        { Delete: { TableName: 'users', Key: userKey('d') } },
        { ConditionCheck: { TableName: 'docs', Key: { doc: { S: 'x' }, rev: { N: '1' } }, ConditionExpression: 'attribute_not_exists(doc)' } },
      ],
    });
    for (const id of ['a', 'c', 'd']) await db.putItem({ TableName: 'users', Item: user(id, 'around') });
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
    expect((await cached.getItem(get('c'))).Item).toEqual(user('c', 'Cy', { visits: { N: '2' } }));
    expect(await cached.getItem(get('d'))).toEqual({});
    expect(await cached.getItem({ TableName: 'docs', Key: { doc: { S: 'x' }, rev: { N: '1' } } })).toEqual({});
    expect(cached.stats()).toMatchObject({ ItemCacheHits: 4, ItemCacheMisses: 0, TransactWriteItemsCount: 1 });
  });

  it('row 19: TransactGetItems passes through, neither read from nor stored in the cache', async () => {
    const { db, cached } = await freshAccelerator();
    await cached.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await db.putItem({ TableName: 'users', Item: user('a', 'Bob') });
    const output = await cached.transactGetItems({ TransactItems: [{ Get: get('a') }, { Get: get('b') }] });
    expect(output.Responses).toEqual([{ Item: user('a', 'Bob') }, {}]);
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
    expect(cached.stats()).toMatchObject({ TransactGetItemsCount: 1, ItemCacheHits: 1, ItemCacheMisses: 0, itemCache: { Entries: 1 } });
  });

  it('row 20: a write the target refuses leaves both caches as they were, and its error passes through unchanged', async () => {
    const { db, cached } = await freshAccelerator();
    await cached.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    const conditional = { TableName: 'users', Item: user('a', 'Bob'), ConditionExpression: 'attribute_not_exists(id)' };
    const direct = await db.putItem(conditional).catch((error: unknown) => error);
    await db.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    const through = await cached.putItem(conditional).catch((error: unknown) => error);
    expect(through).toBeInstanceOf(ConditionalCheckFailedException);
    expect(through).toEqual(direct);
    await expect(cached.updateItem({ TableName: 'users', Key: userKey('a'), UpdateExpression: 'SET #n = :n', ExpressionAttributeValues: { ':n': { S: 'x' } } })).rejects.toBeInstanceOf(ValidationException);
    await expect(
      cached.transactWriteItems({ TransactItems: [{ Put: { TableName: 'users', Item: user('a', 'Bob'), ConditionExpression: 'attribute_not_exists(id)' } }, { Delete: { TableName: 'users', Key: userKey('b') } }] }),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
    await expect(cached.batchWriteItem({ RequestItems: { users: [{ PutRequest: { Item: { name: { S: 'no key' } } } }] } })).rejects.toBeInstanceOf(ValidationException);
    await expect(cached.deleteItem({ TableName: 'users', Key: userKey('a'), ConditionExpression: 'attribute_not_exists(id)' })).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Ada'));
    expect(cached.stats()).toMatchObject({ ErrorRequestCount: 5, ItemCacheHits: 1 });
  });

  it('row 21: a write around the accelerator is not seen — the stale item is read until the TTL passes', async () => {
    const { db, cached, clock } = await freshAccelerator();
    await cached.putItem({ TableName: 'users', Item: user('a', 'Alice') });
    await db.updateItem({ TableName: 'users', Key: userKey('a'), UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'Bob' } } });
    for (let elapsed = 0; elapsed < FIVE_MINUTES; elapsed += MINUTE) {
      expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Alice'));
      expect((await db.getItem(get('a'))).Item).toEqual(user('a', 'Bob'));
      await clock.advance(MINUTE);
    }
    expect((await cached.getItem(get('a'))).Item).toEqual(user('a', 'Bob'));
  });

  it('row 22: a write through does not change a cached Query result (Query-Update-Query)', async () => {
    const { cached, clock } = await freshAccelerator();
    await cached.putItem({ TableName: 'docs', Item: revision('101', 5) });
    const query = queryDoc('101', { KeyConditionExpression: 'doc = :d AND rev >= :r', ExpressionAttributeValues: { ':d': { S: '101' }, ':r': { N: '5' } } });
    const before = await cached.query(query);
    await cached.putItem({ TableName: 'docs', Item: revision('101', 20) });
    expect(await cached.query(query)).toEqual(before);
    await clock.advance(FIVE_MINUTES);
    expect((await cached.query(query)).Count).toBe(2);
  });

  it('row 23: control-plane operations pass through to the target and leave the caches alone', async () => {
    const { cached } = await freshAccelerator();
    await cached.putItem({ TableName: 'users', Item: user('a', 'Ada') });
    await cached.createTable({
      TableName: 'more',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect((await cached.listTables()).TableNames).toEqual(['docs', 'more', 'users']);
    expect((await cached.describeTable({ TableName: 'more' })).Table?.TableStatus).toBe('ACTIVE');
    expect(cached.stats()).toMatchObject({ TotalRequestCount: 1, itemCache: { Entries: 1 } });
  });
});
