/**
 * Triggers (and Kinesis consumers' push delivery) under strict durability, over a LogDevice whose appends
 * and syncs complete only when the test says so: a handler never receives a record whose write has not
 * been fsynced (DynamoDB shows no write before it is durable, and a crash could lose it), and receives it
 * once it has.
 */
import { expect, it } from 'vitest';
import { Database, durableStorage } from '@magneto/core';
import { streams, type Trigger, type TriggerHandler } from '@magneto/streams';
import { installKinesisDestinations, parseKinesisRecordData, type KinesisDestinations } from '../src/kinesis/index.js';
import { GatedDevice } from '../../core/test/support/gated-device.js';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
};

async function openOn(device: GatedDevice): Promise<{ db: Database; onChange: (handler: TriggerHandler) => Trigger }> {
  const module = streams();
  const db = new Database({ modules: [module], storage: durableStorage(device, { durability: 'strict' }) });
  await db.createTable({
    TableName: 'orders',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  } as Parameters<Database['createTable']>[0]);
  return { db, onChange: (handler) => module.onChange('orders', handler, { startingPosition: 'TRIM_HORIZON' }) };
}

const idOf = (record: { dynamodb: { Keys: Record<string, unknown> } }): string => (record.dynamodb.Keys.id as { S: string }).S;

/** Puts item `id` on a gated device: `received` stays empty through the append and gets `id` once the fsync completes. */
async function expectDeliveredOnceFsynced(db: Database, device: GatedDevice, received: string[], id: string): Promise<void> {
  device.gated = true;
  const write = db.putItem({ TableName: 'orders', Item: { id: { S: id } } });
  await settle();
  expect(received).toEqual([]);
  await device.releaseAll(); // the append: written, not yet fsynced
  await settle();
  expect(received).toEqual([]);
  await device.releaseAll(); // the fsync
  await write;
  await settle();
  expect(received).toEqual([id]);
  device.gated = false;
  await db.close();
}

it('strict: a trigger receives a record only once its write is fsynced', async () => {
  const device = new GatedDevice();
  const { db, onChange } = await openOn(device);
  const received: string[] = [];
  onChange((event) => void received.push(...event.Records.map(idOf)));
  await expectDeliveredOnceFsynced(db, device, received, 'a');
});

it('strict: under writes and fsyncs completing in random order of time, every record a trigger receives was acknowledged', async () => {
  const seed = Number(process.env.MAGNETO_SEED ?? 5);
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const device = new GatedDevice();
  const { db, onChange } = await openOn(device);
  const acknowledged = new Set<string>();
  const early: string[] = [];
  const received: string[] = [];
  onChange((event) => {
    for (const record of event.Records) {
      if (!acknowledged.has(idOf(record))) early.push(idOf(record));
      received.push(idOf(record));
    }
  });
  device.gated = true;
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    const id = `o${i}`;
    writes.push(db.putItem({ TableName: 'orders', Item: { id: { S: id } } }).then(() => acknowledged.add(id)));
    const step = random();
    if (step < 0.3) await device.releaseAll();
    else if (step < 0.7) await settle();
  }
  device.gated = false;
  await device.releaseAll();
  await Promise.all(writes);
  await settle();
  expect({ seed, early }).toEqual({ seed, early: [] });
  expect(received).toEqual(Array.from({ length: 60 }, (_, i) => `o${i}`));
  await db.close();
});

it('strict: a Kinesis consumer subscription receives a record only once its write is fsynced', async () => {
  const device = new GatedDevice();
  let destinations!: KinesisDestinations;
  const db = new Database({
    modules: [{ name: 'kinesis-test', install: (ctx) => void (destinations = installKinesisDestinations(ctx, {})) }],
    storage: durableStorage(device, { durability: 'strict' }),
  });
  await db.createTable({ TableName: 'orders', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  const StreamArn = destinations.createStream('orders-changes');
  await db.execute('DynamoDB_20120810', 'EnableKinesisStreamingDestination', { TableName: 'orders', StreamArn });
  const received: string[] = [];
  destinations.consumer(StreamArn, 'c').subscribe((records) => void received.push(...records.map((r) => idOf(parseKinesisRecordData(r)))));
  await expectDeliveredOnceFsynced(db, device, received, 'k');
});

it('strict: when the store fails, a trigger never receives the unacknowledged record and drained() still settles', async () => {
  const device = new GatedDevice();
  const { db, onChange } = await openOn(device);
  const received: string[] = [];
  const trigger = onChange((event) => void received.push(...event.Records.map(idOf)));
  device.failNext = new Error('disk gone');
  await expect(db.putItem({ TableName: 'orders', Item: { id: { S: 'lost' } } })).rejects.toThrow('disk gone');
  await settle();
  await trigger.drained();
  expect(received).toEqual([]);
});
