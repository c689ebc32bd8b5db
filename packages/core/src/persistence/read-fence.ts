import type { ChangeBatch } from '../modules/change-record.js';
import type { ServiceName } from '../modules/module.js';
import type { CatalogChange } from './catalog.js';

/** Operations whose input names every table they read, in `TableName`. */
const SINGLE_TABLE = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'DescribeTable', 'DescribeTimeToLive']);
/** Operations whose input names every table they read as the keys of `RequestItems`. */
const REQUEST_ITEMS = new Set(['BatchGetItem', 'BatchWriteItem']);
/** Operations whose input names every table they read in `TransactItems[].<action>.TableName`. */
const TRANSACT_ITEMS = new Set(['TransactGetItems', 'TransactWriteItems']);

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
   * The LSN a request must see durable before it answers: the last record that touched a table its input
   * names, or `everything` (the last record logged) when its tables cannot be told from its input (a
   * module's operation, ListTables, streams' GetRecords, a malformed request).
   */
  lsnFor(service: ServiceName, operation: string, input: unknown, everything: number, tableNameOf: (nameOrArn: string) => string): number {
    const tables = service === 'DynamoDB_20120810' ? tablesOfRequest(operation, input) : undefined;
    if (tables === undefined) return everything;
    let lsn = 0;
    for (const nameOrArn of tables) lsn = Math.max(lsn, this.lastLsn.get(tableNameOf(nameOrArn)) ?? 0);
    return lsn;
  }
}

/** The table names (or ARNs) a DynamoDB request names, or undefined when they cannot be told from it. */
function tablesOfRequest(operation: string, input: unknown): string[] | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const request = input as Record<string, unknown>;
  if (SINGLE_TABLE.has(operation)) return typeof request.TableName === 'string' ? [request.TableName] : undefined;
  if (REQUEST_ITEMS.has(operation)) {
    const items = request.RequestItems;
    return items !== null && typeof items === 'object' ? Object.keys(items) : undefined;
  }
  if (!TRANSACT_ITEMS.has(operation) || !Array.isArray(request.TransactItems)) return undefined;
  const tables: string[] = [];
  for (const item of request.TransactItems as unknown[]) {
    if (item === null || typeof item !== 'object') return undefined;
    for (const action of Object.values(item)) {
      const tableName = (action as { TableName?: unknown } | null)?.TableName;
      if (typeof tableName !== 'string') return undefined;
      tables.push(tableName);
    }
  }
  return tables;
}
