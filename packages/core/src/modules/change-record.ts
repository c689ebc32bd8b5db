import type { Item, Key } from '../model/attribute-value.js';

/** What a committed write did to one item. */
export type ChangeEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** Who made a change: a user request, the TTL sweeper, global-table replication, or a restore. */
export type ChangeOrigin = 'user' | 'ttl' | 'replication' | 'restore';

/** One item's change, as published on the change feed after its write commits. */
export interface ChangeRecord {
  /** Increases by one with every record the database publishes. */
  readonly sequenceNumber: number;
  readonly tableName: string;
  readonly eventName: ChangeEventName;
  /** The item's primary key attributes. */
  readonly keys: Key;
  /** The item before the write (MODIFY, REMOVE). */
  readonly oldImage?: Item | undefined;
  /** The item after the write (INSERT, MODIFY). */
  readonly newImage?: Item | undefined;
  /** When the write committed, in milliseconds of the database clock. */
  readonly timestamp: number;
  readonly origin: ChangeOrigin;
}

/** The records of one committed write: one record for a single-item write, all of a transaction's at once. */
export interface ChangeBatch {
  readonly records: readonly ChangeRecord[];
}
