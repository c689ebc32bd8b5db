import { DynamoDBError } from '../errors.js';

/** Application Auto Scaling's dimensions for DynamoDB: a table's or a GSI's read or write capacity. */
export type ScalableDimension = 'dynamodb:table:ReadCapacityUnits' | 'dynamodb:table:WriteCapacityUnits' | 'dynamodb:index:ReadCapacityUnits' | 'dynamodb:index:WriteCapacityUnits';

export const SCALABLE_DIMENSIONS: readonly ScalableDimension[] = [
  'dynamodb:table:ReadCapacityUnits',
  'dynamodb:table:WriteCapacityUnits',
  'dynamodb:index:ReadCapacityUnits',
  'dynamodb:index:WriteCapacityUnits',
];

/** A registered scalable target (RegisterScalableTarget), as DescribeScalableTargets shows it. */
export interface ScalableTarget {
  ServiceNamespace: 'dynamodb';
  /** `table/<name>` or `table/<name>/index/<index>`. */
  ResourceId: string;
  ScalableDimension: ScalableDimension;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  CreationTime: Date;
  ScalableTargetARN: string;
}

/** A target tracking policy's configuration (the only policy type DynamoDB auto scaling uses). */
export interface TargetTrackingConfiguration {
  TargetValue: number;
  PredefinedMetricSpecification?: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' | 'DynamoDBWriteCapacityUtilization' };
  /** Seconds after a scale-out before another (default 0). */
  ScaleOutCooldown?: number;
  /** Seconds after any scaling before a scale-in (default 0). */
  ScaleInCooldown?: number;
  DisableScaleIn?: boolean;
}

/** A scaling policy (PutScalingPolicy), as DescribeScalingPolicies shows it. */
export interface ScalingPolicy {
  PolicyARN: string;
  PolicyName: string;
  ServiceNamespace: 'dynamodb';
  ResourceId: string;
  ScalableDimension: ScalableDimension;
  PolicyType: 'TargetTrackingScaling';
  TargetTrackingScalingPolicyConfiguration: TargetTrackingConfiguration;
  Alarms: Array<{ AlarmName: string; AlarmARN: string }>;
  CreationTime: Date;
}

/** One scaling activity, as DescribeScalingActivities shows it (newest first). */
export interface ScalingActivity {
  ActivityId: string;
  ServiceNamespace: 'dynamodb';
  ResourceId: string;
  ScalableDimension: ScalableDimension;
  Description: string;
  Cause: string;
  StartTime: Date;
  EndTime: Date;
  StatusCode: 'Successful' | 'Failed';
  StatusMessage: string;
}

/** A target with its policy and what target tracking remembers between evaluations. */
export interface TrackedTarget {
  target: ScalableTarget;
  policy: ScalingPolicy | undefined;
  /** When this target last scaled out / scaled at all (ms of the clock). */
  lastScaleOut: number | undefined;
  lastScaling: number | undefined;
}

/** Application Auto Scaling's ObjectNotFoundException: no such scalable target or policy. */
export class ObjectNotFoundException extends DynamoDBError {
  override readonly name = 'ObjectNotFoundException';
  readonly typePrefix = 'com.amazonaws.applicationautoscaling';
}

/** The key of a target: its resource and dimension. */
export function targetKey(resourceId: string, dimension: string): string {
  return `${resourceId}|${dimension}`;
}

/** The table and (for a GSI) index a ResourceId names, or undefined when it is not `table/<t>` or `table/<t>/index/<i>`. */
export function parseResourceId(resourceId: string): { tableName: string; indexName: string | undefined } | undefined {
  const match = /^table\/([^/]+)(?:\/index\/([^/]+))?$/.exec(resourceId);
  return match === null ? undefined : { tableName: match[1]!, indexName: match[2] };
}
