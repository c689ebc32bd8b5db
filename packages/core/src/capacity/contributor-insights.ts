import { ResourceNotFoundException, ValidationException } from '../errors.js';
import type { ModuleContext } from '../modules/module.js';
import { HeavyHitters } from './heavy-hitters.js';

const MINUTE_MS = 60_000;
const ACTIONS = ['ENABLE', 'DISABLE'];
const MODES = ['ACCESSED_AND_THROTTLED_KEYS', 'THROTTLED_KEYS'];

export type ContributorInsightsMode = 'ACCESSED_AND_THROTTLED_KEYS' | 'THROTTLED_KEYS';

/** What `topKeys()` is asked for. */
export interface TopKeysQuery {
  /** A GSI of the table (default: the table). */
  indexName?: string;
  /** `accessed` (default) or `throttled` partition keys. */
  kind?: 'accessed' | 'throttled';
  /** Start, inclusive (default: the window's start), and end, exclusive (default: now), in ms of the clock. */
  from?: number;
  to?: number;
  /** How many keys (default 10). */
  limit?: number;
  /**
   * The most accessed (or throttled) items by partition and sort key — DynamoDB's second pair of rules
   * for a table or GSI with a sort key (SKC / SKT) — instead of partition keys alone. Counted for
   * single-item requests (GetItem, PutItem, UpdateItem, DeleteItem).
   */
  sortKeys?: boolean;
}

/** One partition key (or item) and how many requests it had (an upper bound: the sketch may overcount by `overcount`). */
export interface KeyCount {
  key: string;
  /** The item's sort key, when asked for partition and sort keys (TopKeysQuery.sortKeys). */
  sortKey?: string;
  count: number;
  overcount: number;
}

export interface Setting {
  mode: ContributorInsightsMode;
  enabled: boolean;
  lastUpdate: number;
}

