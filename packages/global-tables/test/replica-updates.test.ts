import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, PutItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ttl } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { globalTableDefinition, itemsOf, regions, sdkClient, streamRecords } from './support/regions.js';

const US = 'us-east-1';
const EU = 'eu-west-1';
const AP = 'ap-south-1';

function setup(sweepIntervalMs: (region: string) => number = () => 1000) {
  const s = regions([US, EU, AP], { latencyMs: 30, tableTransitionMs: 500, modules: (region) => [ttl({ sweepIntervalMs: sweepIntervalMs(region), transitionMs: 0 })] });
  const [us, eu, ap] = s.regions as [(typeof s.regions)[0], (typeof s.regions)[0], (typeof s.regions)[0]];
  return { ...s, us, eu, ap, usClient: sdkClient(us), euClient: sdkClient(eu) };
}

async function replicas(client: DynamoDBClient, TableName = 'users') {
  const { Table } = await client.send(new DescribeTableCommand({ TableName }));
  return { Replicas: Table!.Replicas, GlobalTableVersion: Table!.GlobalTableVersion };
}

async function createGlobal(s: ReturnType<typeof setup>) {
  await s.usClient.send(new CreateTableCommand(globalTableDefinition() as never));
  await s.clock.advance(500);
}

async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await promise.then(() => undefined, (e: unknown) => e)) as { name: string; message: string } | undefined;
  expect(error, 'expected a refusal').toBeDefined();
  return { name: error!.name, message: error!.message };
}

