/**
 * DynamoDB's capacity-unit arithmetic: a read unit covers 4 KB read with strong consistency (an eventually
 * consistent read costs half), a write unit covers 1 KB written; sizes round up, and every request costs
 * at least one unit (half for an eventually consistent read).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html
 */

/** Read capacity units for reading `bytes` (0 when no item was found still costs the minimum). */
export function readCapacityUnits(bytes: number, consistentRead: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistentRead ? units : units / 2;
}

/** Write capacity units for writing `bytes` (0 when no item existed still costs one unit). */
export function writeCapacityUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

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
