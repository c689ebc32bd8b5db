import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { globalTableDefinition, itemsOf } from './support/regions.js';
import { client, createStrong, EU, refusal, setup, US, WITNESS } from './support/mrsc.js';

const item = (id: string, extra: Record<string, { S: string }> = {}) => ({ id: { S: id }, ...extra });

describe('global tables › multi-Region strong consistency (MultiRegionConsistency STRONG)', () => {
  it('two replicas and a witness: DescribeTable shows STRONG and the witness in both replica regions', async () => {
    const s = setup();
    const answer = await createStrong(s);
    expect(answer.TableDescription!.MultiRegionConsistency).toBe('STRONG');
    for (const c of [s.usClient, s.euClient]) {
      const { Table } = await c.send(new DescribeTableCommand({ TableName: 'users' }));
      expect(Table!.MultiRegionConsistency).toBe('STRONG');
      expect(Table!.GlobalTableWitnesses).toEqual([{ RegionName: WITNESS, WitnessStatus: 'ACTIVE' }]);
      expect(Table!.Replicas!.map((r) => r.RegionName)).toEqual([c === s.usClient ? EU : US]);
    }
    // The witness region has no table.
    expect((await s.witness.db.listTables({})).TableNames).toEqual([]);
  });

  it('a write is acknowledged once a majority holds it: a strongly consistent read in the other replica sees it even when their link is cut', async () => {
    const s = setup();
    await createStrong(s);
    s.network.link(US, EU).partition();
    await s.settle(s.usClient.send(new PutItemCommand({ TableName: 'users', Item: item('a', { v: { S: '1' } }) })));
    // An eventually consistent read in EU does not see it yet; a strongly consistent one does (via the witness).
    expect((await s.euClient.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'a' } } }))).Item).toBeUndefined();
    const { Item } = await s.settle(s.euClient.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'a' } }, ConsistentRead: true })));
    expect(Item).toEqual(item('a', { v: { S: '1' } }));
    // A conditional write in EU evaluates its condition against the latest item, written in US.
    const refused = await refusal(
      s.settle(s.euClient.send(new PutItemCommand({ TableName: 'users', Item: item('a', { v: { S: '2' } }), ConditionExpression: 'attribute_not_exists(id)' }))),
    );
    expect(refused.name).toBe('ConditionalCheckFailedException');
    s.network.link(US, EU).heal();
    await s.drain();
    expect(await itemsOf(s.us.db, 'users')).toEqual(await itemsOf(s.eu.db, 'users'));
  });

  it('concurrent writes to one item from two regions: one wins, the other fails with ReplicatedWriteConflictException and changes nothing', async () => {
    const s = setup();
    await createStrong(s);
    const fromUs = s.usClient.send(new PutItemCommand({ TableName: 'users', Item: item('a', { by: { S: 'us' } }) }));
    const fromEu = s.euClient.send(new PutItemCommand({ TableName: 'users', Item: item('a', { by: { S: 'eu' } }) }));
    const [us, eu] = await s.settle(Promise.allSettled([fromUs, fromEu]));
    const outcomes = [us, eu].map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as Error).name)).sort();
    expect(outcomes).toEqual(['ReplicatedWriteConflictException', 'ok']);
    const winner = us.status === 'fulfilled' ? 'us' : 'eu';
    await s.drain();
    expect(await itemsOf(s.us.db, 'users')).toEqual([item('a', { by: { S: winner } })]);
    expect(await itemsOf(s.eu.db, 'users')).toEqual([item('a', { by: { S: winner } })]);
  });

  it('a region cut off from both others cannot write: the write fails and nothing diverges', async () => {
    const s = setup();
    await createStrong(s);
    s.network.link(US, EU).partition();
    s.network.link(US, WITNESS).partition();
    const refused = await refusal(s.settle(s.usClient.send(new PutItemCommand({ TableName: 'users', Item: item('lost') }))));
    expect(refused.name).toBe('InternalServerError');
    expect(await itemsOf(s.us.db, 'users')).toEqual([]);
    // The majority side still writes.
    await s.settle(s.euClient.send(new PutItemCommand({ TableName: 'users', Item: item('kept') })));
    s.network.link(US, EU).heal();
    s.network.link(US, WITNESS).heal();
    await s.drain();
    expect(await itemsOf(s.us.db, 'users')).toEqual([item('kept')]);
  });

  it('three replicas (no witness): every region has the table, and a write in one is read strongly in another', async () => {
    const s = setup();
    await s.usClient.send(new CreateTableCommand(globalTableDefinition() as never));
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }, { Create: { RegionName: WITNESS } }], MultiRegionConsistency: 'STRONG' }));
    await s.drain();
    const third = client(s.witness);
    expect((await third.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.MultiRegionConsistency).toBe('STRONG');
    s.network.link(EU, WITNESS).partition();
    await s.settle(third.send(new PutItemCommand({ TableName: 'users', Item: item('c') })));
    // us-east-2 never heard of the write from us-west-2 (regions do not relay), but reads it through us-east-1.
    expect((await s.euClient.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'c' } } }))).Item).toBeUndefined();
    expect((await s.settle(s.euClient.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: 'c' } }, ConsistentRead: true })))).Item).toEqual(item('c'));
  });

  it('refuses transactions and Time to Live on an MRSC table', async () => {
    const s = setup();
    await createStrong(s);
    const transaction = await refusal(s.usClient.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'users', Item: item('t') } }] })));
    expect(transaction.name).toBe('ValidationException');
    expect(transaction.message).toBe('Transactions are not supported on multi-Region strongly consistent (MRSC) global tables');
    const timeToLive = await refusal(s.usClient.send(new UpdateTimeToLiveCommand({ TableName: 'users', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })));
    expect(timeToLive.message).toBe('Time to Live is not supported on multi-Region strongly consistent (MRSC) global tables');
  });

  it('refuses what MRSC does not allow, before anything changes', async () => {
    const s = setup();
    await s.usClient.send(new CreateTableCommand(globalTableDefinition() as never));
    const update = (input: Record<string, unknown>) => refusal(s.usClient.send(new UpdateTableCommand({ TableName: 'users', ...input } as never)));
    expect(await update({ ReplicaUpdates: [{ Create: { RegionName: EU } }], MultiRegionConsistency: 'STRONG' })).toEqual({
      name: 'ValidationException',
      message: 'A multi-Region strongly consistent (MRSC) global table must have exactly three Regions: three replicas, or two replicas and one witness',
    });
    expect((await update({ ReplicaUpdates: [{ Create: { RegionName: EU } }], MultiRegionConsistency: 'SOMETIMES' })).message).toBe(
      "1 validation error detected: Value 'SOMETIMES' at 'multiRegionConsistency' failed to satisfy constraint: Member must satisfy enum value set: [EVENTUAL, STRONG]",
    );
    expect((await update({ ReplicaUpdates: [{ Create: { RegionName: EU } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: WITNESS } }] })).message).toBe(
      'GlobalTableWitnessUpdates can only be specified for a multi-Region strongly consistent (MRSC) global table',
    );
    await s.usClient.send(new PutItemCommand({ TableName: 'users', Item: item('a') }));
    expect((await update({ ReplicaUpdates: [{ Create: { RegionName: EU } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: WITNESS } }], MultiRegionConsistency: 'STRONG' })).message).toBe(
      'A table must be empty to become a multi-Region strongly consistent (MRSC) global table',
    );
    const { Table } = await s.usClient.send(new DescribeTableCommand({ TableName: 'users' }));
    expect(Table!.Replicas).toBeUndefined();
  });
});
