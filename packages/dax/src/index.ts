/**
 * @magneto/dax — a DAX-style accelerator: DynamoDB Accelerator's item and query caches, with DAX's
 * semantics, in front of a Magneto Database or any AWS SDK v3 DynamoDBClient.
 *
 * @example
 * import { Database } from '@magneto/core';
 * import { dax } from '@magneto/dax';
 * const cached = dax(new Database());
 */
export { dax } from './dax.js';
export type { DaxOptions } from './options.js';
export type { DaxDatabase } from './database-accelerator.js';
export type { DaxClient, DaxClientTarget } from './client-accelerator.js';
export type { DaxStats, DaxCacheStats, DaxTableStats, DaxCacheMetric, DaxRequestMetric } from './stats.js';
