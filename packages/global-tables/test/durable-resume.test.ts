import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, ManualClock } from '@magneto/core';
import { fileStorage } from '@magneto/core/node';
import { globalTables, InProcessNetwork, type GlobalTablesModule } from '@magneto/global-tables';
import { streams } from '@magneto/streams';
import { afterEach, describe, expect, it } from 'vitest';
import { globalTableDefinition, itemsOf, streamRecords, type Region } from './support/regions.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('global tables › a region restarted from durable storage', () => {
  it('resumes replication without losing or applying twice a write, its replica set and versions intact', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const network = new InProcessNetwork({ clock, latencyMs: 20 });
    const dir = mkdtempSync(join(tmpdir(), 'magneto-global-'));
    dirs.push(dir);
    const open = async (name: string, durable: boolean): Promise<Region> => {
      const replication: GlobalTablesModule = globalTables({ transport: network });
      const events = streams();
      const db = new Database({ region: name, clock, modules: [events, replication], ...(durable ? { storage: fileStorage(dir) } : {}) });
      await db.open();
      return { name, db, replication, streams: events };
    };
    const us = await open('us-east-1', false);
    let eu = await open('eu-west-1', true);
    const drain = async () => {
      for (let i = 0; i < 1000 && (us.replication.pendingCount > 0 || eu.replication.pendingCount > 0); i++) await clock.advance(100);
      expect(us.replication.pendingCount + eu.replication.pendingCount).toBe(0);
    };
    await eu.db.createTable(globalTableDefinition());
    await eu.db.updateTable({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: 'us-east-1' } }] } as never);
    await drain();
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'us-1' } } });
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'eu-1' } } });
    await drain();

    // Cut off, eu-west-1 takes writes (acknowledged, durable, never delivered) and restarts.
    const link = network.link('us-east-1', 'eu-west-1');
    link.partition();
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'eu-2' } } });
    await eu.db.deleteItem({ TableName: 'users', Key: { id: { S: 'us-1' } } });
    await us.db.putItem({ TableName: 'users', Item: { id: { S: 'us-2' } } });
    await clock.advance(1000);
    eu.replication.close();
    await eu.db.close();
    eu = await open('eu-west-1', true);
    expect((await eu.db.describeTable({ TableName: 'users' })).Table!.Replicas).toEqual([{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }]);

    link.heal();
    await drain();
    const expected = [{ id: { S: 'eu-1' } }, { id: { S: 'eu-2' } }, { id: { S: 'us-2' } }];
    expect(await itemsOf(us.db, 'users')).toEqual(expected);
    expect(await itemsOf(eu.db, 'users')).toEqual(expected);
    // Each write shows once in each stream: nothing applied twice.
    const events = (records: Array<Record<string, unknown>>) => records.map((r) => `${r.eventName as string} ${JSON.stringify((r.dynamodb as { Keys: unknown }).Keys)}`);
    expect(events(await streamRecords(us, 'users'))).toEqual([
      'INSERT {"id":{"S":"us-1"}}',
      'INSERT {"id":{"S":"eu-1"}}',
      'INSERT {"id":{"S":"us-2"}}',
      'INSERT {"id":{"S":"eu-2"}}',
      'REMOVE {"id":{"S":"us-1"}}',
    ]);
    const inEu = events(await streamRecords(eu, 'users'));
    expect(inEu.filter((e) => e === 'INSERT {"id":{"S":"us-2"}}')).toHaveLength(1);
    expect(new Set(inEu).size).toBe(inEu.length);

    // Replication goes on both ways.
    await eu.db.putItem({ TableName: 'users', Item: { id: { S: 'eu-3' } } });
    await drain();
    expect((await us.db.getItem({ TableName: 'users', Key: { id: { S: 'eu-3' } } })).Item).toBeDefined();
    eu.replication.close();
    await eu.db.close();
  });
  it('keeps a replicated write\'s source region through a restart, so a same-millisecond write of a greater region still wins there', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const network = new InProcessNetwork({ clock, latencyMs: 20 });
    const dir = mkdtempSync(join(tmpdir(), 'magneto-global-'));
    dirs.push(dir);
    const open = async (name: string, durable: boolean): Promise<GlobalTablesModule & { db: Database }> => {
      const replication = globalTables({ transport: network });
      const db = new Database({ region: name, clock, modules: [streams(), replication], ...(durable ? { storage: fileStorage(dir) } : {}) });
      await db.open();
      return Object.assign(replication, { db });
    };
    let eu = await open('eu-west-1', true);
    const east = await open('us-east-1', false);
    const west = await open('us-west-2', false);
    const drain = async () => {
      for (let i = 0; i < 1000 && [eu, east, west].some((r) => r.pendingCount > 0); i++) await clock.advance(100);
    };
    await eu.db.createTable(globalTableDefinition());
    await eu.db.updateTable({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: 'us-east-1' } }, { Create: { RegionName: 'us-west-2' } }] } as never);
    await drain();
    // In one millisecond, two regions write one item; us-west-2's write reaches eu-west-1 only after its restart.
    network.link('eu-west-1', 'us-west-2').partition();
    await east.db.putItem({ TableName: 'users', Item: { id: { S: 'x' }, by: { S: 'east' } } });
    await west.db.putItem({ TableName: 'users', Item: { id: { S: 'x' }, by: { S: 'west' } } });
    await clock.advance(1000);
    expect((await eu.db.getItem({ TableName: 'users', Key: { id: { S: 'x' } } })).Item).toEqual({ id: { S: 'x' }, by: { S: 'east' } });
    eu.close();
    await eu.db.close();
    eu = await open('eu-west-1', true);
    network.link('eu-west-1', 'us-west-2').heal();
    await drain();
    for (const region of [eu, east, west]) expect(await itemsOf(region.db, 'users')).toEqual([{ id: { S: 'x' }, by: { S: 'west' } }]);
    eu.close();
    await eu.db.close();
  });
});