describe('global tables › UpdateTable ReplicaUpdates (version 2019.11.21) through the AWS SDK', () => {
  it('Create: CREATING while the replica table is CREATING and the items are copied, then ACTIVE in every region', async () => {
    const s = setup();
    await createGlobal(s);
    await s.usClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'a' } } }));
    const answer = await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] }));
    expect(answer.TableDescription!.Replicas).toEqual([{ RegionName: EU, ReplicaStatus: 'CREATING' }]);
    expect(answer.TableDescription!.GlobalTableVersion).toBe('2019.11.21');
    await s.clock.advance(100);
    expect((await s.euClient.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.TableStatus).toBe('CREATING');
    expect((await replicas(s.usClient)).Replicas).toEqual([{ RegionName: EU, ReplicaStatus: 'CREATING' }]);
    await s.drain();
    expect(await replicas(s.usClient)).toEqual({ Replicas: [{ RegionName: EU, ReplicaStatus: 'ACTIVE' }], GlobalTableVersion: '2019.11.21' });
    expect(await replicas(s.euClient)).toEqual({ Replicas: [{ RegionName: US, ReplicaStatus: 'ACTIVE' }], GlobalTableVersion: '2019.11.21' });
    expect(await itemsOf(s.eu.db, 'users')).toEqual([{ id: { S: 'a' } }]);

    // A third region joins from the second: every region learns of it and sends it its writes.
    await s.euClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: AP, TableClassOverride: 'STANDARD_INFREQUENT_ACCESS' } }] }));
    await s.drain();
    expect((await replicas(s.usClient)).Replicas).toEqual([
      { RegionName: EU, ReplicaStatus: 'ACTIVE' },
      { RegionName: AP, ReplicaStatus: 'ACTIVE', ReplicaTableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' } },
    ]);
    // The replica's own table takes its TableClassOverride in its region.
    expect((await s.ap.db.describeTable({ TableName: 'users' })).Table!.TableClassSummary?.TableClass).toBe('STANDARD_INFREQUENT_ACCESS');
    expect((await s.us.db.describeTable({ TableName: 'users' })).Table!.TableClassSummary?.TableClass ?? 'STANDARD').toBe('STANDARD');
    await s.usClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'b' } } }));
    await s.drain();
    expect(await itemsOf(s.ap.db, 'users')).toEqual([{ id: { S: 'a' } }, { id: { S: 'b' } }]);
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Update: { RegionName: AP, TableClassOverride: 'STANDARD' } }] }));
    await s.drain();
    await s.clock.advance(1000);
    expect((await s.ap.db.describeTable({ TableName: 'users' })).Table!.TableClassSummary?.TableClass).toBe('STANDARD');
  });

  it('Update keeps per-replica settings; Delete: DELETING until the replica region deleted its table, then gone', async () => {
    const s = setup();
    await createGlobal(s);
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] }));
    await s.drain();
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Update: { RegionName: EU, OnDemandThroughputOverride: { MaxReadRequestUnits: 100 } } }] }));
    await s.clock.advance(500);
    expect((await replicas(s.usClient)).Replicas).toEqual([{ RegionName: EU, ReplicaStatus: 'ACTIVE', OnDemandThroughputOverride: { MaxReadRequestUnits: 100 } }]);
    await s.clock.advance(500);
    await s.drain();
    expect((await replicas(s.euClient)).Replicas).toEqual([{ RegionName: US, ReplicaStatus: 'ACTIVE' }]);

    const answer = await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Delete: { RegionName: EU } }] }));
    expect(answer.TableDescription!.Replicas).toEqual([{ RegionName: EU, ReplicaStatus: 'DELETING', OnDemandThroughputOverride: { MaxReadRequestUnits: 100 } }]);
    await s.drain();
    await s.clock.advance(1000);
    expect(await replicas(s.usClient)).toEqual({ Replicas: undefined, GlobalTableVersion: undefined });
    expect(s.eu.db.listTables === undefined || (await s.eu.db.listTables({})).TableNames).toEqual([]);
    // No longer replicated.
    await s.usClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'after' } } }));
    await s.drain();
    expect(s.us.replication.pendingCount).toBe(0);
  });

  it('DeleteTable in a replica region takes that replica out of the global table', async () => {
    const s = setup();
    await createGlobal(s);
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }, { Create: { RegionName: AP } }] }));
    await s.drain();
    await s.euClient.send(new DeleteTableCommand({ TableName: 'users' }));
    await s.drain();
    expect((await replicas(s.usClient)).Replicas).toEqual([{ RegionName: AP, ReplicaStatus: 'ACTIVE' }]);
  });

  it('refuses what DynamoDB refuses, changing nothing', async () => {
    const s = setup();
    await s.usClient.send(new CreateTableCommand(globalTableDefinition('plain', { StreamSpecification: undefined }) as never));
    await s.usClient.send(new CreateTableCommand(globalTableDefinition('keys', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }) as never));
    await s.usClient.send(new CreateTableCommand(globalTableDefinition('provisioned', { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }) as never));
    await createGlobal(s);
    const create = (TableName: string, RegionName: string) => s.usClient.send(new UpdateTableCommand({ TableName, ReplicaUpdates: [{ Create: { RegionName } }] }));
    for (const table of ['plain', 'keys']) {
      expect(await refusal(create(table, EU))).toEqual({
        name: 'ValidationException',
        message: `Table: ${table} must have DynamoDB Streams enabled with StreamViewType NEW_AND_OLD_IMAGES to have replicas`,
      });
    }
    expect(await refusal(create('provisioned', EU))).toEqual({ name: 'ValidationException', message: 'Table write capacity should either be Pay-Per-Request or AutoScaled.' });
    expect(await refusal(create('users', US))).toEqual({
      name: 'ValidationException',
      message: 'Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.',
    });
    expect(await refusal(s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Delete: { RegionName: EU } }] })))).toEqual({
      name: 'ValidationException',
      message: `Replica specified in the Replica Update or Replica Delete action of the request was not found: ${EU}`,
    });
    await create('users', EU);
    await s.drain();
    await s.clock.advance(500);
    expect(await refusal(create('users', EU))).toEqual({
      name: 'ValidationException',
      message: "Failed to create a the new replica of table with name: 'users' because one or more replicas already existed as tables.",
    });
    expect(await refusal(s.usClient.send(new UpdateTableCommand({ TableName: 'users', MultiRegionConsistency: 'STRONG' })))).toEqual({
      name: 'ValidationException',
      // An MREC global table stays MREC.
      message: 'The consistency mode of a global table cannot be changed after it is created',
    });
    for (const table of ['plain', 'keys', 'provisioned']) expect((await replicas(s.usClient, table)).Replicas).toBeUndefined();
    expect(s.eu.db.listTables && (await s.eu.db.listTables({})).TableNames).toEqual(['users']);
  });

  it('a replica region that already has a table of that name: CREATION_FAILED', async () => {
    const s = setup();
    await createGlobal(s);
    await s.euClient.send(new CreateTableCommand(globalTableDefinition() as never));
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] }));
    await s.drain();
    expect((await replicas(s.usClient)).Replicas).toEqual([{ RegionName: EU, ReplicaStatus: 'CREATION_FAILED', ReplicaStatusDescription: 'Table already exists: users' }]);
  });
});

