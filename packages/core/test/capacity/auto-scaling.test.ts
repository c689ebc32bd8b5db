/**
 * capacity(): auto scaling on the clock — target tracking raises a table's capacity after sustained
 * load and lowers it after the cooldown — configured through the module and through Application Auto
 * Scaling's own API with the unchanged `@aws-sdk/client-application-auto-scaling`.
 */
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  ObjectNotFoundException,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  ValidationException,
} from '@aws-sdk/client-application-auto-scaling';
import { describe, expect, it } from 'vitest';
import { capacity, createRequestHandler, Database, ManualClock } from '@magneto/core';
import { attributes, keys } from '../support/tables.js';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

async function setup() {
  const clock = new ManualClock(START);
  const cap = capacity();
  const db = new Database({ clock, modules: [cap] });
  await db.createTable({ TableName: 'orders', KeySchema: keys('pk'), AttributeDefinitions: attributes({ pk: 'S' }), ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 } });
  const units = async () => (await db.describeTable({ TableName: 'orders' })).Table.ProvisionedThroughput;
  /** Writes `perSecond` 1 KB items a second for a minute (spread over the minute's seconds). */
  const load = async (perSecond: number) => {
    for (let second = 0; second < 60; second++) {
      for (let i = 0; i < perSecond; i++) await db.putItem({ TableName: 'orders', Item: { pk: { S: `k${second}-${i}` } } });
      await clock.advance(1000);
    }
  };
  return { clock, cap, db, units, load };
}

describe('capacity() › auto scaling', () => {
  it('raises write capacity after two minutes above the target, and lowers it after 15 quiet minutes and the cooldown', async () => {
    const { clock, cap, units, load } = await setup();
    cap.autoScaling({ tableName: 'orders' }, { write: { minCapacity: 5, maxCapacity: 100, targetUtilization: 70, scaleInCooldownSeconds: 1200 } });
    await load(10); // 100 % of 10 WCU
    expect((await units()).WriteCapacityUnits).toBe(10); // one minute above the target is not enough
    await load(10);
    await clock.advance(1); // the minute boundary's evaluation
    expect((await units()).WriteCapacityUnits).toBe(15); // ceil(10 / 0.70)
    expect((await units()).ReadCapacityUnits).toBe(10);
    await clock.advance(15 * MINUTE);
    expect((await units()).WriteCapacityUnits).toBe(15); // quiet for 15 minutes, but within the 20-minute cooldown
    await clock.advance(6 * MINUTE);
    expect((await units()).WriteCapacityUnits).toBe(5); // scaled in to the minimum
  });

  it('serves Application Auto Scaling through the unchanged SDK client: targets, policies, activities, errors', async () => {
    const { clock, db, units } = await setup();
    const client = new ApplicationAutoScalingClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: createRequestHandler(db), maxAttempts: 1 });
    const target = { ServiceNamespace: 'dynamodb' as const, ResourceId: 'table/orders', ScalableDimension: 'dynamodb:table:ReadCapacityUnits' as const };
    const registered = await client.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 10, MaxCapacity: 50 }));
    expect(registered.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:/);
    await client.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: 'reads',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' } },
      }),
    );
    const targets = await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb', ResourceIds: ['table/orders'] }));
    expect(targets.ScalableTargets).toMatchObject([{ ...target, MinCapacity: 10, MaxCapacity: 50 }]);
    expect(targets.ScalableTargets![0]!.CreationTime).toEqual(new Date(START));
    const policies = await client.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/orders' }));
    expect(policies.ScalingPolicies).toMatchObject([{ PolicyName: 'reads', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 50 } }]);

    // Reads at 8 a second (80 % of 10 RCU) for two minutes scale reads out to 16.
    for (let minute = 0; minute < 2; minute++) {
      for (let second = 0; second < 60; second++) {
        for (let i = 0; i < 8; i++) await db.getItem({ TableName: 'orders', Key: { pk: { S: 'a' } }, ConsistentRead: true });
        await clock.advance(1000);
      }
    }
    await clock.advance(1);
    expect((await units()).ReadCapacityUnits).toBe(16);
    const activities = await client.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'dynamodb', ResourceId: 'table/orders' }));
    expect(activities.ScalingActivities).toMatchObject([{ ...target, Description: 'Setting read capacity units to 16.', StatusCode: 'Successful' }]);

    await expect(client.send(new DeleteScalingPolicyCommand({ ...target, PolicyName: 'other' }))).rejects.toThrow(ObjectNotFoundException);
    await client.send(new DeleteScalingPolicyCommand({ ...target, PolicyName: 'reads' }));
    await client.send(new DeregisterScalableTargetCommand(target));
    const error = await client.send(new DeregisterScalableTargetCommand(target)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectNotFoundException);
    expect((error as Error).message).toBe('No scalable target registered for service namespace: dynamodb, resource ID: table/orders, scalable dimension: dynamodb:table:ReadCapacityUnits');
    await expect(client.send(new RegisterScalableTargetCommand({ ...target, ServiceNamespace: 'ecs', MinCapacity: 1, MaxCapacity: 2 }))).rejects.toThrow(ValidationException);
    await expect(client.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 5, MaxCapacity: 2 }))).rejects.toThrow('Minimum capacity cannot be greater than maximum capacity');
    await expect(client.send(new RegisterScalableTargetCommand({ ...target, ResourceId: 'table/missing', MinCapacity: 1, MaxCapacity: 2 }))).rejects.toThrow(ValidationException);
    expect((await client.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }))).ScalableTargets).toEqual([]);
  });
});
