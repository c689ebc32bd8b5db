import { Database, type Item } from '@magneto/core';
import { BroadcastChannelTransport, globalTables, MessagePortTransport, type GlobalTablesModule, type Transport } from '@magneto/global-tables';
import { streams } from '@magneto/streams';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { globalTableDefinition, itemsOf } from './support/regions.js';

const US = 'us-east-1';
const EU = 'eu-west-1';

/** Two regions on the system clock, each with its own transport. */
function twoRegions(transports: readonly [Transport, Transport]) {
  const modules = transports.map((transport) => globalTables({ transport, retransmitMs: 50 })) as [GlobalTablesModule, GlobalTablesModule];
  const [us, eu] = [US, EU].map((region, i) => new Database({ region, modules: [streams(), modules[i]!] })) as [Database, Database];
  /** Waits (real time, bounded) until `done` holds and nothing is in flight. */
  const until = async (done: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 400; i++) {
      if (modules.every((m) => m.pendingCount === 0) && (await done())) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`not settled: pending ${modules.map((m) => m.pendingCount).join(', ')}`);
  };
  return { us, eu, modules, until, close: () => modules.forEach((m) => m.close()) };
}

async function replicateBothWays(s: ReturnType<typeof twoRegions>): Promise<void> {
  await s.us.createTable(globalTableDefinition());
  await s.us.updateTable({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] } as never);
  await s.until(async () => (await s.eu.listTables({})).TableNames?.includes('users') === true);
  const binary: Item = { id: { S: 'bytes' }, data: { B: new Uint8Array([0, 1, 254, 255]) } };
  await s.us.putItem({ TableName: 'users', Item: binary });
  await s.eu.putItem({ TableName: 'users', Item: { id: { S: 'from-eu' } } });
  const expected = [binary, { id: { S: 'from-eu' } }];
  await s.until(async () => (await itemsOf(s.us, 'users')).length === 2 && (await itemsOf(s.eu, 'users')).length === 2);
  expect(await itemsOf(s.us, 'users')).toEqual(expected);
  expect(await itemsOf(s.eu, 'users')).toEqual(expected);
}

describe('global tables › MessagePort and BroadcastChannel transports', () => {
  it('MessagePortTransport replicates both ways over a worker_threads MessageChannel', async () => {
    const { port1, port2 } = new MessageChannel();
    const s = twoRegions([new MessagePortTransport({ ports: [port1] }), new MessagePortTransport({ ports: [port2] })]);
    try {
      await replicateBothWays(s);
    } finally {
      s.close();
      port1.close();
    }
  });

  it('BroadcastChannelTransport replicates both ways between two channels of one name', async () => {
    const name = `magneto-test-${Math.random().toString(36).slice(2)}`;
    const s = twoRegions([new BroadcastChannelTransport({ name }), new BroadcastChannelTransport({ name })]);
    try {
      await replicateBothWays(s);
    } finally {
      s.close();
    }
  });
});
