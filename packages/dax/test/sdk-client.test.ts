import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ResourceNotFoundException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand as DocumentQueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dax } from '@magneto/dax';
import { describe, expect, it } from 'vitest';
import { freshAccelerator, user, userKey } from './support/fixture.js';
import { countingClient } from './support/sdk.js';

async function setup() {
  const { db, clock } = await freshAccelerator();
  const { client, sent } = countingClient(db);
  const cached = dax(client, { clock });
  return { db, clock, client, cached, sent, documents: DynamoDBDocumentClient.from(cached) };
}

describe('dax(client): an AWS SDK v3 DynamoDBClient behind the accelerator', () => {
  it('answers a repeated GetItem from the item cache without sending it, with the same output', async () => {
    const { cached, client, sent } = await setup();
    await client.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Ada') }));
    sent.length = 0;
    const miss = await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }));
    const hit = await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }));
    expect(sent).toEqual(['GetItem']);
    expect(hit.Item).toEqual(miss.Item);
    expect(hit.Item).toEqual(user('a', 'Ada'));
    expect(cached.stats()).toMatchObject({ ItemCacheHits: 1, ItemCacheMisses: 1 });
  });

  it('answers a hit alike through the middleware stack (a send with options) and before it (a plain send)', async () => {
    const { cached, sent } = await setup();
    await cached.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Ada') }));
    sent.length = 0;
    const early = await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }));
    const stacked = await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }), {});
    expect(stacked).toEqual(early);
    expect(early).toEqual({ Item: user('a', 'Ada'), $metadata: { attempts: 0, totalRetryDelay: 0 } });
    expect(sent).toEqual([]);
    expect(cached.stats()).toMatchObject({ ItemCacheHits: 2, GetItemRequestCount: 2, TotalRequestCount: 3 });
  });

  it('gives each caller its own copy: changing an answer does not change the cache', async () => {
    const { cached } = await setup();
    await cached.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Ada') }));
    const first = await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }));
    first.Item!.name = { S: 'changed' };
    const second = await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }));
    expect(second.Item).toEqual(user('a', 'Ada'));
  });

  it('leaves the target client uncached: a write through it is a write around the accelerator', async () => {
    const { cached, client } = await setup();
    await cached.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Ada') }));
    await client.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Bob') }));
    expect((await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }))).Item).toEqual(user('a', 'Ada'));
    expect((await client.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }))).Item).toEqual(user('a', 'Bob'));
  });

  it('writes an UpdateItem with no ReturnValues through and answers without Attributes, as the target would', async () => {
    const { cached, sent } = await setup();
    const output = await cached.send(
      new UpdateItemCommand({ TableName: 'users', Key: userKey('a'), UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'Ada' } } }),
    );
    expect(output.Attributes).toBeUndefined();
    sent.length = 0;
    expect((await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }))).Item).toEqual(user('a', 'Ada'));
    expect(sent).toEqual([]);
  });

  it("passes the target's errors through unchanged: the SDK's own exception class and DynamoDB's message", async () => {
    const { cached, client } = await setup();
    const direct = await client.send(new GetItemCommand({ TableName: 'missing', Key: userKey('a') })).catch((error: unknown) => error);
    const through = await cached.send(new GetItemCommand({ TableName: 'missing', Key: userKey('a') })).catch((error: unknown) => error);
    expect(through).toBeInstanceOf(ResourceNotFoundException);
    expect((through as Error).message).toBe((direct as Error).message);
    expect(cached.stats().ErrorRequestCount).toBe(1);
  });

  it('leaves the cache as it was when a write fails', async () => {
    const { cached, sent } = await setup();
    await cached.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Ada') }));
    const failed = cached.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Bob'), ConditionExpression: 'attribute_not_exists(id)' }));
    await expect(failed).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    sent.length = 0;
    expect((await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }))).Item).toEqual(user('a', 'Ada'));
    expect(sent).toEqual([]);
  });

  it('caches a Query result and answers it again without sending it', async () => {
    const { cached, sent } = await setup();
    await cached.send(new PutItemCommand({ TableName: 'docs', Item: { doc: { S: 'd' }, rev: { N: '1' } } }));
    const query = () => cached.send(new QueryCommand({ TableName: 'docs', KeyConditionExpression: 'doc = :d', ExpressionAttributeValues: { ':d': { S: 'd' } } }));
    const first = await query();
    sent.length = 0;
    const second = await query();
    expect(sent).toEqual([]);
    expect(second.Items).toEqual(first.Items);
    expect(second.Count).toBe(1);
  });

  it('a deleted item is a negative entry: GetItem answers no Item without sending', async () => {
    const { cached, sent } = await setup();
    await cached.send(new PutItemCommand({ TableName: 'users', Item: user('a', 'Ada') }));
    await cached.send(new DeleteItemCommand({ TableName: 'users', Key: userKey('a') }));
    sent.length = 0;
    expect((await cached.send(new GetItemCommand({ TableName: 'users', Key: userKey('a') }))).Item).toBeUndefined();
    expect(sent).toEqual([]);
  });
});

