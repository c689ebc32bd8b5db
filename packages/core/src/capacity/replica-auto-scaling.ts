import { ResourceNotFoundException, ValidationException } from '../errors.js';
import type { ModuleContext } from '../modules/module.js';
import type { AutoScaling } from './auto-scaling.js';
import type { CapacityLedger } from './capacity-ledger.js';

type Input = Record<string, unknown>;

function record(value: unknown): Input | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Input) : undefined;
}

/**
 * DescribeTableReplicaAutoScaling and UpdateTableReplicaAutoScaling for the table's own region (the
 * one replica a single-region table has): the same scalable targets and target tracking policies
 * Application Auto Scaling's API and `cap.autoScaling()` manage, shown and changed in DynamoDB's shapes.
 */
export function registerReplicaAutoScalingOperations(context: ModuleContext, ledger: CapacityLedger, scaling: AutoScaling): void {
  const tableOf = (input: Input) => {
    const name = input.TableName;
    if (typeof name !== 'string') throw new ValidationException("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    const table = ledger.tableOf(name);
    if (table === undefined) throw new ResourceNotFoundException(`Requested resource not found: Table: ${name} not found`);
    return table;
  };

  /** A resource's AutoScalingSettingsDescription, or undefined when it has no scalable target. */
  const settingsOf = (resourceId: string, dimension: string) => {
    const query = { ServiceNamespace: 'dynamodb', ResourceIds: [resourceId], ScalableDimension: dimension };
    const target = scaling.describeScalableTargets(query).ScalableTargets[0];
    if (target === undefined) return undefined;
    const policies = scaling.describeScalingPolicies({ ServiceNamespace: 'dynamodb', ResourceId: resourceId, ScalableDimension: dimension }).ScalingPolicies;
    return {
      MinimumUnits: target.MinCapacity,
      MaximumUnits: target.MaxCapacity,
      AutoScalingDisabled: false,
      AutoScalingRoleArn: target.RoleARN,
      ScalingPolicies: policies.map((p) => {
        const { TargetValue, DisableScaleIn, ScaleInCooldown, ScaleOutCooldown } = p.TargetTrackingScalingPolicyConfiguration;
        return { PolicyName: p.PolicyName, TargetTrackingScalingPolicyConfiguration: { TargetValue, DisableScaleIn, ScaleInCooldown, ScaleOutCooldown } };
      }),
    };
  };

  const describe = (input: Input) => {
    const table = tableOf(input);
    const view = table.view;
    const tableId = `table/${view.name}`;
    return {
      TableAutoScalingDescription: {
        TableName: view.name,
        TableStatus: view.status,
        Replicas: [
          {
            RegionName: context.region,
            ReplicaStatus: 'ACTIVE',
            ReplicaProvisionedReadCapacityAutoScalingSettings: settingsOf(tableId, 'dynamodb:table:ReadCapacityUnits'),
            ReplicaProvisionedWriteCapacityAutoScalingSettings: settingsOf(tableId, 'dynamodb:table:WriteCapacityUnits'),
            GlobalSecondaryIndexes: view.indexes
              .filter((index) => index.kind === 'GSI')
              .map((index) => ({
                IndexName: index.name,
                IndexStatus: index.status,
                ProvisionedReadCapacityAutoScalingSettings: settingsOf(`${tableId}/index/${index.name}`, 'dynamodb:index:ReadCapacityUnits'),
                ProvisionedWriteCapacityAutoScalingSettings: settingsOf(`${tableId}/index/${index.name}`, 'dynamodb:index:WriteCapacityUnits'),
              })),
          },
        ],
      },
    };
  };

  /** Applies one AutoScalingSettingsUpdate to a resource's read or write capacity. */
  const apply = (resourceId: string, kind: 'table' | 'index', direction: 'Read' | 'Write', update: unknown) => {
    const settings = record(update);
    if (settings === undefined) return;
    const target = { ServiceNamespace: 'dynamodb', ResourceId: resourceId, ScalableDimension: `dynamodb:${kind}:${direction}CapacityUnits` };
    if (settings.AutoScalingDisabled === true) {
      if (scaling.describeScalableTargets({ ...target, ResourceIds: [resourceId] }).ScalableTargets.length > 0) scaling.deregisterScalableTarget(target);
      return;
    }
    scaling.registerScalableTarget({ ...target, MinCapacity: settings.MinimumUnits, MaxCapacity: settings.MaximumUnits, RoleARN: settings.AutoScalingRoleArn });
    const policy = record(settings.ScalingPolicyUpdate);
    if (policy === undefined) return;
    const configuration = record(policy.TargetTrackingScalingPolicyConfiguration) ?? {};
    scaling.putScalingPolicy({
      ...target,
      PolicyName: policy.PolicyName ?? `${direction}CapacityUtilization:${resourceId}`,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { ...configuration, PredefinedMetricSpecification: { PredefinedMetricType: `DynamoDB${direction}CapacityUtilization` } },
    });
  };

  const update = (input: Input) => {
    const view = tableOf(input).view;
    const tableId = `table/${view.name}`;
    const replicas = Array.isArray(input.ReplicaUpdates) ? input.ReplicaUpdates.map(record) : [];
    for (const replica of replicas) {
      if (replica !== undefined && replica.RegionName !== context.region) {
        throw new ValidationException(`One or more parameter values were invalid: Table ${view.name} has no replica in region ${String(replica.RegionName)}`);
      }
    }
    apply(tableId, 'table', 'Write', input.ProvisionedWriteCapacityAutoScalingUpdate);
    for (const index of Array.isArray(input.GlobalSecondaryIndexUpdates) ? input.GlobalSecondaryIndexUpdates.map(record) : []) {
      if (typeof index?.IndexName === 'string') apply(`${tableId}/index/${index.IndexName}`, 'index', 'Write', index.ProvisionedWriteCapacityAutoScalingUpdate);
    }
    for (const replica of replicas) {
      apply(tableId, 'table', 'Read', replica?.ReplicaProvisionedReadCapacityAutoScalingUpdate);
      for (const index of Array.isArray(replica?.ReplicaGlobalSecondaryIndexUpdates) ? replica.ReplicaGlobalSecondaryIndexUpdates.map(record) : []) {
        if (typeof index?.IndexName === 'string') apply(`${tableId}/index/${index.IndexName}`, 'index', 'Read', index.ProvisionedReadCapacityAutoScalingUpdate);
      }
    }
    return describe(input);
  };

  context.registerOperation({ service: 'DynamoDB_20120810', name: 'DescribeTableReplicaAutoScaling', effect: 'read', handler: describe });
  context.registerOperation({ service: 'DynamoDB_20120810', name: 'UpdateTableReplicaAutoScaling', effect: 'catalog', handler: update });
}
