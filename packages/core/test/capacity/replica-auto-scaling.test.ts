/**
 * capacity(): DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling for a single-region
 * table (its own region is its one replica), through the AWS SDK: the same scalable targets and policies
 * Application Auto Scaling's API shows.
 */
import { DescribeTableReplicaAutoScalingCommand, DynamoDBClient, UpdateTableReplicaAutoScalingCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

async function setup() {
  const db = new Database({ clock: new ManualClock(Date.UTC(2024, 0, 1)), modules: [capacity()] });
  await db.createTable({
    TableName: 'things',
    KeySchema: keys('pk'),
    AttributeDefinitions: attributes({ pk: 'S', email: 'S' }),
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    GlobalSecondaryIndexes: [{ IndexName: 'byEmail', KeySchema: keys('email'), Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }],
  });
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db) });
  return { db, client };
}

describe('capacity() › replica auto scaling (single region)', () => {
  it('updates and describes the table’s and its GSIs’ auto scaling in its own region', async () => {
    const { db, client } = await setup();
    const policy = (target: number) => ({ TargetTrackingScalingPolicyConfiguration: { TargetValue: target, ScaleInCooldown: 60, ScaleOutCooldown: 30, DisableScaleIn: false } });
    const updated = await client.send(
      new UpdateTableReplicaAutoScalingCommand({
        TableName: 'things',
        ProvisionedWriteCapacityAutoScalingUpdate: { MinimumUnits: 5, MaximumUnits: 50, ScalingPolicyUpdate: policy(60) },
        GlobalSecondaryIndexUpdates: [{ IndexName: 'byEmail', ProvisionedWriteCapacityAutoScalingUpdate: { MinimumUnits: 2, MaximumUnits: 20, ScalingPolicyUpdate: policy(70) } }],
        ReplicaUpdates: [{ RegionName: 'us-east-1', ReplicaProvisionedReadCapacityAutoScalingUpdate: { MinimumUnits: 5, MaximumUnits: 500, ScalingPolicyUpdate: policy(80) } }],
      }),
    );
    const described = await client.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'things' }));
    expect(described.TableAutoScalingDescription).toEqual(updated.TableAutoScalingDescription);
    const replica = described.TableAutoScalingDescription!.Replicas![0]!;
    expect(replica.RegionName).toBe('us-east-1');
    expect(replica.ReplicaProvisionedWriteCapacityAutoScalingSettings).toMatchObject({ MinimumUnits: 5, MaximumUnits: 50, AutoScalingDisabled: false });
    expect(replica.ReplicaProvisionedWriteCapacityAutoScalingSettings!.ScalingPolicies![0]!.TargetTrackingScalingPolicyConfiguration!.TargetValue).toBe(60);
    expect(replica.ReplicaProvisionedReadCapacityAutoScalingSettings).toMatchObject({ MinimumUnits: 5, MaximumUnits: 500 });
    expect(replica.GlobalSecondaryIndexes).toEqual([expect.objectContaining({ IndexName: 'byEmail', ProvisionedWriteCapacityAutoScalingSettings: expect.objectContaining({ MaximumUnits: 20 }) })]);
    // The same targets Application Auto Scaling's API shows.
    const targets = (await db.execute('AnyScaleFrontendService', 'DescribeScalableTargets', { ServiceNamespace: 'dynamodb' })) as { ScalableTargets: Array<{ ResourceId: string; ScalableDimension: string }> };
    expect(targets.ScalableTargets.map((t) => `${t.ResourceId} ${t.ScalableDimension}`).sort()).toEqual([
      'table/things dynamodb:table:ReadCapacityUnits',
      'table/things dynamodb:table:WriteCapacityUnits',
      'table/things/index/byEmail dynamodb:index:WriteCapacityUnits',
    ]);
  });

  it('answers ResourceNotFoundException for an unknown table and refuses another region', async () => {
    const { client } = await setup();
    await expect(client.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'nothing' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(client.send(new UpdateTableReplicaAutoScalingCommand({ TableName: 'things', ReplicaUpdates: [{ RegionName: 'eu-west-1' }] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