describe('DynamoDBDocumentClient.from(dax(client)): unchanged Document client code gets the caches', () => {
  it('answers Get from the cache in native JS values, hit and miss alike', async () => {
    const { documents, sent } = await setup();
    await documents.send(new PutCommand({ TableName: 'users', Item: { id: 'a', name: 'Ada', born: 1815, tags: new Set(['x']) } }));
    sent.length = 0;
    const miss = await documents.send(new GetCommand({ TableName: 'users', Key: { id: 'a' } }));
    const hit = await documents.send(new GetCommand({ TableName: 'users', Key: { id: 'a' } }));
    expect(miss.Item).toEqual({ id: 'a', name: 'Ada', born: 1815, tags: new Set(['x']) });
    expect(hit.Item).toEqual(miss.Item);
    expect(sent).toEqual([]);
  });

  it('writes an Update through and reads it back from the cache', async () => {
    const { documents, sent } = await setup();
    await documents.send(new UpdateCommand({ TableName: 'users', Key: { id: 'a' }, UpdateExpression: 'SET born = :b', ExpressionAttributeValues: { ':b': 1815 } }));
    sent.length = 0;
    expect((await documents.send(new GetCommand({ TableName: 'users', Key: { id: 'a' } }))).Item).toEqual({ id: 'a', born: 1815 });
    expect(sent).toEqual([]);
  });

  it('answers BatchGet and Query hits in native values', async () => {
    const { documents, sent } = await setup();
    await documents.send(new PutCommand({ TableName: 'users', Item: { id: 'a', name: 'Ada' } }));
    await documents.send(new PutCommand({ TableName: 'docs', Item: { doc: 'd', rev: 1, body: 'x' } }));
    sent.length = 0;
    const batch = await documents.send(new BatchGetCommand({ RequestItems: { users: { Keys: [{ id: 'a' }, { id: 'nobody' }] } } }));
    expect(batch.Responses?.users).toEqual([{ id: 'a', name: 'Ada' }]);
    expect(sent).toEqual(['BatchGetItem']);
    const again = await documents.send(new BatchGetCommand({ RequestItems: { users: { Keys: [{ id: 'a' }, { id: 'nobody' }] } } }));
    expect(again.Responses?.users).toEqual([{ id: 'a', name: 'Ada' }]);
    const query = () => documents.send(new DocumentQueryCommand({ TableName: 'docs', KeyConditionExpression: 'doc = :d', ExpressionAttributeValues: { ':d': 'd' } }));
    await query();
    expect((await query()).Items).toEqual([{ doc: 'd', rev: 1, body: 'x' }]);
    expect(sent).toEqual(['BatchGetItem', 'Query']);
  });
});
