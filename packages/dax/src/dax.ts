import type { Database } from '@magneto/core';
import { daxClient, type DaxClient, type DaxClientTarget } from './client-accelerator.js';
import { daxDatabase, type DaxDatabase } from './database-accelerator.js';
import type { DaxOptions } from './options.js';

/**
 * A DAX-style accelerator in front of `target`: DynamoDB Accelerator's item cache (GetItem, BatchGetItem)
 * and query cache (Query, Scan) with DAX's rules — eventually consistent reads only, per-cache TTL (5
 * minutes by default) and LRU memory budget, negative entries for items and results not found, and
 * write-through of PutItem, UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems into the item
 * cache (never the query cache). A write that does not go through the accelerator is not seen until the
 * entry expires, as with DAX. The target's errors pass through unchanged. See SEMANTICS.md.
 *
 * - `dax(db)` takes a `Database` and returns a `Database` whose item operations go through the caches
 *   (time is the Database's clock unless `options.clock` is given).
 * - `dax(client)` takes an AWS SDK v3 `DynamoDBClient` (in-process, over HTTP, or real DynamoDB) and returns
 *   a client of the same class sharing its configuration: unchanged `DynamoDBClient` code, and
 *   `DynamoDBDocumentClient.from(accelerated)`, get the caches, and a hit is answered before the SDK
 *   serializes, signs or sends anything. The target client itself stays uncached.
 *
 * @example
 * const clock = new ManualClock();
 * const db = new Database({ clock });
 * const cached = dax(db, { recordTtlMillis: 60_000 });
 * await db.createTable({
 *   TableName: 'users',
 *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
 *   BillingMode: 'PAY_PER_REQUEST',
 * });
 * await cached.putItem({ TableName: 'users', Item: { id: { S: 'ada' }, born: { N: '1815' } } });
 * await db.putItem({ TableName: 'users', Item: { id: { S: 'ada' }, born: { N: '1816' } } }); // around the cache
 * (await cached.getItem({ TableName: 'users', Key: { id: { S: 'ada' } } })).Item; // born 1815: stale
 * await clock.advance(60_000);
 * (await cached.getItem({ TableName: 'users', Key: { id: { S: 'ada' } } })).Item; // born 1816
 * cached.stats().ItemCacheHits; // 1
 */
export function dax(target: Database, options?: DaxOptions): DaxDatabase;
export function dax<C extends DaxClientTarget>(target: C, options?: DaxOptions): DaxClient<C>;
export function dax(target: Database | DaxClientTarget, options: DaxOptions = {}): DaxDatabase | DaxClient<DaxClientTarget> {
  // By shape, not class: an SDK client has a middleware stack; a Database (of either module build) does not.
  if ('middlewareStack' in target) return daxClient(target, options);
  return daxDatabase(target, options);
}
