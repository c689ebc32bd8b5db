import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, GetItemCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { Database, ManualClock } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { globalTables, InProcessNetwork } from '@magneto/global-tables';
import { streams } from '@magneto/streams';
import { afterEach, describe, expect, it } from 'vitest';
import { globalTableDefinition, type Region } from './support/regions.js';
import { client, EU, US, WITNESS } from './support/mrsc.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Two replicas in memory and a witness on durable storage, which the test restarts. */
async function durableWitness() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const network = new InProcessNetwork({ clock, latencyMs: 30 });
  const dir = mkdtempSync(join(tmpdir(), 'magneto-mrsc-'));
  dirs.push(dir);
  const open = async (name: string, durable = false): Promise<Region> => {
    const replication = globalTables({ transport: network, retransmitMs: 200 });
    const events = streams();
    const db = new Database({ region: name, clock, modules: [events, replication], ...(durable ? { storage: fileStorage(dir) } : {}) });
    await db.open();
    return { name, db, replication, streams: events };
  };
  const us = await open(US);
  const eu = await open(EU);
  let witness = await open(WITNESS, true);
  const settle = async <T,>(promise: Promise<T>): Promise<T> => {
    let done = false;
    const outcome = promise.then(
      (value) => ((done = true), { value }),
      (error: unknown) => ((done = true), { error }),
    );
    for (let i = 0; i < 1000 && !done; i++) await clock.advance(10);
    if (!done) throw new Error('no answer after 10 s of the clock');
    const result = await outcome;
    if ('error' in result) throw result.error;
    return result.value;
  };
  const usClient = client(us);
  const euClient = client(eu);
  await usClient.send(new CreateTableCommand(globalTableDefinition() as never));
  await usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }], GlobalTableWitnessUpdates: [{ Create: { RegionName: WITNESS } }], MultiRegionConsistency: 'STRONG' }));
  for (let i = 0; i < 100 && [us, eu, witness].some((r) => r.replication.pendingCount > 0); i++) await clock.advance(100);
  const restartWitness = async () => {
    witness.replication.close();
    await witness.db.close();
    witness = await open(WITNESS, true);
  };
  return { clock, network, us, eu, usClient, euClient, settle, restartWitness, checkpointWitness: () => witness.db.checkpoint() };
}

describe('global tables › multi-Region strong consistency › durable witness and item locks', () => {
  it('a restarted witness still holds every write it was sent (from its snapshot and its log): a strong read across a cut link finds them', async () => {
    const s = await durableWitness();
    s.network.link(US, EU).partition();
    await s.settle(s.usClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'a' } } })));
    await s.checkpointWitness();
    await s.settle(s.usClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'b' } } })));
    await s.restartWitness();
    // us-east-2 hears nothing from us-east-1: only the restarted witness can answer its strong reads.
    for (const id of ['a', 'b']) {
      const { Item } = await s.settle(s.euClient.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: id } }, ConsistentRead: true })));
      expect(Item).toEqual({ id: { S: id } });
    }
  });

  it('an item lock a region granted survives its restart: another region\'s write to that item still conflicts with it', async () => {
    const s = await durableWitness();
    s.network.link(US, EU).partition();
    const write = s.usClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'x' }, by: { S: 'us' } } }));
    // The witness receives us-east-1's prepare and locks the item for it; then us-east-1 is cut off from it too.
    for (let i = 0; i < 4; i++) await s.clock.advance(10);
    s.network.link(US, WITNESS).partition();
    await s.restartWitness();
    // us-east-2's write reaches only the witness, which still holds us-east-1's lock.
    const conflicting = s.euClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'x' }, by: { S: 'eu' } } }));
    const [fromUs, fromEu] = await s.settle(Promise.allSettled([write, conflicting]));
    expect([fromUs, fromEu].map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'ok'))).toEqual(['InternalServerError', 'ReplicatedWriteConflictException']);
    // Once it expired, the write goes through.
    await s.settle(s.euClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'x' }, by: { S: 'eu' } } })));
  });
});
