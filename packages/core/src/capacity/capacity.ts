import type { DatabaseModule } from '../modules/module.js';
import { admissionHook } from './admission-hook.js';
import { admittedBatchGet, admittedBatchWrite } from './batch-admission.js';
import { CapacityLedger } from './capacity-ledger.js';
import { CapacityMetrics, type MetricsQuery, type MinuteMetrics } from './capacity-metrics.js';
import type { CapacitySettings, CapacityUnitsPair } from './capacity-settings.js';
import type { PersistentModule } from '../persistence/persistent-module.js';
import { CAPACITY_STATE_KEY, handleThroughputParameters } from './throughput-parameters.js';
import { registerLimitsOperations } from './limits-operations.js';
import { DECREASES_STATE_KEY, throughputRules } from './throughput-rules.js';
import { SWITCHES_STATE_KEY } from './billing-mode-switches.js';
import { AutoScaling } from './auto-scaling.js';
import { registerAutoScalingOperations } from './auto-scaling-operations.js';
import { registerReplicaAutoScalingOperations } from './replica-auto-scaling.js';
import { ContributorInsights, type KeyCount, type Setting as InsightsSetting, type TopKeysQuery } from './contributor-insights.js';
import { registerContributorInsightsOperations } from './contributor-insights-operations.js';
import { costReportOf, DEFAULT_PRICES, type CostReport, type PriceTable, type TableClassName } from './cost-report.js';

/** Options of {@link capacity}. */
export interface CapacityOptions {
  /**
   * Throttle requests beyond the capacity (default true). False observes only: metrics and the
   * capacity reports, no request refused (what `magneto serve` does without `--enforce-capacity`).
   */
  enforce?: boolean;
  /** Seconds of unused provisioned capacity kept as burst credit (DynamoDB: 300). */
  burstSeconds?: number;
  /** The per-table quota, in units per second, reads and writes (DynamoDB's default: 40,000 each). */
  tableQuota?: CapacityUnitsPair;
  /** The account quota, in units per second, reads and writes (DynamoDB's default: 80,000 each). */
  accountQuota?: CapacityUnitsPair;
  /** The most partition keys tracked per table or GSI for the per-key ceiling (default 10,000; the oldest go first). */
  maxTrackedKeys?: number;
  /** How many minutes of metrics are kept (default 1,440: one day). */
  metricsWindowMinutes?: number;
  /** Contributor Insights: counters per minute of each sketch (default 100) and minutes kept (default 60). */
  contributorInsights?: { keysPerMinute?: number; windowMinutes?: number };
}

/** The `capacity()` module: install it into a Database, then read what it measured. */
export interface CapacityModule extends DatabaseModule, PersistentModule {
  /**
   * A table's (or one of its GSIs') metrics, minute by minute, over `[from, to)` of the database clock
   * (default: the kept window up to now): consumed read and write units, throttle events and throttled
   * requests by operation — CloudWatch's Sum per minute. Quiet minutes come back as zeros.
   */
  metrics(tableName: string, query?: MetricsQuery): MinuteMetrics[];
  /**
   * Auto scaling for a table's (or GSI's) read and/or write capacity: registers the scalable target and
   * its target tracking policy, as Application Auto Scaling's RegisterScalableTarget and PutScalingPolicy
   * do (the same targets that API shows and changes). Evaluated every minute of the database clock.
   */
  autoScaling(resource: { tableName: string; indexName?: string }, policy: AutoScalingPolicy): void;
  /**
   * Contributor Insights' most accessed (or, with `kind: 'throttled'`, most throttled) partition keys of
   * a table or GSI over `[from, to)`, most requests first, while UpdateContributorInsights has it on.
   */
  topKeys(tableName: string, query?: TopKeysQuery): KeyCount[];
  /**
   * What a table's workload over `[from, to)` of the clock costs in each table class — storage
   * GB-months, request units (on-demand) or capacity-unit hours (provisioned) — priced by `prices`
   * (default: {@link DEFAULT_PRICES}), and the cheaper class with the reason. Storage and provisioned
   * units are the table's now (their history is not kept); request units are the measured ones, within
   * the metrics window (`metricsWindowMinutes`: widen it to price longer periods).
   */
  costReport(tableName: string, period: { from: number; to: number; prices?: PriceTable }): CostReport;
}

/** What durable storage keeps of a table beside its module state: its auto scaling and Contributor Insights. */
interface PersistedTableState {
  autoScaling: unknown[];
  insights: Array<[string, InsightsSetting]>;
}

