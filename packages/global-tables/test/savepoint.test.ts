import { describe, expect, it } from 'vitest';
import { globalTableDefinition, itemsOf, regions } from './support/regions.js';

async function twoRegions() {
  const setup = regions(['us-east-1', 'eu-west-1'], { latencyMs: 50 });
  const [us, eu] = setup.regions as [(typeof setup.regions)[0], (typeof setup.regions)[0]];
  await us.db.createTable(globalTableDefinition());
  await us.db.putItem({ TableName: 'users', Item: { id: { S: 'fixture' } } });
  await us.db.updateTable({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] } as never);
  await setup.drain();
  return { ...setup, us, eu };
}

const ids = async (db: Parameters<typeof itemsOf>[0]) => (await itemsOf(db, 'users')).map((item) => (item.id as { S: string }).S);

describe('global tables › Database.rollback', () => {
  it('a rollback is local to its region: what other regions received stays there, and replication goes on', async () => {
    const { us, eu, drain } = await twoRegions();
    const fixture = us.db.savepoint();
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'sent' } } });
    await drain();
    us.db.rollback(fixture);
    expect(await ids(us.db)).toEqual(['fixture']);
    expect(await ids(eu.db)).toEqual(['fixture', 'sent']);

    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'after' } } });
    // us-east-1 holds the version of the item as at the savepoint (none): a write from eu-west-1 applies there.
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'sent' }, v: { S: 'eu' } } });
    await drain();
    expect(await itemsOf(us.db, 'users')).toEqual(await itemsOf(eu.db, 'users'));
    expect(await ids(us.db)).toEqual(['after', 'fixture', 'sent']);
  });

  it('writes undone before they were sent are never sent; those already on the wire still land', async () => {
    const { us, eu, drain, clock } = await twoRegions();
    const fixtures = [us.db.savepoint(), eu.db.savepoint()] as const;
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'on-the-wire' } } });
    await clock.advance(10); // sent: it arrives 50 ms after it left
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'unsent' } } });
    us.db.rollback(fixtures[0]);
    eu.db.rollback(fixtures[1]);
    await drain();
    expect(await ids(eu.db)).toEqual(['fixture']);
    expect(await ids(us.db)).toEqual(['fixture', 'on-the-wire']);
    expect(us.replication.pendingCount + eu.replication.pendingCount).toBe(0);
  });

  it('puts item versions back: an older write held up by a partition still applies to an item whose newer write was undone', async () => {
    const { us, eu, drain, clock, network } = await twoRegions();
    const link = network.link('eu-west-1', 'us-east-1');
    link.partition();
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'k' }, v: { S: 'eu, earlier' } } });
    await clock.advance(10);
    const fixture = us.db.savepoint();
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'k' }, v: { S: 'us, later, undone' } } });
    us.db.rollback(fixture);
    link.heal();
    await drain();
    expect(await itemsOf(us.db, 'users')).toEqual(await itemsOf(eu.db, 'users'));
    expect((await us.db.getItem({ TableName: 'users', Key: { id: { S: 'k' } } })).Item).toEqual({ id: { S: 'k' }, v: { S: 'eu, earlier' } });
  });

  it('a savepoint serves again: writes after one rollback do not change the item versions the next puts back', async () => {
    const { us, eu, drain, clock, network } = await twoRegions();
    const link = network.link('eu-west-1', 'us-east-1');
    link.partition();
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'k' }, v: { S: 'eu, earlier' } } });
    await clock.advance(10);
    const fixture = us.db.savepoint();
    for (const round of [1, 2, 3]) {
      await us.db.putItem({ TableName: 'users', Item: { id: { S: 'k' }, v: { S: `us, later, undone ${round}` } } });
      await clock.advance(10);
      us.db.rollback(fixture);
    }
    link.heal();
    await drain();
    expect(await itemsOf(us.db, 'users')).toEqual(await itemsOf(eu.db, 'users'));
    expect((await us.db.getItem({ TableName: 'users', Key: { id: { S: 'k' } } })).Item).toEqual({ id: { S: 'k' }, v: { S: 'eu, earlier' } });
  });
});