describe('global tables › each replica stream', () => {
  it('shows replicated writes, and TTL deletes as TTL only in the region that expired them', async () => {
    // TTL is synchronized to every replica; eu-west-1 sweeps rarely, so us-east-1 expires the item first.
    const s = setup((region) => (region === EU ? 600_000 : 1000));
    await createGlobal(s);
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] }));
    await s.drain();
    await s.us.db.updateTimeToLive({ TableName: 'users', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } });
    await s.usClient.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'a' }, exp: { N: String(Math.floor(s.clock.now() / 1000) + 5) } } }));
    await s.drain();
    await s.clock.advance(10_000);
    await s.drain();
    const inUs = await streamRecords(s.us, 'users');
    const inEu = await streamRecords(s.eu, 'users');
    expect(inUs.map((r) => [r.eventName, r.awsRegion, r.userIdentity])).toEqual([
      ['INSERT', US, undefined],
      ['REMOVE', US, { type: 'Service', principalId: 'dynamodb.amazonaws.com' }],
    ]);
    expect(inEu.map((r) => [r.eventName, r.awsRegion, r.userIdentity])).toEqual([
      ['INSERT', EU, undefined],
      ['REMOVE', EU, undefined],
    ]);
    expect((inEu[0]!.dynamodb as { NewImage: unknown }).NewImage).toEqual((inUs[0]!.dynamodb as { NewImage: unknown }).NewImage);
  });
});

describe('global tables › without the module', () => {
  it('refuses ReplicaUpdates by name instead of ignoring it, and changes nothing', async () => {
    const { Database } = await import('@magneto/core');
    const db = new Database();
    await db.createTable({ TableName: 'plain', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
    await expect(db.updateTable({ TableName: 'plain', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })).rejects.toThrow(
      "ReplicaUpdates needs the globalTables module, which this database does not have: create it with new Database({ modules: [globalTables()] }) (import { globalTables } from '@magneto/global-tables')",
    );
    expect((await db.describeTable({ TableName: 'plain' })).Table?.Replicas).toBeUndefined();
  });
});

describe('global tables › CreateGlobalTable wire types', () => {
  it('answers a ReplicationGroup of the wrong JSON type with SerializationException, never a TypeError', async () => {
    const { Database } = await import('@magneto/core');
    const { streams } = await import('@magneto/streams');
    const { globalTables, InProcessNetwork } = await import('../src/index.js');
    const db = new Database({ modules: [streams(), globalTables({ transport: new InProcessNetwork() })] });
    await expect(db.execute('DynamoDB_20120810', 'CreateGlobalTable', { GlobalTableName: 'orders', ReplicationGroup: 'x' })).rejects.toMatchObject({ name: 'SerializationException' });
    await expect(db.execute('DynamoDB_20120810', 'CreateGlobalTable', { GlobalTableName: 'orders', ReplicationGroup: [{ RegionName: 3 }] })).rejects.toMatchObject({
      name: 'SerializationException',
      message: 'NUMBER_VALUE cannot be converted to String',
    });
  });
});

describe('global tables › synchronized settings (version 2019.11.21)', () => {
  it('Time to Live and global secondary indexes changed in one replica change in every replica', async () => {
    const s = setup();
    await createGlobal(s);
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] }));
    await s.drain();
    await s.euClient.send(new UpdateTimeToLiveCommand({ TableName: 'users', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    await s.usClient.send(
      new UpdateTableCommand({
        TableName: 'users',
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-email', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    await s.drain();
    await s.clock.advance(2000);
    await s.drain();
    for (const c of [s.usClient, s.euClient]) {
      expect((await c.send(new DescribeTimeToLiveCommand({ TableName: 'users' }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
      expect((await c.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['by-email']);
    }
    await s.euClient.send(new UpdateTableCommand({ TableName: 'users', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-email' } }] }));
    await s.drain();
    await s.clock.advance(2000);
    await s.drain();
    expect((await s.usClient.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.GlobalSecondaryIndexes).toBeUndefined();
    expect(s.us.replication.errors).toEqual([]);
    expect(s.eu.replication.errors).toEqual([]);
  });
});
