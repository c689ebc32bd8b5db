import { INVALID, ValidationException } from '../errors.js';
import type { ModuleContext } from '../modules/module.js';
import type { TableView } from '../tables/table-view.js';
import { ON_DEMAND_INITIAL_READ_UNITS, ON_DEMAND_INITIAL_WRITE_UNITS } from './table-capacity.js';

/** The module state key of a table's capacity settings (plain data: durable storage keeps it). */
export const CAPACITY_STATE_KEY = 'capacity';

/** The OnDemandThroughput and WarmThroughput of a table or one GSI, as CreateTable / UpdateTable set them. */
interface ThroughputSettings {
  onDemand?: { MaxReadRequestUnits: number; MaxWriteRequestUnits: number };
  warm?: { ReadUnitsPerSecond?: number | undefined; WriteUnitsPerSecond?: number | undefined };
}

/** A table's settings, and its GSIs' by index name. */
export interface TableThroughputSettings extends ThroughputSettings {
  indexes?: Record<string, ThroughputSettings>;
}

function settingsOf(table: TableView): TableThroughputSettings {
  return (table.getModuleState(CAPACITY_STATE_KEY) as TableThroughputSettings | undefined) ?? {};
}

/** A member of OnDemandThroughput / WarmThroughput: absent, or a whole number ≥ 1 (-1 too, for a maximum: none). */
function units(structure: string, member: string, value: unknown, allowNone: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || (value < 1 && !(allowNone && value === -1))) {
    throw new ValidationException(`${INVALID}${structure}.${member} must be ${allowNone ? '-1 or ' : ''}a whole number of at least 1, got ${String(value)}`);
  }
  return value;
}

function structureOf(name: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationException(`${INVALID}${name} must be a structure`);
  return value as Record<string, unknown>;
}

/** `current` with a request's OnDemandThroughput and WarmThroughput (each member given replaces the one set; a maximum not set is -1: none). */
function applied(current: ThroughputSettings, onDemandValue: unknown, warmValue: unknown): ThroughputSettings {
  const next: ThroughputSettings = { ...current };
  if (onDemandValue !== undefined && onDemandValue !== null) {
    const given = structureOf('OnDemandThroughput', onDemandValue);
    const read = units('OnDemandThroughput', 'MaxReadRequestUnits', given.MaxReadRequestUnits, true);
    const write = units('OnDemandThroughput', 'MaxWriteRequestUnits', given.MaxWriteRequestUnits, true);
    next.onDemand = { MaxReadRequestUnits: read ?? current.onDemand?.MaxReadRequestUnits ?? -1, MaxWriteRequestUnits: write ?? current.onDemand?.MaxWriteRequestUnits ?? -1 };
  }
  if (warmValue !== undefined && warmValue !== null) {
    const given = structureOf('WarmThroughput', warmValue);
    const read = units('WarmThroughput', 'ReadUnitsPerSecond', given.ReadUnitsPerSecond, false);
    const write = units('WarmThroughput', 'WriteUnitsPerSecond', given.WriteUnitsPerSecond, false);
    next.warm = { ReadUnitsPerSecond: read ?? current.warm?.ReadUnitsPerSecond, WriteUnitsPerSecond: write ?? current.warm?.WriteUnitsPerSecond };
  }
  return next;
}

/** A GSI's settings in a CreateTable GlobalSecondaryIndexes member or an UpdateTable Create/Update action. */
interface IndexThroughput {
  IndexName?: unknown;
  OnDemandThroughput?: unknown;
  WarmThroughput?: unknown;
}

/** What a description shows as WarmThroughput: at least what the table or GSI serves at once (on-demand initial units, or its provisioned units). */
function warmDescription(settings: ThroughputSettings, onDemand: boolean, provisioned: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined): Record<string, unknown> {
  return {
    ReadUnitsPerSecond: Math.max(settings.warm?.ReadUnitsPerSecond ?? 0, onDemand ? ON_DEMAND_INITIAL_READ_UNITS : (provisioned?.ReadCapacityUnits ?? 0)),
    WriteUnitsPerSecond: Math.max(settings.warm?.WriteUnitsPerSecond ?? 0, onDemand ? ON_DEMAND_INITIAL_WRITE_UNITS : (provisioned?.WriteCapacityUnits ?? 0)),
    Status: 'ACTIVE',
  };
}

