import type { ModuleContext, TableDescription } from '@magneto/core';
import { globalTableStateOf } from './global-table-state.js';
import { applyCapacity, capacityOf, withOverrides, type CapacitySettings, type ReplicaOverrides } from './replica-capacity.js';
import type { ControlMessage } from './transport.js';

/** The table settings global tables (version 2019.11.21) keep equal across replicas, as one message. */
export type SettingsMessage = Extract<ControlMessage, { type: 'settings' }>;

interface SeenSettings {
  /** `attribute` when TTL is enabled (or enabling), '' when not. */
  readonly timeToLive: string;
  readonly indexes: ReadonlySet<string>;
  readonly capacity: CapacitySettings;
}

/**
 * Keeps the settings DynamoDB synchronizes between the replicas of a global table equal: Time to Live,
 * global secondary indexes (created or deleted in one region, then in every other), the billing mode,
 * write capacity (provisioned units, OnDemandThroughput's MaxWriteRequestUnits, per index too) and read
 * capacity where a replica has no override of its own. Table class and overridden read capacity stay per
 * replica (applied here by {@link applyOwnOverrides}). A change is noticed when the table's catalog entry
 * changes here and sent to every other replica, which applies it as its own UpdateTimeToLive /
 * UpdateTable (not sent on again).
 */
