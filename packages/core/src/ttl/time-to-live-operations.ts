import { ResourceInUseException, ResourceNotFoundException, ValidationException } from '../errors.js';
import type { TableView } from '../tables/table-view.js';
import { existingTtlOf, tableTtlOf, type TableTtl, type TimeToLiveStatus } from './table-ttl.js';
import { validateDescribeTimeToLiveInput, validateUpdateTimeToLiveInput } from './validate-time-to-live-input.js';

/** DynamoDB's TimeToLiveSpecification (UpdateTimeToLive's request and response). */
export interface TimeToLiveSpecification {
  Enabled: boolean;
  AttributeName: string;
}
export interface UpdateTimeToLiveInput {
  /** The table's name or ARN. */
  TableName: string;
  TimeToLiveSpecification: TimeToLiveSpecification;
}
export interface UpdateTimeToLiveOutput {
  TimeToLiveSpecification: TimeToLiveSpecification;
}
export interface DescribeTimeToLiveInput {
  /** The table's name or ARN. */
  TableName: string;
}
export interface TimeToLiveDescription {
  TimeToLiveStatus: TimeToLiveStatus;
  /** Absent while DISABLED. */
  AttributeName?: string;
}
export interface DescribeTimeToLiveOutput {
  TimeToLiveDescription: TimeToLiveDescription;
}

/** How often a table's TTL setting may change: once per hour (DynamoDB's documented interval). */
export const TTL_CHANGE_INTERVAL_MS = 60 * 60 * 1000;

/** What the operations need from the module: the clock, table lookup, and the effects of a change. */
export interface TimeToLiveHost {
  now(): number;
  /** The table a TableName (name or ARN) names, whatever its status. */
  findTable(nameOrArn: string): TableView | undefined;
  /** TTL was just enabled (status ENABLING) on the table. */
  enabled(table: TableView, state: TableTtl): void;
  /** TTL was just disabled (status DISABLING) on the table. */
  disabled(table: TableView, state: TableTtl): void;
}

function describableTable(host: TimeToLiveHost, name: string): TableView {
  const table = host.findTable(name);
  if (table === undefined) throw new ResourceNotFoundException(`Requested resource not found: Table: ${name} not found`);
  return table;
}

/**
 * UpdateTimeToLive: enables TTL on an attribute (ENABLING, then ENABLED) or disables it (DISABLING, then
 * DISABLED), and echoes the specification. Not idempotent, as on DynamoDB: the content of the request is
 * checked against the current setting first ("already enabled", "already disabled", "active on a
 * different AttributeName"), then the one-change-per-hour rule.
 */
export function updateTimeToLive(host: TimeToLiveHost, input: UpdateTimeToLiveInput): UpdateTimeToLiveOutput {
  validateUpdateTimeToLiveInput(input as unknown as Record<string, unknown>);
  const table = describableTable(host, input.TableName);
  // A table being created or deleted cannot change (UpdateTimeToLive declares ResourceInUseException).
  if (table.status === 'CREATING' || table.status === 'DELETING') {
    const doing = table.status === 'CREATING' ? 'created' : 'deleted';
    throw new ResourceInUseException(`Attempt to change a resource which is still in use: Table is being ${doing}: ${table.name}`);
  }
  const { Enabled: enable, AttributeName: attributeName } = input.TimeToLiveSpecification;
  // Read without creating one: a refused request leaves a table that never had TTL without a setting.
  const state = existingTtlOf(table) ?? NEVER_SET;
  const active = state.status === 'ENABLED' || state.status === 'ENABLING';
  if (enable && active) {
    throw attributeName === state.attributeName ? new ValidationException('TimeToLive is already enabled') : differentAttribute(state);
  }
  if (!enable && !active) throw new ValidationException('TimeToLive is already disabled');
  if (!enable && attributeName !== state.attributeName) throw differentAttribute(state);
  const now = host.now();
  if (state.changedAt !== undefined && now - state.changedAt < TTL_CHANGE_INTERVAL_MS) {
    throw new ValidationException('Time to live has been modified multiple times within a fixed interval');
  }
  const setting = tableTtlOf(table);
  setting.changedAt = now;
  if (enable) {
    setting.status = 'ENABLING';
    setting.attributeName = attributeName;
    host.enabled(table, setting);
  } else {
    setting.status = 'DISABLING';
    host.disabled(table, setting);
  }
  return { TimeToLiveSpecification: { Enabled: enable, AttributeName: attributeName } };
}

/** The setting of a table that never had TTL. */
const NEVER_SET: Readonly<TableTtl> = { status: 'DISABLED', attributeName: undefined, changedAt: undefined, cancelTransition: undefined };

function differentAttribute(state: TableTtl): ValidationException {
  return new ValidationException(`TimeToLive is active on a different AttributeName: current AttributeName is ${state.attributeName}`);
}

/** DescribeTimeToLive: the table's TimeToLiveStatus and, unless DISABLED, its TTL attribute. */
export function describeTimeToLive(host: TimeToLiveHost, input: DescribeTimeToLiveInput): DescribeTimeToLiveOutput {
  validateDescribeTimeToLiveInput(input as unknown as Record<string, unknown>);
  const table = describableTable(host, input.TableName);
  const state = existingTtlOf(table);
  if (state === undefined || state.status === 'DISABLED' || state.attributeName === undefined) {
    return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
  }
  return { TimeToLiveDescription: { TimeToLiveStatus: state.status, AttributeName: state.attributeName } };
}
