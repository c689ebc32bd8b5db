import type { Engine } from '../engine.js';
import type { Item } from '../model/attribute-value.js';
import { writeCapacityUnits, type ConsumedCapacity, type ReturnConsumedCapacity } from '../model/capacity.js';
import type { TableState } from '../tables/table-state.js';
import { indexWriteSizes } from '../tables/index-maintenance.js';
import { indexesCapacity, type IndexUnits } from '../modules/request-context.js';

export type { ConsumedCapacity, ReturnConsumedCapacity } from '../model/capacity.js';
export type { IndexUnits } from '../modules/request-context.js';

/**
 * Shapes ConsumedCapacity for a single-table request as DynamoDB does: TOTAL gives the table name and the
 * total; INDEXES adds the table's own share and each secondary index's.
 */
export function consumedCapacity(
  mode: ReturnConsumedCapacity | undefined,
  tableName: string,
  tableUnits: number,
  indexUnits?: readonly IndexUnits[],
): ConsumedCapacity | undefined {
  if (mode === 'INDEXES') return indexesCapacity(tableName, tableUnits, indexUnits);
  if (mode !== 'TOTAL') return undefined;
  let total = tableUnits;
  if (indexUnits !== undefined) for (const entry of indexUnits) total += entry.units;
  return { TableName: tableName, CapacityUnits: total };
}

/**
 * Whether a request's consumed capacity is to be worked out: the caller asked for it (TOTAL or INDEXES),
 * or admission hooks read it (Engine.capacitySink is set).
 */
export function measuresCapacity(engine: Engine, mode: ReturnConsumedCapacity | undefined): boolean {
  return mode === 'TOTAL' || mode === 'INDEXES' || engine.capacitySink !== undefined;
}

/**
 * ConsumedCapacity as the caller asked for it (consumedCapacity); while admission hooks measure the
 * request (Engine.capacitySink), its INDEXES detail also goes to them, so the answer is never reshaped.
 */
export function chargedCapacity(
  engine: Engine,
  mode: ReturnConsumedCapacity | undefined,
  tableName: string,
  tableUnits: number,
  indexUnits?: readonly IndexUnits[],
): ConsumedCapacity | undefined {
  engine.capacitySink?.add(tableName, tableUnits, indexUnits);
  return consumedCapacity(mode, tableName, tableUnits, indexUnits);
}

/**
 * chargedCapacity for the reads a write operation made (a replayed TransactWriteItems reads its items):
 * DynamoDB reports them as ReadCapacityUnits beside the total (and, for INDEXES, the table's share), which
 * is also how admission hooks tell them from writes.
 */
export function chargedReadCapacity(engine: Engine, mode: ReturnConsumedCapacity | undefined, tableName: string, units: number): ConsumedCapacity | undefined {
  engine.capacitySink?.addEntry({ TableName: tableName, CapacityUnits: units, ReadCapacityUnits: units, Table: { CapacityUnits: units, ReadCapacityUnits: units } });
  if (mode === 'INDEXES') return { TableName: tableName, CapacityUnits: units, ReadCapacityUnits: units, Table: { CapacityUnits: units, ReadCapacityUnits: units } };
  return mode === 'TOTAL' ? { TableName: tableName, CapacityUnits: units, ReadCapacityUnits: units } : undefined;
}

/**
 * The write units each secondary index consumed for a write from `old` to `next` (undefined: absent),
 * for ConsumedCapacity: 1 unit per started KB of each index entry written or deleted.
 */
export function indexWriteUnits(table: TableState, old: Item | undefined, next: Item | undefined): IndexUnits[] | undefined {
  if (table.indexes.length === 0) return undefined;
  return indexWriteSizes(table, old, next).map(({ index, bytes }) => ({
    name: index.name,
    kind: index.kind,
    units: bytes.reduce((sum, b) => sum + writeCapacityUnits(b), 0),
  }));
}
