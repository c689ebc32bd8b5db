import {
  CreateGlobalTableCommand,
  CreateTableCommand,
  DescribeGlobalTableCommand,
  DescribeTableCommand,
  DescribeGlobalTableSettingsCommand,
  GlobalTableAlreadyExistsException,
  GlobalTableNotFoundException,
  ListGlobalTablesCommand,
  PutItemCommand,
  ReplicaAlreadyExistsException,
  ReplicaNotFoundException,
  type ReplicaSettingsDescription,
  UpdateGlobalTableCommand,
  UpdateGlobalTableSettingsCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { globalTableDefinition, itemsOf, regions, sdkClient } from './support/regions.js';

const US = 'us-east-1';
const EU = 'eu-west-1';
const AP = 'ap-south-1';

async function setup() {
  const s = regions([US, EU, AP], { latencyMs: 20 });
  const clients = s.regions.map(sdkClient);
  for (const client of clients) await client.send(new CreateTableCommand(globalTableDefinition() as never));
  return { ...s, us: clients[0]!, eu: clients[1]!, ap: clients[2]! };
}

describe('global tables › version 2017.11.29 operations through the AWS SDK', () => {
  it('CreateGlobalTable, DescribeGlobalTable, ListGlobalTables, UpdateGlobalTable, and replication between the group', async () => {
    const s = await setup();
    const created = await s.us.send(new CreateGlobalTableCommand({ GlobalTableName: 'users', ReplicationGroup: [{ RegionName: US }, { RegionName: EU }] }));
    expect(created.GlobalTableDescription).toMatchObject({
      GlobalTableName: 'users',
      GlobalTableStatus: 'CREATING',
      GlobalTableArn: 'arn:aws:dynamodb::000000000000:global-table/users'.replace('000000000000', created.GlobalTableDescription!.GlobalTableArn!.split(':')[4]!),
      ReplicationGroup: [{ RegionName: US, ReplicaStatus: 'ACTIVE' }, { RegionName: EU, ReplicaStatus: 'CREATING' }],
    });
    expect(created.GlobalTableDescription!.CreationDateTime).toBeInstanceOf(Date);
    await s.drain();
    expect((await s.us.send(new DescribeGlobalTableCommand({ GlobalTableName: 'users' }))).GlobalTableDescription!.GlobalTableStatus).toBe('ACTIVE');
    expect((await s.eu.send(new ListGlobalTablesCommand({}))).GlobalTables).toEqual([{ GlobalTableName: 'users', ReplicationGroup: [{ RegionName: US }, { RegionName: EU }] }]);
    expect((await s.us.send(new ListGlobalTablesCommand({ RegionName: AP }))).GlobalTables).toEqual([]);

    await s.eu.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'from-eu' } } }));
    await s.drain();
    expect(await itemsOf(s.regions[0]!.db, 'users')).toEqual([{ id: { S: 'from-eu' } }]);

    await s.us.send(new UpdateGlobalTableCommand({ GlobalTableName: 'users', ReplicaUpdates: [{ Create: { RegionName: AP } }] }));
    await s.drain();
    // The new replica gets the items written before it joined.
    expect(await itemsOf(s.regions[2]!.db, 'users')).toEqual([{ id: { S: 'from-eu' } }]);
    await s.ap.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'from-ap' } } }));
    await s.drain();
    expect(await itemsOf(s.regions[1]!.db, 'users')).toEqual([{ id: { S: 'from-ap' } }, { id: { S: 'from-eu' } }]);

    await s.us.send(new UpdateGlobalTableCommand({ GlobalTableName: 'users', ReplicaUpdates: [{ Delete: { RegionName: AP } }] }));
    await s.drain();
    expect((await s.eu.send(new DescribeGlobalTableCommand({ GlobalTableName: 'users' }))).GlobalTableDescription!.ReplicationGroup!.map((r) => r.RegionName)).toEqual([US, EU]);
    await expect(s.ap.send(new DescribeGlobalTableCommand({ GlobalTableName: 'users' }))).rejects.toBeInstanceOf(GlobalTableNotFoundException);

    const settings = await s.us.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'users' }));
    expect(settings.ReplicaSettings!.map((r) => [r.RegionName, r.ReplicaStatus, r.ReplicaBillingModeSummary!.BillingMode])).toEqual([
      [US, 'ACTIVE', 'PAY_PER_REQUEST'],
      [EU, 'ACTIVE', 'PAY_PER_REQUEST'],
    ]);
    await expect(s.us.send(new UpdateGlobalTableSettingsCommand({ GlobalTableName: 'users', ReplicaSettingsUpdate: [{ RegionName: AP }] }))).rejects.toBeInstanceOf(ReplicaNotFoundException);
  });

  it('refuses with DynamoDB exception types', async () => {
    const s = await setup();
    await expect(s.us.send(new DescribeGlobalTableCommand({ GlobalTableName: 'users' }))).rejects.toBeInstanceOf(GlobalTableNotFoundException);
    await s.us.send(new CreateGlobalTableCommand({ GlobalTableName: 'users', ReplicationGroup: [{ RegionName: US }, { RegionName: EU }] }));
    await expect(s.us.send(new CreateGlobalTableCommand({ GlobalTableName: 'users', ReplicationGroup: [{ RegionName: US }] }))).rejects.toBeInstanceOf(GlobalTableAlreadyExistsException);
    await expect(s.us.send(new UpdateGlobalTableCommand({ GlobalTableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] }))).rejects.toBeInstanceOf(ReplicaAlreadyExistsException);
    await expect(s.us.send(new UpdateGlobalTableCommand({ GlobalTableName: 'users', ReplicaUpdates: [{ Delete: { RegionName: AP } }] }))).rejects.toBeInstanceOf(ReplicaNotFoundException);
    // A region whose table holds items cannot join: its replica fails.
    await s.ap.send(new PutItemCommand({ TableName: 'users', Item: { id: { S: 'x' } } }));
    await s.us.send(new UpdateGlobalTableCommand({ GlobalTableName: 'users', ReplicaUpdates: [{ Create: { RegionName: AP } }] }));
    await s.drain();
    const group = (await s.us.send(new DescribeGlobalTableCommand({ GlobalTableName: 'users' }))).GlobalTableDescription!.ReplicationGroup!;
    expect(group.map((r) => [r.RegionName, r.ReplicaStatus])).toEqual([[US, 'ACTIVE'], [EU, 'ACTIVE'], [AP, 'CREATION_FAILED']]);
  });

  it('UpdateGlobalTableSettings changes capacity: write units and billing mode in every replica, read units per replica', async () => {
    const s = regions([US, EU], { latencyMs: 20 });
    const [us, eu] = s.regions.map(sdkClient) as [ReturnType<typeof sdkClient>, ReturnType<typeof sdkClient>];
    const definition = globalTableDefinition('users', { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } });
    for (const client of [us, eu]) await client.send(new CreateTableCommand(definition as never));
    await us.send(new CreateGlobalTableCommand({ GlobalTableName: 'users', ReplicationGroup: [{ RegionName: US }, { RegionName: EU }] }));
    await s.drain();
    const answer = await us.send(
      new UpdateGlobalTableSettingsCommand({
        GlobalTableName: 'users',
        GlobalTableProvisionedWriteCapacityUnits: 12,
        ReplicaSettingsUpdate: [
          { RegionName: US, ReplicaProvisionedReadCapacityUnits: 7 },
          { RegionName: EU, ReplicaProvisionedReadCapacityUnits: 9 },
        ],
      }),
    );
    const units = (settings: ReplicaSettingsDescription[]) =>
      settings.map((r) => [r.RegionName, r.ReplicaProvisionedReadCapacityUnits, r.ReplicaProvisionedWriteCapacityUnits]);
    expect(units(answer.ReplicaSettings!)).toEqual([
      [US, 7, 12],
      [EU, 9, 12],
    ]);
    await s.drain();
    // Each region's own table has the units: the same write units, its own read units.
    const throughput = async (client: typeof us) => (await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.ProvisionedThroughput;
    expect(await throughput(us)).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 12 });
    expect(await throughput(eu)).toMatchObject({ ReadCapacityUnits: 9, WriteCapacityUnits: 12 });
    expect(units((await eu.send(new DescribeGlobalTableSettingsCommand({ GlobalTableName: 'users' }))).ReplicaSettings!)).toEqual([
      [US, 7, 12],
      [EU, 9, 12],
    ]);
  });
});
