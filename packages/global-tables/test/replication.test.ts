import { describe, expect, it } from 'vitest';
import { globalTableDefinition, itemsOf, regions } from './support/regions.js';

async function twoRegions(latencyMs = 50) {
  const setup = regions(['us-east-1', 'eu-west-1'], { latencyMs });
  const [us, eu] = setup.regions as [(typeof setup.regions)[0], (typeof setup.regions)[0]];
  await us.db.createTable(globalTableDefinition());
  await us.db.putItem({ TableName: 'users', Item: { id: { S: 'before' }, n: { N: '1' } } });
  await us.db.updateTable({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] } as never);
  return { ...setup, us, eu };
}

describe('global tables › replication (MREC)', () => {
  it('UpdateTable ReplicaUpdates Create makes the replica CREATING, then ACTIVE with the existing items copied', async () => {
    const { us, eu, drain } = await twoRegions();
    const described = await us.db.describeTable({ TableName: 'users' });
    expect(described.Table!.GlobalTableVersion).toBe('2019.11.21');
    expect(described.Table!.Replicas).toEqual([{ RegionName: 'eu-west-1', ReplicaStatus: 'CREATING' }]);
    await drain();
    expect((await us.db.describeTable({ TableName: 'users' })).Table!.Replicas).toEqual([{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]);
    const replica = (await eu.db.describeTable({ TableName: 'users' })).Table!;
    expect(replica.Replicas).toEqual([{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);
    expect(replica.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(await itemsOf(eu.db, 'users')).toEqual([{ id: { S: 'before' }, n: { N: '1' } }]);
  });

  it('replicates writes both ways, after the link latency, without echoing them back', async () => {
    const { us, eu, drain, clock, network } = await twoRegions(50);
    await drain();
    const sentBefore = network.link('us-east-1', 'eu-west-1').stats.sent;
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'a' }, v: { S: 'us' } } });
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'b' }, v: { S: 'eu' } } });
    await clock.advance(10);
    expect((await eu.db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } })).Item).toBeUndefined();
    await clock.advance(50);
    expect((await eu.db.getItem({ TableName: 'users', Key: { id: { S: 'a' } } })).Item).toEqual({ id: { S: 'a' }, v: { S: 'us' } });
    expect((await us.db.getItem({ TableName: 'users', Key: { id: { S: 'b' } } })).Item).toEqual({ id: { S: 'b' }, v: { S: 'eu' } });
    await drain();
    // One batch each way and one acknowledgement each way: nothing bounced back.
    expect(network.link('us-east-1', 'eu-west-1').stats.sent - sentBefore).toBe(4);
    expect(await itemsOf(us.db, 'users')).toEqual(await itemsOf(eu.db, 'users'));
    expect(eu.replication.replicationLatency('us-east-1')).toMatchObject({ count: 1, last: 50 });
  });

  it('resolves concurrent writes to one item by last writer wins: the later timestamp, then the greater region name on a tie', async () => {
    const { us, eu, drain, clock, network } = await twoRegions();
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'gone' }, v: { S: 'first' } } });
    await drain();
    const link = network.link('us-east-1', 'eu-west-1');
    link.partition();
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'x' }, v: { S: 'eu-first' } } });
    await clock.advance(5);
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'x' }, v: { S: 'us-later' } } });
    // Same millisecond in both regions: us-east-1 > eu-west-1.
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'tie' }, v: { S: 'eu' } } });
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'tie' }, v: { S: 'us' } } });
    // A delete wins over an earlier write in another region, too.
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'gone' }, v: { S: 'us' } } });
    await clock.advance(5);
    await eu.db.deleteItem({ TableName: 'users', Key: { id: { S: 'gone' } } });
    await clock.advance(5000);
    link.heal();
    await drain();
    const expected = [
      { id: { S: 'before' }, n: { N: '1' } },
      { id: { S: 'tie' }, v: { S: 'us' } },
      { id: { S: 'x' }, v: { S: 'us-later' } },
    ];
    expect(await itemsOf(us.db, 'users')).toEqual(expected);
    expect(await itemsOf(eu.db, 'users')).toEqual(expected);
  });

  it('keeps tombstones: a late, older write cannot resurrect a deleted item', async () => {
    const { us, eu, drain, clock, network } = await twoRegions();
    await drain();
    const link = network.link('us-east-1', 'eu-west-1');
    link.partition();
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'z' }, v: { S: 'old' } } });
    await clock.advance(5);
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'z' }, v: { S: 'newer' } } });
    await eu.db.deleteItem({ TableName: 'users', Key: { id: { S: 'z' } } });
    await clock.advance(60_000);
    link.heal();
    await drain();
    expect((await us.db.getItem({ TableName: 'users', Key: { id: { S: 'z' } } })).Item).toBeUndefined();
    expect((await eu.db.getItem({ TableName: 'users', Key: { id: { S: 'z' } } })).Item).toBeUndefined();
  });

  it('survives dropped, duplicated and reordered messages', async () => {
    const { us, eu, drain, network } = await twoRegions();
    await drain();
    Object.assign(network.link('us-east-1', 'eu-west-1').faults, { drop: 0.3, duplicate: 0.3, reorder: 0.5 });
    for (let i = 0; i < 50; i++) {
      await us.db.putItem({ TableName: 'users', Item: { id: { S: `u${i}` }, n: { N: String(i) } } });
      await eu.db.putItem({ TableName: 'users', Item: { id: { S: `e${i}` }, n: { N: String(i) } } });
    }
    network.link('us-east-1', 'eu-west-1').faults = {};
    await drain();
    expect((await itemsOf(eu.db, 'users')).length).toBe(101);
    expect(await itemsOf(us.db, 'users')).toEqual(await itemsOf(eu.db, 'users'));
  });
});
