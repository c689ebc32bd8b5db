import type { TableView } from '@magneto/core';
import type { ApproximateCreationDateTimePrecision } from './kinesis-record.js';

/** DynamoDB's DestinationStatus. */
export type DestinationStatus = 'ENABLING' | 'ACTIVE' | 'DISABLING' | 'DISABLED' | 'ENABLE_FAILED' | 'UPDATING';

/** One entry of DescribeKinesisStreamingDestination's KinesisDataStreamDestinations. */
export interface KinesisDataStreamDestination {
  StreamArn: string;
  DestinationStatus: DestinationStatus;
  DestinationStatusDescription?: string;
  ApproximateCreationDateTimePrecision?: ApproximateCreationDateTimePrecision;
}

/** One stream a table was ever enabled onto. */
export interface Destination {
  readonly streamArn: string;
  status: DestinationStatus;
  /** Why enabling failed (ENABLE_FAILED only). */
  description: string | undefined;
  /** Absent until Enable or Update sets it; records are then written at MILLISECOND. */
  precision: ApproximateCreationDateTimePrecision | undefined;
  /** Cancels the pending ENABLING/DISABLING/UPDATING transition. */
  cancelTransition: (() => void) | undefined;
}

/** A table's destinations, newest first: at most one live (not DISABLED or ENABLE_FAILED), any number of others. */
export interface TableDestinations {
  readonly entries: Destination[];
  /** The table's partition key attribute, for the records' Kinesis partition key. */
  readonly partitionKeyName: string;
}

/** The key of this feature's state in the table's module state (`TableView.getModuleState`): it goes away with the table. */
const STATE_KEY = 'streams.kinesis';

/** The table's destinations, if any was ever enabled. */
export function destinationsOf(table: TableView): TableDestinations | undefined {
  return table.getModuleState(STATE_KEY) as TableDestinations | undefined;
}

/** The table's destinations, created empty on first use. */
export function ensureDestinations(table: TableView): TableDestinations {
  let state = destinationsOf(table);
  if (!state) {
    state = { entries: [], partitionKeyName: table.keySchema.partitionKeys[0].name };
    table.setModuleState(STATE_KEY, state);
  }
  return state;
}

/** Whether a destination occupies the table's one slot (DynamoDB refuses to enable another meanwhile). */
export function isLive(status: DestinationStatus): boolean {
  return status !== 'DISABLED' && status !== 'ENABLE_FAILED';
}

/** Whether changes are written to the destination's stream (ACTIVE, or ACTIVE with a precision change pending). */
export function isDelivering(status: DestinationStatus): boolean {
  return status === 'ACTIVE' || status === 'UPDATING';
}

/** The table's live destination, if any. */
export function liveDestination(state: TableDestinations | undefined): Destination | undefined {
  if (!state) return undefined;
  for (const destination of state.entries) if (isLive(destination.status)) return destination;
  return undefined;
}