/**
 * Claims CreateTable/UpdateTable's OnDemandThroughput (the most read and write request units an
 * on-demand table serves a second; -1: no maximum) and WarmThroughput (what it serves at once), of the
 * table and of each GSI (CreateTable's GlobalSecondaryIndexes, UpdateTable's Create and Update actions),
 * and shows them in the TableDescription as DynamoDB does: WarmThroughput always (at least the on-demand
 * initial 12,000 RRU / 4,000 WRU, or a provisioned table's or GSI's units), OnDemandThroughput once set.
 * The table's capacity follows the description, so a GSI's maximum and warm units limit that GSI.
 */
export function handleThroughputParameters(context: ModuleContext): void {
  context.handleTableParameter('OnDemandThroughput', {
    apply(table, value) {
      table.setModuleState(CAPACITY_STATE_KEY, { ...settingsOf(table), ...applied(settingsOf(table), value, undefined) });
    },
  });
  context.handleTableParameter('WarmThroughput', {
    apply(table, value) {
      table.setModuleState(CAPACITY_STATE_KEY, { ...settingsOf(table), ...applied(settingsOf(table), undefined, value) });
    },
  });
  // A GSI's own settings: all checked before any is recorded (nothing half-applied).
  const applyIndexes = (table: TableView, actions: ReadonlyArray<{ index: IndexThroughput; replace: boolean } | { deleted: unknown }>): void => {
    const current = settingsOf(table);
    const indexes: Record<string, ThroughputSettings> = { ...current.indexes };
    for (const action of actions) {
      if ('deleted' in action) {
        if (typeof action.deleted === 'string') delete indexes[action.deleted];
        continue;
      }
      const { index, replace } = action;
      if (typeof index.IndexName !== 'string') continue;
      const next = applied(replace ? {} : (indexes[index.IndexName] ?? {}), index.OnDemandThroughput, index.WarmThroughput);
      if (next.onDemand === undefined && next.warm === undefined) delete indexes[index.IndexName];
      else indexes[index.IndexName] = next;
    }
    table.setModuleState(CAPACITY_STATE_KEY, { ...current, indexes });
  };
  context.handleTableParameter('GlobalSecondaryIndexes', {
    apply(table, value) {
      if (!Array.isArray(value)) return;
      applyIndexes(table, (value as Array<IndexThroughput | null>).filter((index) => index !== null && typeof index === 'object').map((index) => ({ index: index!, replace: true })));
    },
  });
  context.handleTableParameter('GlobalSecondaryIndexUpdates', {
    apply(table, value) {
      if (!Array.isArray(value)) return;
      const actions: Array<{ index: IndexThroughput; replace: boolean } | { deleted: unknown }> = [];
      for (const update of value as Array<{ Create?: IndexThroughput; Update?: IndexThroughput; Delete?: { IndexName?: unknown } } | null>) {
        if (update?.Create) actions.push({ index: update.Create, replace: true });
        if (update?.Update) actions.push({ index: update.Update, replace: false });
        if (update?.Delete) actions.push({ deleted: update.Delete.IndexName });
      }
      applyIndexes(table, actions);
    },
  });
  context.contributeTableDescription((table, description) => {
    const settings = settingsOf(table);
    if (settings.onDemand !== undefined) description.OnDemandThroughput = { ...settings.onDemand };
    const onDemand = (description.BillingModeSummary as { BillingMode?: string } | undefined)?.BillingMode === 'PAY_PER_REQUEST';
    description.WarmThroughput = warmDescription(settings, onDemand, description.ProvisionedThroughput as { ReadCapacityUnits: number; WriteCapacityUnits: number });
    const indexes = description.GlobalSecondaryIndexes as Array<Record<string, unknown>> | undefined;
    if (indexes === undefined) return;
    for (const index of indexes) {
      const own = settings.indexes?.[index.IndexName as string] ?? {};
      if (own.onDemand !== undefined) index.OnDemandThroughput = { ...own.onDemand };
      index.WarmThroughput = warmDescription(own, onDemand, index.ProvisionedThroughput as { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined);
    }
  });
}
