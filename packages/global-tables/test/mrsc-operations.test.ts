import { BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemsOf } from './support/regions.js';
import { createStrong, EU, refusal, setup, US, WITNESS } from './support/mrsc.js';

const item = (id: string, extra: Record<string, { S: string }> = {}) => ({ id: { S: id }, ...extra });
const ids = (items: ReadonlyArray<Record<string, unknown>> | undefined) => (items ?? []).map((i) => (i.id as { S: string }).S).sort();

describe('global tables › multi-Region strong consistency › Query, Scan, batches and timeouts', () => {
  it('a strongly consistent Query or Scan in one replica sees the latest writes and deletes made in the other, even with their link cut', async () => {
    const s = setup();
    await createStrong(s);
    s.network.link(US, EU).partition();
    await s.settle(s.usClient.send(new PutItemCommand({ TableName: 'users', Item: item('a', { v: { S: '1' } }) })));
    await s.settle(s.usClient.send(new PutItemCommand({ TableName: 'users', Item: item('b') })));
    // Eventually consistent reads in us-east-2 stay local: nothing has arrived there.
    expect((await s.euClient.send(new ScanCommand({ TableName: 'users' }))).Items).toEqual([]);
    const scan = await s.settle(s.euClient.send(new ScanCommand({ TableName: 'users', ConsistentRead: true })));
    expect(ids(scan.Items)).toEqual(['a', 'b']);
    // A delete in us-east-1 reaches a strongly consistent Scan in us-east-2 through the witness too.
    await s.settle(s.usClient.send(new BatchWriteItemCommand({ RequestItems: { users: [{ DeleteRequest: { Key: { id: { S: 'b' } } } }, { PutRequest: { Item: item('a', { v: { S: '2' } }) } }] } })));
    const query = await s.settle(s.euClient.send(new QueryCommand({ TableName: 'users', KeyConditionExpression: 'id = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, ConsistentRead: true })));
    expect(query.Items).toEqual([item('a', { v: { S: '2' } })]);
    expect(ids((await s.settle(s.euClient.send(new ScanCommand({ TableName: 'users', ConsistentRead: true })))).Items)).toEqual(['a']);
    s.network.link(US, EU).heal();
    await s.drain();
    expect(await itemsOf(s.eu.db, 'users')).toEqual(await itemsOf(s.us.db, 'users'));
  });

  it('BatchWriteItem answers once a majority holds every item; BatchGetItem with ConsistentRead reads them from the other replica', async () => {
    const s = setup();
    await createStrong(s);
    s.network.link(US, EU).partition();
    await s.settle(s.usClient.send(new BatchWriteItemCommand({ RequestItems: { users: ['p', 'q', 'r'].map((id) => ({ PutRequest: { Item: item(id) } })) } })));
    const keys = ['p', 'q', 'r', 'none'].map((id) => ({ id: { S: id } }));
    expect((await s.euClient.send(new BatchGetItemCommand({ RequestItems: { users: { Keys: keys } } }))).Responses!.users).toEqual([]);
    const strong = await s.settle(s.euClient.send(new BatchGetItemCommand({ RequestItems: { users: { Keys: keys, ConsistentRead: true } } })));
    expect(ids(strong.Responses!.users)).toEqual(['p', 'q', 'r']);
  });

  it('BatchWriteItem fails whole with ReplicatedWriteConflictException when one of its items is being written in another region', async () => {
    const s = setup();
    await createStrong(s);
    const batch = s.usClient.send(new BatchWriteItemCommand({ RequestItems: { users: [{ PutRequest: { Item: item('x', { by: { S: 'us' } }) } }, { PutRequest: { Item: item('y') } }] } }));
    const put = s.euClient.send(new PutItemCommand({ TableName: 'users', Item: item('x', { by: { S: 'eu' } }) }));
    const [fromBatch, fromPut] = await s.settle(Promise.allSettled([batch, put]));
    const outcomes = [fromBatch, fromPut].map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as Error).name));
    expect([...outcomes].sort()).toEqual(['ReplicatedWriteConflictException', 'ok']);
    await s.drain();
    const expected = outcomes[0] === 'ok' ? [item('x', { by: { S: 'us' } }), item('y')] : [item('x', { by: { S: 'eu' } })];
    expect(await itemsOf(s.us.db, 'users')).toEqual(expected);
    expect(await itemsOf(s.eu.db, 'users')).toEqual(expected);
  });

  it('a write no other region acknowledges in time fails with InternalServerError and is undone everywhere: it never applies later', async () => {
    const s = setup();
    await createStrong(s);
    s.network.link(US, EU).partition();
    await s.settle(s.usClient.send(new PutItemCommand({ TableName: 'users', Item: item('k', { v: { S: 'old' } }) })));
    const write = s.usClient.send(new PutItemCommand({ TableName: 'users', Item: item('k', { v: { S: 'new' } }) }));
    // The witness grants the write (30 ms there, 30 back) and us-east-1 applies it; then the link to the
    // witness goes down before the replicated write arrives there.
    const inUs = async () => (await s.us.db.getItem({ TableName: 'users', Key: { id: { S: 'k' } } })).Item;
    for (let i = 0; i < 20 && JSON.stringify(await inUs()) !== JSON.stringify(item('k', { v: { S: 'new' } })); i++) await s.clock.advance(10);
    expect(await inUs()).toEqual(item('k', { v: { S: 'new' } }));
    s.network.link(US, WITNESS).partition();
    const refused = await refusal(s.settle(write));
    expect(refused).toEqual({ name: 'InternalServerError', message: 'The write could not reach a majority of the Regions of this multi-Region strongly consistent global table' });
    expect((await s.us.db.getItem({ TableName: 'users', Key: { id: { S: 'k' } } })).Item).toEqual(item('k', { v: { S: 'old' } }));
    s.network.link(US, WITNESS).heal();
    s.network.link(US, EU).heal();
    await s.drain();
    for (const region of [s.us, s.eu]) expect(await itemsOf(region.db, 'users')).toEqual([item('k', { v: { S: 'old' } })]);
    const { Item } = await s.settle(s.euClient.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'k' } }, ConsistentRead: true })));
    expect(Item).toEqual(item('k', { v: { S: 'old' } }));
  });
});
