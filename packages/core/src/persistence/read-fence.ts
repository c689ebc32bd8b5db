import type { ChangeBatch } from '../modules/change-record.js';
import type { CatalogChange } from './catalog.js';

/**
 * Strict durability's read fence: which log record last touched each table, so a request that reads
 * (or fails, revealing what it saw) answers only once the state it could have seen is durable. DynamoDB
 * never shows a write before it is durable; a read of a table with nothing pending answers at once.
 */
export class ReadFence {
  /** Table name → the LSN (records logged, counting it) of the last record that touched the table. */
  private readonly lastLsn = new Map<string, number>();

  /** Notes that the log record ending at `lsn` holds `batch`'s changes and/or `catalog`'s. O(records). */
  logged(lsn: number, batch: ChangeBatch | undefined, catalog: readonly CatalogChange[] | undefined): void {
    if (batch !== undefined) for (const record of batch.records) this.lastLsn.set(record.tableName, lsn);
    if (catalog !== undefined) for (const change of catalog) this.lastLsn.set(change.name, lsn);
  }

  /**
   * The LSN a request must see durable before it answers: the last record that touched one of `tables`
   * (the table names or ARNs its catalog entry says it reads, see `tablesOfRequest`), or `everything` (the
   * last record logged) when they cannot be told (`tables` undefined: ListTables, streams' GetRecords, a
   * malformed request).
   */
  lsnFor(tables: readonly string[] | undefined, everything: number, tableNameOf: (nameOrArn: string) => string): number {
    if (tables === undefined) return everything;
    let lsn = 0;
    for (const nameOrArn of tables) lsn = Math.max(lsn, this.lastLsn.get(tableNameOf(nameOrArn)) ?? 0);
    return lsn;
  }
}
