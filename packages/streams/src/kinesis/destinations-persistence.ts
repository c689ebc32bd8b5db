import type { TableView } from '@magneto/core';
import type { ApproximateCreationDateTimePrecision } from './kinesis-record.js';
import { destinationsOf, ensureDestinations, type DestinationStatus } from './destination-state.js';
import type { DestinationsRuntime } from './destinations-runtime.js';

/**
 * Kinesis streaming destinations on durable storage: each table's destinations (stream ARN, status,
 * precision, failure description) persist with the table. The Kinesis data streams themselves are
 * in-process stand-ins created with `kinesis.createStream`, and their records do not persist: after a
 * restart, create the stream again (same name, same ARN) and an ACTIVE destination delivers to it again
 * (until then its changes go nowhere, as with a deleted Kinesis stream on AWS).
 */
export interface PersistedDestination {
  readonly streamArn: string;
  readonly status: DestinationStatus;
  readonly description: string | null;
  readonly precision: ApproximateCreationDateTimePrecision | null;
}

/** The table's destinations as plain data (undefined when it never had one). */
export function persistDestinations(table: TableView): PersistedDestination[] | undefined {
  const state = destinationsOf(table);
  if (state === undefined || state.entries.length === 0) return undefined;
  return state.entries.map((d) => ({ streamArn: d.streamArn, status: d.status, description: d.description ?? null, precision: d.precision ?? null }));
}

/** Where a transition caught by the restart ends (its timer did not survive): as if it had completed. */
const SETTLED: Partial<Record<DestinationStatus, DestinationStatus>> = { ENABLING: 'ACTIVE', UPDATING: 'ACTIVE', DISABLING: 'DISABLED' };

/** Puts a table's destinations back (delivery resumes at `resumeDestinations`, once the table is live). */
export function restoreDestinations(table: TableView, persisted: readonly PersistedDestination[]): void {
  const state = ensureDestinations(table);
  state.entries.length = 0;
  for (const d of persisted) {
    state.entries.push({
      streamArn: d.streamArn,
      status: SETTLED[d.status] ?? d.status,
      description: d.description ?? undefined,
      precision: d.precision ?? undefined,
      cancelTransition: undefined,
    });
  }
}

/** After recovery: tables with an ACTIVE destination listen to the change feed again. */
export function resumeDestinations(runtime: DestinationsRuntime, tables: Iterable<TableView>): void {
  for (const table of tables) if (destinationsOf(table) !== undefined) runtime.refresh(table);
}
