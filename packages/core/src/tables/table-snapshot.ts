import type { PrimaryKeySchema } from '../model/key-schema.js';
import type { TableStorage } from '../storage/table-storage.js';

/** A consistent, read-only view of a table's items at one moment (backups, exports, scans). */
export interface TableSnapshot {
  readonly tableName: string;
  readonly keySchema: PrimaryKeySchema;
  /** When the snapshot was taken, in milliseconds of the database clock. */
  readonly takenAt: number;
  /** The items, frozen in time: writes after the snapshot do not show here. */
  readonly storage: TableStorage;
}