export class SettingsSync {
  private readonly seen = new Map<string, SeenSettings>();
  private applyingRemote = false;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly send: (peer: string, message: SettingsMessage) => void,
    private readonly report: (tableName: string, message: string) => void,
  ) {
    ctx.onCatalogChange((tableName) => this.catalogChanged(tableName));
  }

  private catalogChanged(tableName: string): void {
    const table = this.ctx.getTable(tableName);
    const state = table === undefined ? undefined : globalTableStateOf(table);
    if (table === undefined || state === undefined || table.status === 'DELETING') {
      this.seen.delete(tableName);
      return;
    }
    const now = this.settingsOf(tableName);
    const before = this.seen.get(tableName);
    this.seen.set(tableName, now);
    if (before === undefined || this.applyingRemote) return;
    const message: { -readonly [K in keyof SettingsMessage]: SettingsMessage[K] } = { type: 'settings', tableName };
    if (now.timeToLive !== before.timeToLive) {
      message.timeToLive = now.timeToLive === '' ? { Enabled: false, AttributeName: before.timeToLive } : { Enabled: true, AttributeName: now.timeToLive };
    }
    const created = [...now.indexes].filter((name) => !before.indexes.has(name));
    const deleted = [...before.indexes].filter((name) => !now.indexes.has(name));
    if (created.length > 0) {
      const description = this.describe(tableName);
      message.attributeDefinitions = description.AttributeDefinitions;
      message.createIndexes = (description.GlobalSecondaryIndexes ?? [])
        .filter((index) => created.includes(index.IndexName))
        .map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection }));
    }
    if (deleted.length > 0) message.deleteIndexes = deleted;
    if (JSON.stringify(now.capacity) !== JSON.stringify(before.capacity)) message.capacity = now.capacity;
    if (message.timeToLive === undefined && message.createIndexes === undefined && message.deleteIndexes === undefined && message.capacity === undefined) return;
    for (const peer of state.peersOf(this.ctx.region)) if (state.replicas.get(peer)?.witness !== true) this.send(peer, message);
  }

  private settingsOf(tableName: string): SeenSettings {
    const ttl = timeToLiveOf(this.ctx, tableName);
    const timeToLive = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING' ? (ttl.AttributeName ?? '') : '';
    const indexes = new Set(this.ctx.getTable(tableName)!.indexes.filter((index) => index.kind === 'GSI').map((index) => index.name));
    return { timeToLive, indexes, capacity: capacityOf(this.describe(tableName)) };
  }

  private describe(tableName: string): TableDescription {
    return (this.ctx.execute('DynamoDB_20120810', 'DescribeTable', { TableName: tableName }) as { Table: TableDescription }).Table;
  }

  /** Applies another replica's settings change to this region's table. */
  apply(message: SettingsMessage): void {
    this.catalogChanged(message.tableName);
    this.applyingRemote = true;
    try {
      const { tableName } = message;
      if (message.timeToLive !== undefined && this.settingsOf(tableName).timeToLive !== (message.timeToLive.Enabled ? message.timeToLive.AttributeName : '')) {
        this.run(tableName, 'UpdateTimeToLive', { TableName: tableName, TimeToLiveSpecification: message.timeToLive });
      }
      const indexes = this.settingsOf(tableName).indexes;
      const updates = [
        ...(message.createIndexes ?? []).filter((index) => !indexes.has(index.IndexName)).map((index) => ({ Create: index })),
        ...(message.deleteIndexes ?? []).filter((name) => indexes.has(name)).map((IndexName) => ({ Delete: { IndexName } })),
      ];
      // DynamoDB takes one index creation or deletion per UpdateTable.
      for (const update of updates) {
        this.run(tableName, 'UpdateTable', { TableName: tableName, ...('Create' in update ? { AttributeDefinitions: message.attributeDefinitions } : {}), GlobalSecondaryIndexUpdates: [update] });
      }
      if (message.capacity !== undefined) applyCapacity(this.ctx, tableName, withOverrides(message.capacity, this.ownOverrides(tableName)), (text) => this.report(tableName, text));
    } finally {
      this.appliedHere(message.tableName);
    }
  }

  /**
   * Applies this region's replica settings (ReplicaUpdates Create / Update: TableClassOverride and the read
   * overrides) to its own table, as DynamoDB does in the replica's region; not sent to the other replicas.
   * GSI OnDemandThroughputOverride is shown only: core keeps no per-index OnDemandThroughput.
   */
  applyOwnOverrides(tableName: string): void {
    const table = this.ctx.getTable(tableName);
    const overrides = this.ownOverrides(tableName);
    if (table === undefined || overrides === undefined || table.status !== 'ACTIVE') return;
    // A change of this region's own (an UpdateTable whose table just turned ACTIVE) goes out first.
    this.catalogChanged(tableName);
    this.applyingRemote = true;
    try {
      const tableClass = overrides.ReplicaTableClassSummary?.TableClass;
      const description = this.describe(tableName);
      if (tableClass !== undefined && (description.TableClassSummary?.TableClass ?? 'STANDARD') !== tableClass) this.run(tableName, 'UpdateTable', { TableName: tableName, TableClass: tableClass });
      applyCapacity(this.ctx, tableName, withOverrides(capacityOf(description), overrides), (text) => this.report(tableName, text));
    } finally {
      this.appliedHere(tableName);
    }
  }

  /**
   * After applying settings that are not this region's to send: what the table shows now is what was
   * last seen (ctx.execute does not tell catalog listeners, and a change noticed later must not go out).
   */
  private appliedHere(tableName: string): void {
    this.applyingRemote = false;
    const table = this.ctx.getTable(tableName);
    if (table !== undefined && this.seen.has(tableName) && table.status !== 'DELETING') this.seen.set(tableName, this.settingsOf(tableName));
  }

  private ownOverrides(tableName: string): ReplicaOverrides | undefined {
    const table = this.ctx.getTable(tableName);
    return (table === undefined ? undefined : globalTableStateOf(table))?.replicas.get(this.ctx.region)?.overrides as ReplicaOverrides | undefined;
  }

  private run(tableName: string, operation: string, input: Record<string, unknown>): void {
    try {
      this.ctx.execute('DynamoDB_20120810', operation, input);
    } catch (error) {
      this.report(tableName, error instanceof Error ? error.message : String(error));
    }
  }
}

/** A table's TimeToLiveDescription, or undefined when the database has no ttl() module. */
export function timeToLiveOf(ctx: ModuleContext, tableName: string): { TimeToLiveStatus?: string; AttributeName?: string } | undefined {
  try {
    return (ctx.execute('DynamoDB_20120810', 'DescribeTimeToLive', { TableName: tableName }) as { TimeToLiveDescription?: { TimeToLiveStatus?: string; AttributeName?: string } }).TimeToLiveDescription;
  } catch {
    // Core answers DescribeTimeToLive by naming the missing module: no TTL here.
    return undefined;
  }
}