/** One direction's target tracking for {@link CapacityModule.autoScaling}. */
export interface TargetTracking {
  minCapacity: number;
  maxCapacity: number;
  /** The consumed ÷ provisioned percentage to keep (DynamoDB's console default: 70). */
  targetUtilization: number;
  /** Seconds after a scale-out before another (default 0). */
  scaleOutCooldownSeconds?: number;
  /** Seconds after any scaling before a scale-in (default 0). */
  scaleInCooldownSeconds?: number;
  /** Never scale in. */
  disableScaleIn?: boolean;
}

/** Auto scaling of a table's or GSI's read and write capacity; a direction left out is not scaled. */
export interface AutoScalingPolicy {
  read?: TargetTracking;
  write?: TargetTracking;
}

function positive(name: string, value: number | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`capacity(): ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`);
  }
  return value;
}

function pair(name: string, value: CapacityUnitsPair | undefined, fallback: number): CapacityUnitsPair {
  return {
    readCapacityUnits: positive(`${name}.readCapacityUnits`, value?.readCapacityUnits, fallback),
    writeCapacityUnits: positive(`${name}.writeCapacityUnits`, value?.writeCapacityUnits, fallback),
  };
}

/**
 * Capacity as DynamoDB enforces it, on the database clock. Provisioned tables and GSIs get read and
 * write token buckets refilled at their RCU/WCU per second, with up to 300 s of unused capacity kept as
 * burst credit; on-demand ones serve up to twice their previous peak (a new table 4,000 WRU / 12,000 RRU,
 * or its WarmThroughput), capped by OnDemandThroughput; no partition key gets more than 3,000 RCU or
 * 1,000 WCU a second. Each request is charged the capacity it consumed (eventually consistent reads
 * half, transactions double on the table, GSI writes to the GSI; a PartiQL statement as the operation it
 * runs as). A request over a limit is throttled before it runs
 * (it changes nothing) with ProvisionedThroughputExceededException or ThrottlingException and its
 * ThrottlingReasons; a batch returns its throttled part as UnprocessedKeys / UnprocessedItems. The AWS
 * SDK's own retries then succeed as the clock moves on. A database without this module charges nothing.
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2024, 0, 1));
 * const cap = capacity({ burstSeconds: 0 });
 * const db = new Database({ clock, modules: [cap] });
 * await db.createTable({
 *   TableName: 'orders',
 *   KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
 *   AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
 *   ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 2 },
 * });
 * await db.putItem({ TableName: 'orders', Item: { id: { S: 'a' } } });
 * await db.putItem({ TableName: 'orders', Item: { id: { S: 'b' } } });
 * try {
 *   await db.putItem({ TableName: 'orders', Item: { id: { S: 'c' } } });
 * } catch (e) {
 *   console.log(e.name, e.ThrottlingReasons[0].reason); // ProvisionedThroughputExceededException TableWriteProvisionedThroughputExceeded
 * }
 * await clock.advance(1000); // two more write units
 * await db.putItem({ TableName: 'orders', Item: { id: { S: 'c' } } });
 * console.log(cap.metrics('orders').at(-1)?.ConsumedWriteCapacityUnits); // 3
 */
