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

/**
 * What TransactWriteItems remembers of a request with a ClientRequestToken, for its idempotency window:
 * the request's fingerprint, when it committed (database clock) and its answer.
 */
export interface TransactionTokenEntry {
  readonly token: string;
  readonly fingerprint: string;
  readonly committedAt: number;
  readonly output: unknown;
}

/** The records of one committed write: one record for a single-item write, all of a transaction's at once. */
export interface ChangeBatch {
  readonly records: readonly ChangeRecord[];
  /**
   * A TransactWriteItems with a ClientRequestToken: the token it committed with (its batch is published
   * even when it changed no item, so durable storage keeps the token with the transaction's changes).
   */
  readonly transactionToken?: TransactionTokenEntry;
}
