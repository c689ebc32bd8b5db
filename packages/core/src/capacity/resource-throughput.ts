import { KeyCeiling } from './key-ceiling.js';
import { OnDemandLimit } from './on-demand-limit.js';
import type { MetricSeries } from './capacity-metrics.js';
import type { LimitType, Refusal } from './throttling.js';
import { TokenBucket } from './token-bucket.js';

/** What limits one table or GSI in one direction, as DescribeTable and the module's options give it. */
export interface DirectionSettings {
  /** PROVISIONED: the provisioned units; PAY_PER_REQUEST: the initial units served (default, warm, or the former provisioned level). */
  readonly units: number;
  /** PAY_PER_REQUEST: OnDemandThroughput's maximum, if set. */
  readonly maxUnits?: number | undefined;
  /** PAY_PER_REQUEST: the per-table account quota. */
  readonly quotaUnits: number;
}

export interface ResourceSettings {
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  readonly read: DirectionSettings;
  readonly write: DirectionSettings;
  /** Seconds of unused provisioned capacity kept as burst credit. */
  readonly burstSeconds: number;
}

/** One direction's limit: a provisioned token bucket or an on-demand allowance. */
interface DirectionLimit {
  /** Why a request starting at `now` is refused, or undefined to admit it. O(1). */
  refusal(now: number): LimitType | undefined;
  /** Records `units` consumed at `now`. O(1). */
  charge(units: number, now: number): void;
}

/** Provisioned capacity: a token bucket refusing while empty. */
class ProvisionedLimit extends TokenBucket implements DirectionLimit {
  refusal(now: number): LimitType | undefined {
    return this.admits(now) ? undefined : 'ProvisionedThroughputExceeded';
  }
}

function limitOf(mode: ResourceSettings['billingMode'], settings: DirectionSettings, burstSeconds: number, now: number): DirectionLimit {
  return mode === 'PROVISIONED' ? new ProvisionedLimit(settings.units, burstSeconds, now) : new OnDemandLimit(settings.units, settings.maxUnits, settings.quotaUnits);
}

/**
 * The throughput of one table or global secondary index: a read and a write limit (token buckets when
 * provisioned, on-demand allowances otherwise), the per-partition-key ceiling, and its metrics. LSIs
 * share their table's throughput, so they have none of their own.
 */
export class ResourceThroughput {
  private read: DirectionLimit;
  private write: DirectionLimit;
  readonly keys: KeyCeiling;
  /** The last part of its ARN: a GSI's name (ConsumedCapacity's GlobalSecondaryIndexes key), or the table's. */
  readonly name: string;

  constructor(
    readonly resource: 'Table' | 'Index',
    readonly arn: string,
    /** The name of its partition key attribute (a GSI's own). */
    readonly partitionKey: string,
    private settings: ResourceSettings,
    maxTrackedKeys: number,
    /** Where what it consumes is counted, minute by minute. */
    readonly metrics: MetricSeries,
    now: number,
  ) {
    this.read = limitOf(settings.billingMode, settings.read, settings.burstSeconds, now);
    this.write = limitOf(settings.billingMode, settings.write, settings.burstSeconds, now);
    this.keys = new KeyCeiling(maxTrackedKeys, now);
    this.name = arn.slice(arn.lastIndexOf('/') + 1);
  }

  get billingMode(): ResourceSettings['billingMode'] {
    return this.settings.billingMode;
  }

  /** The provisioned (or initial on-demand) units of a direction, as set now. */
  units(write: boolean): number {
    return (write ? this.settings.write : this.settings.read).units;
  }

  /** Why a request in this direction (on `key`'s partition, if known) is refused at `now`, or undefined. O(1). */
  refusal(write: boolean, now: number, key: string | undefined): Refusal | undefined {
    const limit = (write ? this.write : this.read).refusal(now);
    if (limit !== undefined) return { resource: this.resource, arn: this.arn, write, limit, onDemand: this.settings.billingMode === 'PAY_PER_REQUEST' };
    if (key !== undefined && !this.keys.admits(key, now)) {
      return { resource: this.resource, arn: this.arn, write, limit: 'KeyRangeThroughputExceeded', onDemand: this.settings.billingMode === 'PAY_PER_REQUEST' };
    }
    return undefined;
  }

  /** Charges `units` consumed in a direction at `now` (and to `key`'s partition, if known). O(1). */
  charge(write: boolean, units: number, now: number, key: string | undefined): void {
    (write ? this.write : this.read).charge(units, now);
    if (key !== undefined) this.keys.charge(key, units, write, now);
  }

  /**
   * Applies new settings from `now` on, keeping what has been consumed: a provisioned bucket changes
   * rate (keeping its credit up to the new burst), an on-demand limit its initial units and maximum; a
   * switch of billing mode starts afresh (an on-demand table switched from provisioned starts from its
   * provisioned level: the caller passes it as the initial units).
   */
  update(settings: ResourceSettings, now: number): void {
    const switched = settings.billingMode !== this.settings.billingMode;
    this.settings = settings;
    this.read = switched ? limitOf(settings.billingMode, settings.read, settings.burstSeconds, now) : updated(this.read, settings.read, now);
    this.write = switched ? limitOf(settings.billingMode, settings.write, settings.burstSeconds, now) : updated(this.write, settings.write, now);
  }
}

function updated(direction: DirectionLimit, settings: DirectionSettings, now: number): DirectionLimit {
  if (direction instanceof ProvisionedLimit) direction.setRate(settings.units, now);
  else if (direction instanceof OnDemandLimit) {
    direction.initialUnits = settings.units;
    direction.maxUnits = settings.maxUnits;
    direction.quotaUnits = settings.quotaUnits;
  }
  return direction;
}
