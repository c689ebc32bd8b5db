import type { Engine } from '../engine.js';
import { itemSize } from '../model/item-size.js';
import type { AttributeDefinition, BillingMode, KeySchemaElement, TableClass, TableState, TableStatus } from './table-state.js';

/** DynamoDB's TableDescription, as the SDK shapes it (dates are `Date`s; the wire carries epoch seconds). */
export interface TableDescription {
  AttributeDefinitions: AttributeDefinition[];
  TableName: string;
  KeySchema: KeySchemaElement[];
  TableStatus: TableStatus;
  CreationDateTime: Date;
  ProvisionedThroughput: {
    LastIncreaseDateTime?: Date;
    LastDecreaseDateTime?: Date;
    NumberOfDecreasesToday: number;
    ReadCapacityUnits: number;
    WriteCapacityUnits: number;
  };
  TableSizeBytes: number;
  ItemCount: number;
  TableArn: string;
  TableId: string;
  BillingModeSummary: { BillingMode: BillingMode; LastUpdateToPayPerRequestDateTime?: Date };
  TableClassSummary: { TableClass: TableClass };
  DeletionProtectionEnabled: boolean;
  [field: string]: unknown;
}

const sizeCache = new WeakMap<TableState, { version: number; bytes: number }>();

/** The table's size in bytes, recomputed only after writes (DynamoDB itself refreshes it every ~6 hours). */
function tableSizeBytes(table: TableState): number {
  const cached = sizeCache.get(table);
  if (cached && cached.version === table.storage.version) return cached.bytes;
  let bytes = 0;
  for (const [, item] of table.storage.entries()) bytes += itemSize(item);
  sizeCache.set(table, { version: table.storage.version, bytes });
  return bytes;
}

/** Builds the TableDescription DescribeTable, CreateTable, UpdateTable and DeleteTable answer with. */
export function describeTableState(engine: Engine, table: TableState): TableDescription {
  const throughput: TableDescription['ProvisionedThroughput'] = {
    NumberOfDecreasesToday: table.throughput.numberOfDecreasesToday,
    ReadCapacityUnits: table.throughput.readCapacityUnits,
    WriteCapacityUnits: table.throughput.writeCapacityUnits,
  };
  if (table.throughput.lastIncreaseDateTime !== undefined) {
    throughput.LastIncreaseDateTime = new Date(table.throughput.lastIncreaseDateTime);
  }
  if (table.throughput.lastDecreaseDateTime !== undefined) {
    throughput.LastDecreaseDateTime = new Date(table.throughput.lastDecreaseDateTime);
  }
  const billing: TableDescription['BillingModeSummary'] = { BillingMode: table.billingMode };
  if (table.lastUpdateToPayPerRequestDateTime !== undefined) {
    billing.LastUpdateToPayPerRequestDateTime = new Date(table.lastUpdateToPayPerRequestDateTime);
  }
  const description: TableDescription = {
    AttributeDefinitions: table.attributeDefinitions.map((d) => ({ ...d })),
    TableName: table.name,
    KeySchema: table.keySchemaElements.map((e) => ({ ...e })),
    TableStatus: table.status,
    CreationDateTime: new Date(table.creationDateTime),
    ProvisionedThroughput: throughput,
    TableSizeBytes: tableSizeBytes(table),
    ItemCount: table.storage.itemCount,
    TableArn: table.arn,
    TableId: table.id,
    BillingModeSummary: billing,
    TableClassSummary: { TableClass: table.tableClass },
    DeletionProtectionEnabled: table.deletionProtectionEnabled,
  };
  for (const contribute of engine.descriptionContributors) contribute(table, description);
  return description;
}
