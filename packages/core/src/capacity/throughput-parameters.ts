import { INVALID, ValidationException } from '../errors.js';
import type { ModuleContext } from '../modules/module.js';
import type { TableView } from '../tables/table-view.js';
import { ON_DEMAND_INITIAL_READ_UNITS, ON_DEMAND_INITIAL_WRITE_UNITS } from './table-capacity.js';

/** The module state key of a table's capacity settings (plain data: durable storage keeps it). */
export const CAPACITY_STATE_KEY = 'capacity';

/** A table's OnDemandThroughput and WarmThroughput as CreateTable / UpdateTable set them. */
export interface TableThroughputSettings {
  onDemand?: { MaxReadRequestUnits: number; MaxWriteRequestUnits: number };
  warm?: { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number };
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

/**
 * Claims CreateTable/UpdateTable's OnDemandThroughput (the most read and write request units an
 * on-demand table serves a second; -1: no maximum) and WarmThroughput (what it serves at once), and
 * shows both in the TableDescription as DynamoDB does: WarmThroughput always (at least the on-demand
 * initial 12,000 RRU / 4,000 WRU, or a provisioned table's units), OnDemandThroughput once set.
 * Only the table's own values: a GSI's are not modelled (it follows its table's mode with default limits).
 */
export function handleThroughputParameters(context: ModuleContext): void {
  context.handleTableParameter('OnDemandThroughput', {
    apply(table, value) {
      const given = structureOf('OnDemandThroughput', value);
      const read = units('OnDemandThroughput', 'MaxReadRequestUnits', given.MaxReadRequestUnits, true);
      const write = units('OnDemandThroughput', 'MaxWriteRequestUnits', given.MaxWriteRequestUnits, true);
      const current = settingsOf(table);
      const onDemand = { MaxReadRequestUnits: read ?? current.onDemand?.MaxReadRequestUnits ?? -1, MaxWriteRequestUnits: write ?? current.onDemand?.MaxWriteRequestUnits ?? -1 };
      table.setModuleState(CAPACITY_STATE_KEY, { ...current, onDemand });
    },
  });
  context.handleTableParameter('WarmThroughput', {
    apply(table, value) {
      const given = structureOf('WarmThroughput', value);
      const read = units('WarmThroughput', 'ReadUnitsPerSecond', given.ReadUnitsPerSecond, false);
      const write = units('WarmThroughput', 'WriteUnitsPerSecond', given.WriteUnitsPerSecond, false);
      const current = settingsOf(table);
      const warm = { ReadUnitsPerSecond: read ?? current.warm?.ReadUnitsPerSecond, WriteUnitsPerSecond: write ?? current.warm?.WriteUnitsPerSecond };
      table.setModuleState(CAPACITY_STATE_KEY, { ...current, warm });
    },
  });
  context.contributeTableDescription((table, description) => {
    const settings = settingsOf(table);
    if (settings.onDemand !== undefined) description.OnDemandThroughput = { ...settings.onDemand };
    const onDemand = (description.BillingModeSummary as { BillingMode?: string } | undefined)?.BillingMode === 'PAY_PER_REQUEST';
    const provisioned = description.ProvisionedThroughput as { ReadCapacityUnits: number; WriteCapacityUnits: number };
    description.WarmThroughput = {
      ReadUnitsPerSecond: Math.max(settings.warm?.ReadUnitsPerSecond ?? 0, onDemand ? ON_DEMAND_INITIAL_READ_UNITS : provisioned.ReadCapacityUnits),
      WriteUnitsPerSecond: Math.max(settings.warm?.WriteUnitsPerSecond ?? 0, onDemand ? ON_DEMAND_INITIAL_WRITE_UNITS : provisioned.WriteCapacityUnits),
      Status: 'ACTIVE',
    };
  });
}
