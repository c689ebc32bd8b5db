import type { TableView } from '../tables/table-view.js';

/** DescribeTimeToLive's TimeToLiveStatus. */
export type TimeToLiveStatus = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';

/** One table's TTL setting, kept in its TableView (so it goes when the table goes). */
export interface TableTtl {
  status: TimeToLiveStatus;
  /** The TTL attribute while ENABLING, ENABLED or DISABLING; undefined once DISABLED. */
  attributeName: string | undefined;
  /** When UpdateTimeToLive last changed the setting (database clock), for the one-change-per-hour rule. */
  changedAt: number | undefined;
  /** Cancels the pending ENABLING → ENABLED or DISABLING → DISABLED step, if any. */
  cancelTransition: (() => void) | undefined;
}

const MODULE_STATE_KEY = 'ttl';

/** The table's TTL setting, or undefined if it never had one (DISABLED). */
export function existingTtlOf(table: TableView): TableTtl | undefined {
  return table.getModuleState(MODULE_STATE_KEY) as TableTtl | undefined;
}

/** The table's TTL setting (a fresh DISABLED one, kept on the table, if it never had TTL). */
export function tableTtlOf(table: TableView): TableTtl {
  let state = table.getModuleState(MODULE_STATE_KEY) as TableTtl | undefined;
  if (state === undefined) {
    state = { status: 'DISABLED', attributeName: undefined, changedAt: undefined, cancelTransition: undefined };
    table.setModuleState(MODULE_STATE_KEY, state);
  }
  return state;
}

/** A table's TTL setting as plain data, for durable storage. */
export interface PersistedTtl {
  readonly status: TimeToLiveStatus;
  readonly attributeName: string | null;
  readonly changedAt: number | null;
}

/** The table's TTL setting as plain data, or undefined if TTL was never set on it. */
export function persistedTtlOf(table: TableView): PersistedTtl | undefined {
  const state = table.getModuleState(MODULE_STATE_KEY) as TableTtl | undefined;
  if (state === undefined || (state.status === 'DISABLED' && state.changedAt === undefined)) return undefined;
  return { status: state.status, attributeName: state.attributeName ?? null, changedAt: state.changedAt ?? null };
}
