/**
 * `@magneto/core/ttl` — DynamoDB Time to Live as an opt-in module (also exported from `@magneto/core`):
 * a bundle that imports only this subpath and the Database pays for nothing else.
 */
export { ttl, type TtlOptions } from './ttl.js';
export type {
  UpdateTimeToLiveInput,
  UpdateTimeToLiveOutput,
  DescribeTimeToLiveInput,
  DescribeTimeToLiveOutput,
  TimeToLiveSpecification,
  TimeToLiveDescription,
} from './time-to-live-operations.js';
export type { TimeToLiveStatus } from './table-ttl.js';