export function capacity(options: CapacityOptions = {}): CapacityModule {
  const settings: CapacitySettings = {
    enforce: options.enforce ?? true,
    burstSeconds: positive('burstSeconds', options.burstSeconds, 300, true),
    tableQuota: pair('tableQuota', options.tableQuota, 40_000),
    accountQuota: pair('accountQuota', options.accountQuota, 80_000),
    maxTrackedKeys: positive('maxTrackedKeys', options.maxTrackedKeys, 10_000),
    metricsWindowMinutes: positive('metricsWindowMinutes', options.metricsWindowMinutes, 1440),
  };
  // The database this module object was installed into (a capacity() serves one Database).
  let installed: { ledger: CapacityLedger; scaling: AutoScaling; insights: ContributorInsights } | undefined;
  const state = () => {
    if (installed === undefined) throw new Error('capacity(): install the module into a Database first (new Database({ modules: [cap] }))');
    return installed;
  };
  return {
    name: 'capacity',
    // Durable storage keeps each table's OnDemandThroughput and WarmThroughput, decreases and switches (plain data).
    persistentTableState: [CAPACITY_STATE_KEY, DECREASES_STATE_KEY, SWITCHES_STATE_KEY],
    // Auto scaling targets and Contributor Insights settings live in the module; saved with their table.
    persistTableState(table) {
      if (installed === undefined) return undefined;
      const autoScaling = installed.scaling.stateOf(table.name);
      const insights = installed.insights.stateOf(table.name);
      return autoScaling.length === 0 && insights.length === 0 ? undefined : ({ autoScaling, insights } satisfies PersistedTableState);
    },
    restoreTableState(_table, state) {
      const { autoScaling, insights } = state as PersistedTableState;
      installed?.scaling.restore(autoScaling);
      installed?.insights.restore(insights);
    },
    install(context) {
      handleThroughputParameters(context);
      const metrics = new CapacityMetrics(settings.metricsWindowMinutes);
      const insights = new ContributorInsights(
        context,
        positive('contributorInsights.keysPerMinute', options.contributorInsights?.keysPerMinute, 100),
        positive('contributorInsights.windowMinutes', options.contributorInsights?.windowMinutes, 60),
      );
      const created = new CapacityLedger(context, settings, metrics, insights);
      const scaling = new AutoScaling(context, created);
      installed = { ledger: created, scaling, insights };
      registerContributorInsightsOperations(context, insights);
      registerAutoScalingOperations(context, scaling);
      registerReplicaAutoScalingOperations(context, created, scaling);
      context.addAdmissionHook(admissionHook(created, throughputRules(context, created)));
      registerLimitsOperations(context, settings);
      const batchGet = context.getOperation('DynamoDB_20120810', 'BatchGetItem');
      const batchWrite = context.getOperation('DynamoDB_20120810', 'BatchWriteItem');
      if (batchGet !== undefined) context.registerOperation(admittedBatchGet(created, batchGet));
      if (batchWrite !== undefined) context.registerOperation(admittedBatchWrite(created, batchWrite));
    },
    metrics(tableName, query = {}) {
      const { ledger } = state();
      return ledger.metrics.query(tableName, query, ledger.context.clock.now());
    },
    topKeys(tableName, query = {}) {
      return state().insights.topKeys(tableName, query);
    },
    costReport(tableName, { from, to, prices = DEFAULT_PRICES }) {
      const { ledger } = state();
      const described = ledger.context.execute('DynamoDB_20120810', 'DescribeTable', { TableName: tableName }) as {
        Table: {
          TableSizeBytes: number;
          BillingModeSummary: { BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST' };
          TableClassSummary?: { TableClass?: TableClassName };
          ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number };
          GlobalSecondaryIndexes?: Array<{ IndexName: string; IndexSizeBytes: number; ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number } }>;
          LocalSecondaryIndexes?: Array<{ IndexSizeBytes: number }>;
        };
      };
      const table = described.Table;
      const now = ledger.context.clock.now();
      const gsis = table.GlobalSecondaryIndexes ?? [];
      const minutes = [
        ...ledger.metrics.query(tableName, { from, to }, now),
        ...gsis.flatMap((g) => ledger.metrics.query(tableName, { indexName: g.IndexName, from, to }, now)),
      ];
      return costReportOf(
        {
          tableName,
          from,
          to,
          billingMode: table.BillingModeSummary.BillingMode,
          tableClass: table.TableClassSummary?.TableClass ?? 'STANDARD',
          sizeBytes: table.TableSizeBytes + gsis.reduce((n, g) => n + g.IndexSizeBytes, 0) + (table.LocalSecondaryIndexes ?? []).reduce((n, l) => n + l.IndexSizeBytes, 0),
          provisionedReadUnits: table.ProvisionedThroughput.ReadCapacityUnits + gsis.reduce((n, g) => n + g.ProvisionedThroughput.ReadCapacityUnits, 0),
          provisionedWriteUnits: table.ProvisionedThroughput.WriteCapacityUnits + gsis.reduce((n, g) => n + g.ProvisionedThroughput.WriteCapacityUnits, 0),
          minutes,
        },
        prices,
      );
    },
    autoScaling(resource, policy) {
      const { scaling, ledger } = state();
      const resourceId = resource.indexName === undefined ? `table/${resource.tableName}` : `table/${resource.tableName}/index/${resource.indexName}`;
      const kind = resource.indexName === undefined ? 'table' : 'index';
      for (const [direction, tracking] of [['Read', policy.read], ['Write', policy.write]] as const) {
        if (tracking === undefined) continue;
        const target = { ServiceNamespace: 'dynamodb', ResourceId: resourceId, ScalableDimension: `dynamodb:${kind}:${direction}CapacityUnits` };
        scaling.registerScalableTarget({ ...target, MinCapacity: tracking.minCapacity, MaxCapacity: tracking.maxCapacity });
        scaling.putScalingPolicy({
          ...target,
          PolicyName: `${direction}CapacityUtilization:${resourceId}`,
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: tracking.targetUtilization,
            PredefinedMetricSpecification: { PredefinedMetricType: `DynamoDB${direction}CapacityUtilization` },
            ScaleOutCooldown: tracking.scaleOutCooldownSeconds ?? 0,
            ScaleInCooldown: tracking.scaleInCooldownSeconds ?? 0,
            DisableScaleIn: tracking.disableScaleIn ?? false,
          },
        });
      }
      // Not a catalog operation: durable storage saves the table's entry (with its auto scaling) when told.
      ledger.context.catalogChanged(resource.tableName);
    },
  };
}
