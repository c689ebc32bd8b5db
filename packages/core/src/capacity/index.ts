/**
 * `@magneto/core/capacity` — DynamoDB's throughput as an opt-in module (also exported from
 * `@magneto/core`): provisioned and on-demand capacity on the database clock, throttling with reasons,
 * per-minute metrics. A Database without it charges nothing.
 */
export { capacity, type CapacityOptions, type CapacityModule } from './capacity.js';
export type { MinuteMetrics, MetricsQuery } from './capacity-metrics.js';
export type { CapacityUnitsPair } from './capacity-settings.js';
