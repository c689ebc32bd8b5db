import { CreateTableCommand, DescribeTableCommand, DescribeTableReplicaAutoScalingCommand, UpdateTableCommand, UpdateTableReplicaAutoScalingCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { capacity } from '@magneto/core';
import { describe, expect, it } from 'vitest';
import { globalTableDefinition, regions, sdkClient } from './support/regions.js';

const US = 'us-east-1';
const EU = 'eu-west-1';

function setup() {
  const s = regions([US, EU], { latencyMs: 30, modules: () => [capacity()] });
  const [us, eu] = s.regions as [(typeof s.regions)[0], (typeof s.regions)[0]];
  return { ...s, us, eu, usClient: sdkClient(us), euClient: sdkClient(eu) };
}

/** A provisioned table with a GSI, 5 RCU / 5 WCU each. */
const provisioned = globalTableDefinition('users', {
  BillingMode: 'PROVISIONED',
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'name', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [{ IndexName: 'byName', KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }],
});

async function capacityIn(client: DynamoDBClient) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'users' }));
  return {
    billing: Table!.BillingModeSummary?.BillingMode,
    read: Table!.ProvisionedThroughput!.ReadCapacityUnits,
    write: Table!.ProvisionedThroughput!.WriteCapacityUnits,
    index: Table!.GlobalSecondaryIndexes?.map((i) => [i.ProvisionedThroughput!.ReadCapacityUnits, i.ProvisionedThroughput!.WriteCapacityUnits]),
    onDemand: Table!.OnDemandThroughput,
  };
}

async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await promise.then(() => undefined, (e: unknown) => e)) as { name: string; message: string } | undefined;
  expect(error, 'expected a refusal').toBeDefined();
  return { name: error!.name, message: error!.message };
}

const writeAutoScaling = { MinimumUnits: 5, MaximumUnits: 100, ScalingPolicyUpdate: { TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } } };

describe('global tables › replica capacity: billing mode, write units and read overrides applied in each replica', () => {
  it('a provisioned table needs write auto scaling; its replica gets the same billing mode and write units, and its own read units from ProvisionedThroughputOverride (table and GSI)', async () => {
    const s = setup();
    await s.usClient.send(new CreateTableCommand(provisioned as never));
    const create = { Create: { RegionName: EU, ProvisionedThroughputOverride: { ReadCapacityUnits: 20 }, GlobalSecondaryIndexes: [{ IndexName: 'byName', ProvisionedThroughputOverride: { ReadCapacityUnits: 7 } }] } };
    expect(await refusal(s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [create] })))).toEqual({
      name: 'ValidationException',
      message: 'Table write capacity should either be Pay-Per-Request or AutoScaled.',
    });
    await s.usClient.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'users', ProvisionedWriteCapacityAutoScalingUpdate: writeAutoScaling }));
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [create] }));
    await s.drain();
    expect(await capacityIn(s.euClient)).toEqual({ billing: 'PROVISIONED', read: 20, write: 5, index: [[7, 5]], onDemand: undefined });
    expect(await capacityIn(s.usClient)).toEqual({ billing: 'PROVISIONED', read: 5, write: 5, index: [[5, 5]], onDemand: undefined });

    // UpdateTable in one replica: write units everywhere, read units where the replica has no override.
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 8 } }));
    await s.drain();
    expect(await capacityIn(s.euClient)).toMatchObject({ read: 20, write: 8 });
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byName', ProvisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 6 } } }] }));
    await s.drain();
    expect(await capacityIn(s.euClient)).toMatchObject({ read: 20, write: 8, index: [[7, 6]] });
    // ReplicaUpdates Update changes the replica's own read units, in its region only.
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Update: { RegionName: EU, ProvisionedThroughputOverride: { ReadCapacityUnits: 30 } } }] }));
    await s.drain();
    expect(await capacityIn(s.euClient)).toMatchObject({ read: 30, write: 8, index: [[7, 6]] });
    expect(await capacityIn(s.usClient)).toMatchObject({ read: 10, write: 8, index: [[9, 6]] });
  });

  it('on demand: the billing mode switch and OnDemandThroughput reach every replica; OnDemandThroughputOverride sets the replica\'s own read maximum', async () => {
    const s = setup();
    await s.usClient.send(new CreateTableCommand(globalTableDefinition() as never));
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU, OnDemandThroughputOverride: { MaxReadRequestUnits: 90 } } }] }));
    await s.drain();
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', OnDemandThroughput: { MaxReadRequestUnits: 50, MaxWriteRequestUnits: 40 } }));
    await s.drain();
    expect((await capacityIn(s.usClient)).onDemand).toEqual({ MaxReadRequestUnits: 50, MaxWriteRequestUnits: 40 });
    expect((await capacityIn(s.euClient)).onDemand).toEqual({ MaxReadRequestUnits: 90, MaxWriteRequestUnits: 40 });
    // A switch to provisioned in one replica switches every replica.
    await s.euClient.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'users', ProvisionedWriteCapacityAutoScalingUpdate: writeAutoScaling }));
    await s.euClient.send(new UpdateTableCommand({ TableName: 'users', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 3 } }));
    await s.drain();
    expect(await capacityIn(s.usClient)).toMatchObject({ billing: 'PROVISIONED', read: 4, write: 3 });
  });

  it('refuses turning off the stream of a replica (DynamoDB\'s message), and changes nothing', async () => {
    const s = setup();
    await s.usClient.send(new CreateTableCommand(globalTableDefinition() as never));
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] }));
    await s.drain();
    for (const client of [s.usClient, s.euClient]) {
      expect(await refusal(client.send(new UpdateTableCommand({ TableName: 'users', StreamSpecification: { StreamEnabled: false } })))).toEqual({
        name: 'ValidationException',
        message: 'One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.',
      });
      expect((await client.send(new DescribeTableCommand({ TableName: 'users' }))).Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    }
  });

  it('DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling span the replicas: write auto scaling in all, read auto scaling in the replica named', async () => {
    const s = setup();
    await s.usClient.send(new CreateTableCommand(provisioned as never));
    await s.usClient.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'users', ProvisionedWriteCapacityAutoScalingUpdate: writeAutoScaling }));
    await s.usClient.send(new UpdateTableCommand({ TableName: 'users', ReplicaUpdates: [{ Create: { RegionName: EU } }] }));
    await s.drain();
    const readScaling = { MinimumUnits: 2, MaximumUnits: 50, ScalingPolicyUpdate: { TargetTrackingScalingPolicyConfiguration: { TargetValue: 60 } } };
    await s.usClient.send(
      new UpdateTableReplicaAutoScalingCommand({
        TableName: 'users',
        ProvisionedWriteCapacityAutoScalingUpdate: { ...writeAutoScaling, MaximumUnits: 200 },
        ReplicaUpdates: [{ RegionName: EU, ReplicaProvisionedReadCapacityAutoScalingUpdate: readScaling }],
      }),
    );
    await s.drain();
    for (const client of [s.usClient, s.euClient]) {
      const { TableAutoScalingDescription } = await client.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'users' }));
      const replicas = TableAutoScalingDescription!.Replicas!.map((r) => ({
        region: r.RegionName,
        status: r.ReplicaStatus,
        write: [r.ReplicaProvisionedWriteCapacityAutoScalingSettings?.MinimumUnits, r.ReplicaProvisionedWriteCapacityAutoScalingSettings?.MaximumUnits],
        read: [r.ReplicaProvisionedReadCapacityAutoScalingSettings?.MinimumUnits, r.ReplicaProvisionedReadCapacityAutoScalingSettings?.MaximumUnits],
      }));
      expect(replicas).toEqual([
        { region: US, status: 'ACTIVE', write: [5, 200], read: [undefined, undefined] },
        { region: EU, status: 'ACTIVE', write: [5, 200], read: [2, 50] },
      ]);
    }
    const refused = await refusal(s.usClient.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'users', ReplicaUpdates: [{ RegionName: 'ap-south-1', ReplicaProvisionedReadCapacityAutoScalingUpdate: readScaling }] })));
    expect(refused).toEqual({ name: 'ValidationException', message: 'One or more parameter values were invalid: Table users has no replica in region ap-south-1' });
  });
});
