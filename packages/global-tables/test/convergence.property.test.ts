import { ttl, type ChangeRecord, type DatabaseModule, type Item } from '@magneto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, globalTableDefinition, itemsOf, regions, type Region } from './support/regions.js';

const REGIONS = ['ap-south-1', 'eu-west-1', 'us-east-1'] as const;
const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
const LINKS = [
  [0, 1],
  [0, 2],
  [1, 2],
] as const;

type Action =
  | { kind: 'put' | 'putIfAbsent' | 'update' | 'delete' | 'expire'; region: number; key: string; group: string; n: number }
  | { kind: 'transact'; region: number; keys: [string, string]; n: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'partition' | 'heal'; link: number }
  | { kind: 'faults'; link: number; drop: number; duplicate: number; reorder: number }
  | { kind: 'latency'; link: number; ms: number };

const region = fc.integer({ min: 0, max: 2 });
const key = fc.constantFrom(...KEYS);
const link = fc.integer({ min: 0, max: 2 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom('put', 'putIfAbsent', 'update', 'delete', 'expire'), region, key, group: fc.constantFrom('a', 'b'), n: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transact'), region, keys: fc.uniqueArray(key, { minLength: 2, maxLength: 2 }) as fc.Arbitrary<[string, string]>, n: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance'), ms: fc.integer({ min: 1, max: 3000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('partition', 'heal'), link }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('faults'), link, drop: fc.double({ min: 0, max: 0.5, noNaN: true }), duplicate: fc.double({ min: 0, max: 0.5, noNaN: true }), reorder: fc.double({ min: 0, max: 0.5, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('latency'), link, ms: fc.integer({ min: 0, max: 800 }) }) },
);

/** Records every write a region accepted itself (from a user or its TTL sweeper), for the oracle. */
function recorder(region: string, log: Array<ChangeRecord & { region: string }>): DatabaseModule {
  return {
    name: 'recorder',
    install(ctx) {
      ctx.onChange((batch) => {
        for (const record of batch.records) if (record.origin !== 'replication') log.push({ ...record, region });
      });
    },
  };
}

/** Last writer wins, by timestamp, then region name, then the region's sequence number. */
function expectedItems(log: ReadonlyArray<ChangeRecord & { region: string }>): Item[] {
  const winners = new Map<string, ChangeRecord & { region: string }>();
  for (const record of log) {
    const id = canonical(record.keys);
    const best = winners.get(id);
    const later =
      best === undefined ||
      record.timestamp > best.timestamp ||
      (record.timestamp === best.timestamp && (record.region > best.region || (record.region === best.region && record.sequenceNumber > best.sequenceNumber)));
    if (later) winners.set(id, record);
  }
  return [...winners.values()].flatMap((r) => (r.newImage ? [r.newImage] : [])).sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1));
}

async function perform(r: Region, a: Action, now: number): Promise<void> {
  const TableName = 'users';
  try {
    switch (a.kind) {
      case 'put':
        await r.db.putItem({ TableName, Item: { id: { S: a.key }, grp: { S: a.group }, n: { N: String(a.n) } } });
        return;
      case 'putIfAbsent':
        await r.db.putItem({ TableName, Item: { id: { S: a.key }, grp: { S: a.group }, n: { N: String(a.n) } }, ConditionExpression: 'attribute_not_exists(id)' });
        return;
      case 'update':
        await r.db.updateItem({ TableName, Key: { id: { S: a.key } }, UpdateExpression: 'ADD n :n SET grp = :g', ExpressionAttributeValues: { ':n': { N: String(a.n) }, ':g': { S: a.group } } } as never);
        return;
      case 'delete':
        await r.db.deleteItem({ TableName, Key: { id: { S: a.key } } });
        return;
      case 'expire':
        // Expires within a few seconds: the region's TTL sweeper deletes it, unless a later write replaces it.
        await r.db.putItem({ TableName, Item: { id: { S: a.key }, grp: { S: a.group }, exp: { N: String(Math.floor(now / 1000) + a.n) } } });
        return;
      case 'transact':
        await r.db.transactWriteItems({
          TransactItems: [
            { Put: { TableName, Item: { id: { S: a.keys[0] }, n: { N: String(a.n) } } } },
            { Delete: { TableName, Key: { id: { S: a.keys[1] } } } },
          ],
        });
        return;
    }
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
}

async function run(actions: readonly Action[]): Promise<void> {
  const log: Array<ChangeRecord & { region: string }> = [];
  const setup = regions(REGIONS, {
    latencyMs: 20,
    random: mulberry32(actions.length),
    modules: (name) => [ttl({ sweepIntervalMs: 1000, transitionMs: 0 }), recorder(name, log)],
  });
  const { clock, network, drain } = setup;
  const all = setup.regions;
  await all[0]!.db.createTable(globalTableDefinition('users', {
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'grp', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'grp', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
  }));
  await all[0]!.db.updateTable({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: REGIONS[1] } }, { Create: { RegionName: REGIONS[2] } }] } as never);
  await drain();
  for (const r of all) await r.db.updateTimeToLive({ TableName: 'users', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } });

  for (const a of actions) {
    if (a.kind === 'advance') await clock.advance(a.ms);
    else if ('link' in a) {
      const [x, y] = LINKS[a.link]!;
      const l = network.link(REGIONS[x], REGIONS[y]);
      if (a.kind === 'partition') l.partition();
      else if (a.kind === 'heal') l.heal();
      else if (a.kind === 'latency') l.latencyMs = a.ms;
      else if (a.kind === 'faults') l.faults = { drop: a.drop, duplicate: a.duplicate, reorder: a.reorder };
    } else {
      await perform(all[a.region]!, a, clock.now());
      // One write per millisecond: the oracle orders writes by their timestamps.
      await clock.advance(1);
    }
  }
  for (const l of network.allLinks()) {
    l.heal();
    l.faults = {};
  }
  // Let every TTL deadline pass and be swept, then every write be delivered.
  await clock.advance(20_000);
  await drain();

  const expected = expectedItems(log);
  for (const r of all) {
    expect(await itemsOf(r.db, 'users'), r.name).toEqual(expected);
    expect(await itemsOf(r.db, 'users', 'byGroup'), r.name).toEqual(expected.filter((item) => item.grp !== undefined));
    expect((await r.db.describeTable({ TableName: 'users' })).Table!.ItemCount, r.name).toBe(expected.length);
    expect(r.replication.errors).toEqual([]);
  }
}

/** A small seeded generator, so a failing run's faults replay with its actions. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('global tables › convergence', () => {
  it('three regions with random writes, latencies, partitions and message faults end identical and equal to last-writer-wins', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: process.env.MAGNETO_STRESS ? 200 : 40 }), run),
      { numRuns: process.env.MAGNETO_STRESS ? 300 : 25 },
    );
  }, process.env.MAGNETO_STRESS ? 3_600_000 : undefined);
});
