/** One piece of damage recovery found, and what it did about it. */
export interface StoreDamage {
  /** The file (log segment, snapshot or manifest) where it was found, or that is missing. */
  readonly file: string;
  /** Byte offset of the first unreadable byte (0 for a whole file). */
  readonly offset: number;
  /**
   * `torn`: a record cut short (a write interrupted by a crash; never acknowledged under `strict`);
   * `checksum`: a record whose CRC-32 does not match (corruption); `length`: an impossible record
   * length; `format`: a record that decodes to something unexpected; `sequence`: records missing
   * between two files; `unreplayed`: a later log file that could not be replayed after earlier damage;
   * `missing`: a file the manifest names is gone, or a log segment is empty or cut inside its header
   * (the records it held are lost), or the manifest itself is gone.
   */
  readonly reason: 'torn' | 'checksum' | 'length' | 'format' | 'sequence' | 'unreplayed' | 'missing';
  /** Bytes not recovered from this file. */
  readonly discardedBytes: number;
  /**
   * Where the log stops because of this damage: the LSN of the first log record not recovered. Writes
   * acknowledged from it on are lost (under `strict`, a `torn` record never was acknowledged). Absent
   * when the damage cost no log record (e.g. a snapshot, with an older one and the log to fall back on).
   */
  readonly lostFromLsn?: number;
  /** What recovery did: e.g. truncated the log after the last intact record, kept the bytes aside. */
  readonly action: string;
}

/** What opening a durable store found and did: read it from `db.recoveryReport`. */
export interface RecoveryReport {
  /** The snapshot recovery started from, if any. */
  readonly snapshot: string | undefined;
  /** Log records replayed after the snapshot. */
  readonly replayedRecords: number;
  /** Items in all tables after recovery. */
  readonly items: number;
  readonly tables: number;
  /** Time to recover, in milliseconds. */
  readonly durationMs: number;
  /** Every problem found; empty when the store was intact. */
  readonly damage: readonly StoreDamage[];
}

/**
 * How far a durable store's recovery has got, passed to `onRecoveryProgress` while it opens (a large
 * store takes seconds: ~600,000 items, tens of seconds).
 */
export interface RecoveryProgress {
  /** `snapshot`: loading the items of the newest snapshot; `log`: replaying the log records after it. */
  readonly phase: 'snapshot' | 'log';
  /** The snapshot or log segment being read. */
  readonly file: string;
  /** Items loaded from snapshots so far. */
  readonly items: number;
  /** Log records replayed so far. */
  readonly replayedRecords: number;
  /** How much of `file` has been read, from 0 to 1. */
  readonly fileFraction: number;
}