function enumMember(input: Record<string, unknown>, member: string, allowed: readonly string[], required: boolean): string | undefined {
  const value = input[member];
  const wire = member.charAt(0).toLowerCase() + member.slice(1);
  if (value === undefined || value === null) {
    if (required) throw new ValidationException(`1 validation error detected: Value null at '${wire}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new ValidationException(`1 validation error detected: Value '${String(value)}' at '${wire}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value;
}

/**
 * Contributor Insights: per table and GSI, when enabled (UpdateContributorInsights), the most accessed
 * and most throttled partition keys per minute of the clock, each minute in a heavy-hitters sketch of
 * `keysPerMinute` counters (bounded memory, not a counter per key), kept for `windowMinutes`.
 * THROTTLED_KEYS mode counts throttled keys only. A table or GSI with a sort key also has the items
 * (partition and sort key pairs) counted, as DynamoDB's SKC / SKT rules do.
 */
export class ContributorInsights {
  private readonly settings = new Map<string, Setting>();
  private readonly sketches = new Map<string, Map<number, HeavyHitters>>();
  /** Whether any table or index has Contributor Insights on (requests pay nothing otherwise). */
  active = false;

  constructor(
    private readonly context: ModuleContext,
    private readonly keysPerMinute: number,
    private readonly windowMinutes: number,
  ) {
    context.onTableEvent((event) => {
      if (event.type !== 'deleted') return;
      for (const resource of [...this.settings.keys()]) if (resource === event.table.name || resource.startsWith(`${event.table.name}/index/`)) this.settings.delete(resource);
      this.active = [...this.settings.values()].some((s) => s.enabled);
    });
  }

  /** The Contributor Insights settings of `tableName` and its GSIs (by resource), as plain data for durable storage. */
  stateOf(tableName: string): Array<[string, Setting]> {
    return [...this.settings].filter(([resource]) => resource === tableName || resource.startsWith(`${tableName}/index/`)).map(([resource, s]) => [resource, { ...s }]);
  }

  /** Puts back what stateOf returned, as the database opens (the keys counted before are not kept). */
  restore(state: ReadonlyArray<readonly [string, Setting]>): void {
    for (const [resource, setting] of state) this.settings.set(resource, { ...setting });
    this.active = [...this.settings.values()].some((s) => s.enabled);
  }

  /**
   * Counts a request on `key` (accessed) or a throttled one, if Contributor Insights is on for the
   * resource; with `sortKey`, also the item (its partition and sort key).
   */
  record(tableName: string, indexName: string | undefined, key: string, throttled: boolean, sortKey?: string): void {
    const resource = indexName === undefined ? tableName : `${tableName}/index/${indexName}`;
    const setting = this.settings.get(resource);
    if (setting === undefined || !setting.enabled) return;
    if (!throttled && setting.mode === 'THROTTLED_KEYS') return;
    const minute = Math.floor(this.context.clock.now() / MINUTE_MS) * MINUTE_MS;
    const kind = throttled ? 'throttled' : 'accessed';
    this.count(`${resource}|${kind}`, minute, key);
    if (sortKey !== undefined) this.count(`${resource}|${kind}|items`, minute, JSON.stringify([key, sortKey]));
  }

  /** Adds one to `key` in the sketch of `sketchKey`'s `minute`, starting it (and dropping minutes out of the window) if new. */
  private count(sketchKey: string, minute: number, key: string): void {
    let minutes = this.sketches.get(sketchKey);
    if (minutes === undefined) this.sketches.set(sketchKey, (minutes = new Map()));
    let sketch = minutes.get(minute);
    if (sketch === undefined) {
      for (const t of minutes.keys()) {
        if (t > minute - this.windowMinutes * MINUTE_MS) break;
        minutes.delete(t);
      }
      minutes.set(minute, (sketch = new HeavyHitters(this.keysPerMinute)));
    }
    sketch.add(key);
  }

  /** The top partition keys over `[from, to)`: the minutes' sketches merged, most requests first. */
  topKeys(tableName: string, query: TopKeysQuery): KeyCount[] {
    const resource = query.indexName === undefined ? tableName : `${tableName}/index/${query.indexName}`;
    const minutes = this.sketches.get(`${resource}|${query.kind ?? 'accessed'}${query.sortKeys === true ? '|items' : ''}`);
    const now = this.context.clock.now();
    const from = query.from ?? -Infinity;
    const to = query.to ?? now + 1;
    const merged = new Map<string, KeyCount>();
    for (const [minute, sketch] of minutes ?? []) {
      if (minute + MINUTE_MS <= from || minute >= to) continue;
      for (const [key, { count, error }] of sketch.entries()) {
        const total = merged.get(key);
        if (total === undefined) merged.set(key, { key, count, overcount: error });
        else {
          total.count += count;
          total.overcount += error;
        }
      }
    }
    const top = [...merged.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)).slice(0, query.limit ?? 10);
    if (query.sortKeys !== true) return top;
    return top.map(({ key, count, overcount }) => {
      const [partitionKey, sortKey] = JSON.parse(key) as [string, string];
      return { key: partitionKey, sortKey, count, overcount };
    });
  }

  /** UpdateContributorInsights. */
  update(input: Record<string, unknown>): Record<string, unknown> {
    const { tableName, indexName, resource } = this.resourceOf(input);
    const action = enumMember(input, 'ContributorInsightsAction', ACTIONS, true)!;
    const mode = (enumMember(input, 'ContributorInsightsMode', MODES, false) ?? this.settings.get(resource)?.mode ?? 'ACCESSED_AND_THROTTLED_KEYS') as ContributorInsightsMode;
    this.settings.set(resource, { mode, enabled: action === 'ENABLE', lastUpdate: this.context.clock.now() });
    this.active = [...this.settings.values()].some((s) => s.enabled);
    return {
      TableName: tableName,
      ...(indexName === undefined ? {} : { IndexName: indexName }),
      ContributorInsightsStatus: action === 'ENABLE' ? 'ENABLING' : 'DISABLING',
      ContributorInsightsMode: mode,
    };
  }

  /** DescribeContributorInsights. */
  describe(input: Record<string, unknown>): Record<string, unknown> {
    const { tableName, indexName, resource } = this.resourceOf(input);
    const setting = this.settings.get(resource);
    const out: Record<string, unknown> = { TableName: tableName, ...(indexName === undefined ? {} : { IndexName: indexName }) };
    if (setting === undefined) return { ...out, ContributorInsightsStatus: 'DISABLED' };
    out.ContributorInsightsStatus = setting.enabled ? 'ENABLED' : 'DISABLED';
    out.LastUpdateDateTime = new Date(setting.lastUpdate);
    out.ContributorInsightsMode = setting.mode;
    if (setting.enabled) {
      // PKC/PKT: most accessed/throttled partition keys; SKC/SKT: the same by partition and sort key, for a resource with a sort key.
      const suffix = `${indexName === undefined ? tableName : `${tableName}-${indexName}`}-${setting.lastUpdate}`;
      const rules = setting.mode === 'THROTTLED_KEYS' ? ['PKT'] : ['PKC', 'PKT'];
      if (this.hasSortKey(tableName, indexName)) rules.push(...(setting.mode === 'THROTTLED_KEYS' ? ['SKT'] : ['SKC', 'SKT']));
      out.ContributorInsightsRuleList = rules.map((rule) => `DynamoDBContributorInsights-${rule}-${suffix}`);
    }
    return out;
  }

  /** ListContributorInsights: every table and GSI with Contributor Insights on (or for one table). */
  list(input: Record<string, unknown>): Record<string, unknown> {
    const only = typeof input.TableName === 'string' ? this.context.tableNameOf(input.TableName) : undefined;
    const summaries = [];
    for (const [resource, setting] of this.settings) {
      if (!setting.enabled) continue;
      const [tableName, indexName] = resource.split('/index/') as [string, string | undefined];
      if (only !== undefined && tableName !== only) continue;
      summaries.push({ TableName: tableName, ...(indexName === undefined ? {} : { IndexName: indexName }), ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: setting.mode });
    }
    return { ContributorInsightsSummaries: summaries };
  }

  private hasSortKey(tableName: string, indexName: string | undefined): boolean {
    const table = this.context.getTable(tableName);
    const schema = indexName === undefined ? table?.keySchema : table?.indexes.find((i) => i.name === indexName)?.keySchema;
    return schema !== undefined && schema.sortKeys.length > 0;
  }

  private resourceOf(input: Record<string, unknown>): { tableName: string; indexName: string | undefined; resource: string } {
    if (typeof input.TableName !== 'string') throw new ValidationException("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    const tableName = this.context.tableNameOf(input.TableName);
    const table = this.context.getTable(tableName);
    if (table === undefined) throw new ResourceNotFoundException(`Requested resource not found: Table: ${input.TableName} not found`);
    const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
    if (indexName !== undefined && !table.indexes.some((i) => i.name === indexName)) throw new ResourceNotFoundException(`Requested resource not found: Index: ${indexName} not found`);
    return { tableName, indexName, resource: indexName === undefined ? tableName : `${tableName}/index/${indexName}` };
  }
}
