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
): ConsumedCapacity | undefined {
  if (mode === 'TOTAL') return { TableName: tableName, CapacityUnits: tableUnits };
  if (mode === 'INDEXES') return { TableName: tableName, CapacityUnits: tableUnits, Table: { CapacityUnits: tableUnits } };
  return undefined;
}
