import { ValidationException } from '../errors.js';
import type { ModuleContext } from '../modules/module.js';
import {
  ObjectNotFoundException,
  parseResourceId,
  SCALABLE_DIMENSIONS,
  targetKey,
  type ScalableDimension,
  type ScalableTarget,
  type ScalingActivity,
  type ScalingPolicy,
  type TargetTrackingConfiguration,
  type TrackedTarget,
} from './auto-scaling-state.js';
import type { CapacityLedger } from './capacity-ledger.js';
import { checkDecreaseAllowed, recordDecrease } from './throughput-rules.js';

const MINUTE_MS = 60_000;
/** Target tracking's alarms: scale out after 2 minutes above the target, in after 15 minutes 20 points below it. */
const SCALE_OUT_MINUTES = 2;
const SCALE_IN_MINUTES = 15;
const SCALE_IN_MARGIN = 20;
/** The most scaling activities kept (newest first). */
const MAX_ACTIVITIES = 1000;

type Input = Record<string, unknown>;

function text(input: Input, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value.length === 0) throw new ValidationException(`1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function noTarget(resourceId: string, dimension: string): ObjectNotFoundException {
  return new ObjectNotFoundException(`No scalable target registered for service namespace: dynamodb, resource ID: ${resourceId}, scalable dimension: ${dimension}`);
}

/**
 * DynamoDB auto scaling, as Application Auto Scaling runs it: scalable targets (a table's or GSI's read
 * or write capacity between a minimum and a maximum) with target tracking policies, evaluated every
 * minute of the database clock against the consumed capacity the module measured. Scale out when
 * utilisation stayed above the target for 2 minutes (to consumed ÷ target, within the maximum, after
 * ScaleOutCooldown); scale in when it stayed 20 points below for 15 minutes (after ScaleInCooldown, and
 * only as the day's decrease allowance permits). Scaling is an UpdateTable made as the service.
 */
export class AutoScaling {
  private readonly targets = new Map<string, TrackedTarget>();
  private readonly activities: ScalingActivity[] = [];
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly context: ModuleContext,
    private readonly ledger: CapacityLedger,
  ) {
    context.onTableEvent((event) => {
      if (event.type !== 'deleted') return;
      for (const [key, tracked] of this.targets) if (parseResourceId(tracked.target.ResourceId)?.tableName === event.table.name) this.targets.delete(key);
    });
  }

  /** The targets (with their policies and last scalings) on `tableName` and its GSIs, as plain data for durable storage. */
  stateOf(tableName: string): unknown[] {
    const out: unknown[] = [];
    for (const tracked of this.targets.values()) {
      if (parseResourceId(tracked.target.ResourceId)?.tableName !== tableName) continue;
      // Plain data: creation times as ms.
      const { target, policy } = tracked;
      out.push({ ...tracked, target: { ...target, CreationTime: target.CreationTime.getTime() }, policy: policy && { ...structuredClone(policy), CreationTime: policy.CreationTime.getTime() } });
    }
    return out;
  }

  /** Puts back what stateOf returned, as the database opens, and resumes evaluating them. */
  restore(state: readonly unknown[]): void {
    for (const saved of state as Array<TrackedTarget & { target: { CreationTime: number }; policy?: { CreationTime: number } }>) {
      const target = { ...saved.target, CreationTime: new Date(saved.target.CreationTime) };
      const policy = saved.policy && { ...saved.policy, CreationTime: new Date(saved.policy.CreationTime) };
      this.targets.set(targetKey(target.ResourceId, target.ScalableDimension), { ...saved, target, policy });
    }
    if (this.targets.size > 0) this.arm();
  }

  /** RegisterScalableTarget: creates or updates a target (its minimum and maximum). */
  registerScalableTarget(input: Input): { ScalableTargetARN: string } {
    const { resourceId, dimension } = this.identify(input);
    const existing = this.targets.get(targetKey(resourceId, dimension));
    const min = input.MinCapacity ?? existing?.target.MinCapacity;
    const max = input.MaxCapacity ?? existing?.target.MaxCapacity;
    if (typeof min !== 'number' || typeof max !== 'number') throw new ValidationException('MinCapacity and MaxCapacity are required to register a new scalable target');
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1) throw new ValidationException('MinCapacity and MaxCapacity must be whole numbers of at least 1');
    if (min > max) throw new ValidationException('Minimum capacity cannot be greater than maximum capacity');
    const target: ScalableTarget = {
      ServiceNamespace: 'dynamodb',
      ResourceId: resourceId,
      ScalableDimension: dimension,
      MinCapacity: min,
      MaxCapacity: max,
      RoleARN: typeof input.RoleARN === 'string' ? input.RoleARN : (existing?.target.RoleARN ?? `arn:aws:iam::${this.context.accountId}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`),
      CreationTime: existing?.target.CreationTime ?? new Date(this.context.clock.now()),
      ScalableTargetARN: existing?.target.ScalableTargetARN ?? `arn:aws:application-autoscaling:${this.context.region}:${this.context.accountId}:scalable-target/${globalThis.crypto.randomUUID().replace(/-/g, '')}`,
    };
    this.targets.set(targetKey(resourceId, dimension), { target, policy: existing?.policy, lastScaleOut: existing?.lastScaleOut, lastScaling: existing?.lastScaling });
    this.arm();
    return { ScalableTargetARN: target.ScalableTargetARN };
  }

  /** DeregisterScalableTarget: removes a target and its policy. */
  deregisterScalableTarget(input: Input): Record<string, never> {
    const { resourceId, dimension } = this.identify(input);
    if (!this.targets.delete(targetKey(resourceId, dimension))) throw noTarget(resourceId, dimension);
    return {};
  }

  /** PutScalingPolicy: a target tracking policy on a registered target (one per target here). */
  putScalingPolicy(input: Input): { PolicyARN: string; Alarms: ScalingPolicy['Alarms'] } {
    const { resourceId, dimension } = this.identify(input);
    const name = text(input, 'PolicyName');
    const tracked = this.targets.get(targetKey(resourceId, dimension));
    if (tracked === undefined) throw noTarget(resourceId, dimension);
    if (input.PolicyType !== 'TargetTrackingScaling') throw new ValidationException('Only the TargetTrackingScaling policy type is supported for DynamoDB');
    const configuration = input.TargetTrackingScalingPolicyConfiguration as TargetTrackingConfiguration | undefined;
    const value = configuration?.TargetValue;
    if (typeof value !== 'number' || !(value > 0) || value > 100) throw new ValidationException('TargetTrackingScalingPolicyConfiguration.TargetValue must be a percentage above 0 and at most 100');
    const arn = `arn:aws:autoscaling:${this.context.region}:${this.context.accountId}:scalingPolicy:${globalThis.crypto.randomUUID()}:resource/dynamodb/${resourceId}:policyName/${name}`;
    const alarm = (kind: string) => {
      const alarmName = `TargetTracking-${resourceId}-${kind}-${globalThis.crypto.randomUUID()}`;
      return { AlarmName: alarmName, AlarmARN: `arn:aws:cloudwatch:${this.context.region}:${this.context.accountId}:alarm:${alarmName}` };
    };
    tracked.policy = {
      PolicyARN: arn,
      PolicyName: name,
      ServiceNamespace: 'dynamodb',
      ResourceId: resourceId,
      ScalableDimension: dimension,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { ...configuration! },
      Alarms: [alarm('AlarmHigh'), alarm('AlarmLow')],
      CreationTime: new Date(this.context.clock.now()),
    };
    return { PolicyARN: arn, Alarms: tracked.policy.Alarms };
  }

  /** DeleteScalingPolicy. */
  deleteScalingPolicy(input: Input): Record<string, never> {
    const { resourceId, dimension } = this.identify(input);
    const name = text(input, 'PolicyName');
    const tracked = this.targets.get(targetKey(resourceId, dimension));
    if (tracked?.policy?.PolicyName !== name) {
      throw new ObjectNotFoundException(`No scaling policy found for service namespace: dynamodb, resource ID: ${resourceId}, scalable dimension: ${dimension}, policy name: ${name}`);
    }
    tracked.policy = undefined;
    return {};
  }

  /** DescribeScalableTargets (filtered by ResourceIds and ScalableDimension). */
  describeScalableTargets(input: Input): { ScalableTargets: ScalableTarget[] } {
    this.namespace(input);
    return { ScalableTargets: this.matching(input).map((t) => ({ ...t.target })) };
  }

  /** DescribeScalingPolicies (filtered by ResourceId, ScalableDimension and PolicyNames). */
  describeScalingPolicies(input: Input): { ScalingPolicies: ScalingPolicy[] } {
    this.namespace(input);
    const names = Array.isArray(input.PolicyNames) ? (input.PolicyNames as unknown[]) : undefined;
    const policies = this.matching(input).flatMap((t) => (t.policy === undefined || (names !== undefined && !names.includes(t.policy.PolicyName)) ? [] : [{ ...t.policy }]));
    return { ScalingPolicies: policies };
  }

  /** DescribeScalingActivities (newest first; filtered by ResourceId and ScalableDimension). */
  describeScalingActivities(input: Input): { ScalingActivities: ScalingActivity[] } {
    this.namespace(input);
    const resourceId = input.ResourceId;
    const dimension = input.ScalableDimension;
    return {
      ScalingActivities: this.activities.filter((a) => (resourceId === undefined || a.ResourceId === resourceId) && (dimension === undefined || a.ScalableDimension === dimension)).map((a) => ({ ...a })),
    };
  }

  /** Evaluates every target's policy now (the module's timer calls this each minute of the clock). */
  evaluate(): void {
    const now = this.context.clock.now();
    for (const tracked of this.targets.values()) {
      if (tracked.policy !== undefined) this.track(tracked, tracked.policy.TargetTrackingScalingPolicyConfiguration, now);
    }
  }

  private track(tracked: TrackedTarget, policy: TargetTrackingConfiguration, now: number): void {
    const { target } = tracked;
    const resource = parseResourceId(target.ResourceId)!;
    const table = this.ledger.tableOf(resource.tableName);
    const throughput = table === undefined ? undefined : resource.indexName === undefined ? table.table : table.indexes.get(resource.indexName);
    if (table === undefined || throughput === undefined || throughput.billingMode !== 'PROVISIONED') return;
    const write = target.ScalableDimension.endsWith('WriteCapacityUnits');
    const current = throughput.units(write);
    // The last complete minutes, newest last: consumed units per second in each.
    const end = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const minutes = this.ledger.metrics
      .query(resource.tableName, { ...(resource.indexName === undefined ? {} : { indexName: resource.indexName }), from: end - SCALE_IN_MINUTES * MINUTE_MS, to: end }, now)
      .map((m) => (write ? m.ConsumedWriteCapacityUnits : m.ConsumedReadCapacityUnits) / 60);
    const utilisation = (perSecond: number) => (100 * perSecond) / current;
    const wanted = (perSecond: number) => Math.min(target.MaxCapacity, Math.max(target.MinCapacity, Math.ceil((perSecond * 100) / policy.TargetValue)));
    const recent = minutes.slice(-SCALE_OUT_MINUTES);
    let next: number | undefined;
    let cause = '';
    if (current < target.MinCapacity || current > target.MaxCapacity) {
      next = Math.min(target.MaxCapacity, Math.max(target.MinCapacity, current));
      cause = `the scalable target's capacity was outside its range [${target.MinCapacity}, ${target.MaxCapacity}]`;
    } else if (recent.length === SCALE_OUT_MINUTES && recent.every((perSecond) => utilisation(perSecond) > policy.TargetValue)) {
      const out = wanted(Math.max(...recent));
      const cooled = tracked.lastScaleOut === undefined || now - tracked.lastScaleOut >= (policy.ScaleOutCooldown ?? 0) * 1000;
      if (out > current && cooled) {
        next = out;
        cause = `monitor alarm ${this.policyAlarm(tracked, 0)} in state ALARM triggered policy ${tracked.policy!.PolicyName}`;
      }
    } else if (
      policy.DisableScaleIn !== true &&
      minutes.length === SCALE_IN_MINUTES &&
      minutes.every((perSecond) => utilisation(perSecond) < policy.TargetValue - SCALE_IN_MARGIN)
    ) {
      const average = minutes.reduce((sum, perSecond) => sum + perSecond, 0) / minutes.length;
      const cooled = tracked.lastScaling === undefined || now - tracked.lastScaling >= (policy.ScaleInCooldown ?? 0) * 1000;
      const scaleIn = wanted(average);
      if (scaleIn < current && cooled) {
        next = scaleIn;
        cause = `monitor alarm ${this.policyAlarm(tracked, 1)} in state ALARM triggered policy ${tracked.policy!.PolicyName}`;
      }
    }
    if (next === undefined || next === current) return;
    this.scale(tracked, resource, write, current, next, cause, now);
  }

  private policyAlarm(tracked: TrackedTarget, which: 0 | 1): string {
    return tracked.policy!.Alarms[which]!.AlarmName;
  }

  /** Sets the capacity as the service would (an UpdateTable), and records the activity. */
  private scale(tracked: TrackedTarget, resource: { tableName: string; indexName: string | undefined }, write: boolean, current: number, next: number, cause: string, now: number): void {
    const table = this.ledger.tableOf(resource.tableName)!;
    const throughput = resource.indexName === undefined ? table.table : table.indexes.get(resource.indexName)!;
    const units = { ReadCapacityUnits: write ? throughput.units(false) : next, WriteCapacityUnits: write ? next : throughput.units(true) };
    const decrease = next < current;
    let status: ScalingActivity['StatusCode'] = 'Successful';
    let message = 'Successfully set ' + (write ? 'write' : 'read') + ` capacity units to ${next}. Change successfully fulfilled by dynamodb.`;
    try {
      if (decrease && resource.indexName === undefined) checkDecreaseAllowed(table.view, now);
      const update =
        resource.indexName === undefined
          ? { TableName: resource.tableName, ProvisionedThroughput: units }
          : { TableName: resource.tableName, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: resource.indexName, ProvisionedThroughput: units } }] };
      this.context.execute('DynamoDB_20120810', 'UpdateTable', update);
      if (decrease && resource.indexName === undefined) recordDecrease(table.view, now);
      tracked.lastScaling = now;
      if (!decrease) tracked.lastScaleOut = now;
    } catch (error) {
      status = 'Failed';
      message = error instanceof Error ? error.message : String(error);
    }
    this.activities.unshift({
      ActivityId: globalThis.crypto.randomUUID(),
      ServiceNamespace: 'dynamodb',
      ResourceId: tracked.target.ResourceId,
      ScalableDimension: tracked.target.ScalableDimension,
      Description: `Setting ${write ? 'write' : 'read'} capacity units to ${next}.`,
      Cause: cause,
      StartTime: new Date(now),
      EndTime: new Date(now),
      StatusCode: status,
      StatusMessage: message,
    });
    if (this.activities.length > MAX_ACTIVITIES) this.activities.length = MAX_ACTIVITIES;
  }

  /** Evaluates at every minute boundary of the clock once a target is registered (no timer before). */
  private arm(): void {
    if (this.cancelTimer !== undefined) return;
    const tick = () => {
      this.cancelTimer = undefined;
      if (this.targets.size === 0) return;
      this.evaluate();
      this.arm();
    };
    const now = this.context.clock.now();
    this.cancelTimer = this.context.clock.setTimer(MINUTE_MS - (now % MINUTE_MS), tick);
  }

  private namespace(input: Input): void {
    if (input.ServiceNamespace !== 'dynamodb') throw new ValidationException('Unsupported service namespace, resource type or scalable dimension');
  }

  /** The request's target: namespace `dynamodb`, a ResourceId of an existing table (or GSI) and a dimension that fits it. */
  private identify(input: Input): { resourceId: string; dimension: ScalableDimension } {
    this.namespace(input);
    const resourceId = text(input, 'ResourceId');
    const dimension = text(input, 'ScalableDimension') as ScalableDimension;
    const resource = parseResourceId(resourceId);
    if (resource === undefined || !SCALABLE_DIMENSIONS.includes(dimension) || dimension.startsWith('dynamodb:index:') !== (resource.indexName !== undefined)) {
      throw new ValidationException('Unsupported service namespace, resource type or scalable dimension');
    }
    const table = this.ledger.tableOf(resource.tableName);
    if (table === undefined || (resource.indexName !== undefined && !table.indexes.has(resource.indexName))) {
      throw new ValidationException(`Requested resource not found: ${resourceId}`);
    }
    return { resourceId, dimension };
  }

  private matching(input: Input): TrackedTarget[] {
    const ids = Array.isArray(input.ResourceIds) ? (input.ResourceIds as unknown[]) : typeof input.ResourceId === 'string' ? [input.ResourceId] : undefined;
    const dimension = input.ScalableDimension;
    return [...this.targets.values()].filter((t) => (ids === undefined || ids.includes(t.target.ResourceId)) && (dimension === undefined || t.target.ScalableDimension === dimension));
  }
}
