import type { DatabaseModule } from '../modules/module.js';
import { hideExpiredFilter } from './hide-expired.js';
import type { PersistentModule } from '../persistence/persistent-module.js';
import { persistedTtlOf, type PersistedTtl } from './table-ttl.js';
import { Sweeper } from './sweeper.js';
import { describeTimeToLive, updateTimeToLive, type DescribeTimeToLiveInput, type UpdateTimeToLiveInput } from './time-to-live-operations.js';

/** Options of {@link ttl}. */
export interface TtlOptions {
  /** How often the sweeper deletes expired items, in ms of the database clock. Default 60 000 (one minute). */
  sweepIntervalMs?: number;
  /** The most items one sweep deletes; the rest wait for the next sweep. Default 10 000. */
  maxDeletesPerSweep?: number;
  /**
   * Hide items that have expired but are not deleted yet from GetItem, BatchGetItem, TransactGetItems,
   * Query and Scan (as if a filter removed them: Count drops, ScannedCount does not). Default false:
   * DynamoDB's behaviour, where expired items stay readable until deleted.
   */
  hideExpired?: boolean;
  /** How long ENABLING and DISABLING last, in ms of the database clock. Default 30 000. */
  transitionMs?: number;
}

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`ttl(): ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`);
  }
  return value;
}

/**
 * Time to Live: UpdateTimeToLive and DescribeTimeToLive, and a sweeper that deletes expired items the way
 * DynamoDB does. An item expires when its TTL attribute is a top-level Number of epoch seconds in the
 * past (not more than five years); the sweeper runs every `sweepIntervalMs` of the database clock and
 * deletes it as the service: no capacity, indexes updated, a REMOVE on the change feed with origin `ttl`
 * (so streams show `userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" }`). Until
 * then the item stays readable and writable (unless `hideExpired`).
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2024, 0, 1));
 * const db = new Database({ clock, modules: [ttl()] });
 * await db.createTable({
 *   TableName: 'sessions',
 *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
 *   BillingMode: 'PAY_PER_REQUEST',
 * });
 * await db.execute('DynamoDB_20120810', 'UpdateTimeToLive', {
 *   TableName: 'sessions',
 *   TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
 * });
 * await db.putItem({ TableName: 'sessions', Item: { id: { S: 's1' }, expiresAt: { N: String(clock.now() / 1000 + 7200) } } });
 * await clock.advance(2 * 60 * 60 * 1000 + 60_000); // the sweep after the expiry has deleted it
 */
export function ttl(options: TtlOptions = {}): DatabaseModule {
  const interval = positive('sweepIntervalMs', options.sweepIntervalMs, 60_000);
  const cap = positive('maxDeletesPerSweep', options.maxDeletesPerSweep, 10_000);
  const transitionMs = positive('transitionMs', options.transitionMs, 30_000, true);
  // The database this module object was installed into (a ttl() serves one Database).
  let installed: Sweeper | undefined;
  const module: DatabaseModule & PersistentModule = {
    name: 'ttl',
    // Durable storage keeps each table's TTL setting (the state holds a timer, so it goes as plain data).
    persistTableState: (table) => persistedTtlOf(table),
    restoreTableState: (table, state) => installed?.restore(table, state as PersistedTtl),
    install(context) {
      const sweeper = new Sweeper(context, interval, cap, transitionMs);
      installed = sweeper;
      const host = sweeper.host;
      context.addSavepointHook(() => sweeper.savepoint());
      context.registerOperation({ service: 'DynamoDB_20120810', name: 'UpdateTimeToLive', effect: 'catalog', handler: (input: UpdateTimeToLiveInput) => updateTimeToLive(host, input) });
      context.registerOperation({ service: 'DynamoDB_20120810', name: 'DescribeTimeToLive', effect: 'read', handler: (input: DescribeTimeToLiveInput) => describeTimeToLive(host, input) });
      if (options.hideExpired === true) context.addVisibilityFilter(hideExpiredFilter(context, (name) => sweeper.hidingCheck(name)));
    },
  };
  return module;
}
