/**
 * `@magneto/core/capacity` — DynamoDB's throughput as an opt-in module (also exported from
 * `@magneto/core`): provisioned and on-demand capacity on the database clock, throttling with reasons,
 * per-minute metrics. A Database without it charges nothing.
 */
export { capacity, type CapacityOptions, type CapacityModule, type AutoScalingPolicy, type TargetTracking } from './capacity.js';
export { ObjectNotFoundException } from './auto-scaling-state.js';
export type { ScalableTarget, ScalingPolicy, ScalingActivity, ScalableDimension, TargetTrackingConfiguration } from './auto-scaling-state.js';
export type { DescribeLimitsOutput, DescribeEndpointsOutput } from './limits-operations.js';
export type { MinuteMetrics, MetricsQuery } from './capacity-metrics.js';
export type { CapacityUnitsPair } from './capacity-settings.js';
export type { TopKeysQuery, KeyCount, ContributorInsightsMode } from './contributor-insights.js';
export { DEFAULT_PRICES, type PriceTable, type ClassPrices, type ClassCost, type CostReport, type TableClassName } from './cost-report.js';
