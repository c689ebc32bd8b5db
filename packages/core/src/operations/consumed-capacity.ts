import type { Item } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity.js';
import type { TableState } from '../tables/table-state.js';
import { indexWriteSizes } from '../tables/index-maintenance.js';
import { setMember } from '../model/set-member.js';

/** DynamoDB's ConsumedCapacity response element. */
export interface ConsumedCapacity {
  TableName: string;
  CapacityUnits: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits: number }>;
}

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE';

/**
 * Shapes ConsumedCapacity for a single-table request as DynamoDB does: TOTAL gives the table name and the
 * total; INDEXES adds the table's own share (and, once tables have indexes, each index's).
 */
export function consumedCapacity(
  mode: ReturnConsumedCapacity | undefined,
  tableName: string,
  tableUnits: number,
  indexUnits?: readonly IndexUnits[],
): ConsumedCapacity | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  let total = tableUnits;
  if (indexUnits !== undefined) for (const entry of indexUnits) total += entry.units;
  if (mode === 'TOTAL') return { TableName: tableName, CapacityUnits: total };
  const out: ConsumedCapacity = { TableName: tableName, CapacityUnits: total, Table: { CapacityUnits: tableUnits } };
  if (indexUnits !== undefined) {
    for (const entry of indexUnits) {
      const field = entry.kind === 'GSI' ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
      setMember((out[field] ??= {}), entry.name, { CapacityUnits: entry.units });
    }
  }
  return out;
}

/** The capacity one secondary index consumed. */
export interface IndexUnits {
  readonly name: string;
  readonly kind: 'GSI' | 'LSI';
  readonly units: number;
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
