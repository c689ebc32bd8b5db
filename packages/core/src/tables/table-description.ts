import { describeProjection, type IndexProjection, type IndexStatus, type SecondaryIndex } from './secondary-index.js';
import type { AttributeDefinition, BillingMode, KeySchemaElement, TableClass, TableState, TableStatus, ThroughputState } from './table-state.js';

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
  LocalSecondaryIndexes?: LocalSecondaryIndexDescription[];
  GlobalSecondaryIndexes?: GlobalSecondaryIndexDescription[];
  [field: string]: unknown;
}

/** DynamoDB's ProvisionedThroughputDescription. */
export interface ProvisionedThroughputDescription {
  LastIncreaseDateTime?: Date;
  LastDecreaseDateTime?: Date;
  NumberOfDecreasesToday: number;
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

/** DynamoDB's LocalSecondaryIndexDescription. */
export interface LocalSecondaryIndexDescription {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType: IndexProjection['ProjectionType']; NonKeyAttributes?: string[] };
  IndexSizeBytes: number;
  ItemCount: number;
  IndexArn: string;
}

/** DynamoDB's GlobalSecondaryIndexDescription. */
export interface GlobalSecondaryIndexDescription extends LocalSecondaryIndexDescription {
  IndexStatus: IndexStatus;
  /** Only while a GSI added by UpdateTable is being backfilled. */
  Backfilling?: boolean;
  ProvisionedThroughput: ProvisionedThroughputDescription;
}

function describeThroughput(state: ThroughputState): ProvisionedThroughputDescription {
  const throughput: ProvisionedThroughputDescription = {
    NumberOfDecreasesToday: state.numberOfDecreasesToday,
    ReadCapacityUnits: state.readCapacityUnits,
    WriteCapacityUnits: state.writeCapacityUnits,
  };
  if (state.lastIncreaseDateTime !== undefined) throughput.LastIncreaseDateTime = new Date(state.lastIncreaseDateTime);
  if (state.lastDecreaseDateTime !== undefined) throughput.LastDecreaseDateTime = new Date(state.lastDecreaseDateTime);
  return throughput;
}

function describeLocalIndex(index: SecondaryIndex): LocalSecondaryIndexDescription {
  return {
    IndexName: index.name,
    KeySchema: index.keySchemaElements.map((e) => ({ ...e })),
    Projection: describeProjection(index.projection),
    IndexSizeBytes: index.storage.sizeBytes,
    ItemCount: index.storage.itemCount,
    IndexArn: index.arn,
  };
}

function describeGlobalIndex(index: SecondaryIndex): GlobalSecondaryIndexDescription {
  const description: GlobalSecondaryIndexDescription = {
    IndexName: index.name,
    KeySchema: index.keySchemaElements.map((e) => ({ ...e })),
    Projection: describeProjection(index.projection),
    IndexStatus: index.status,
    ProvisionedThroughput: describeThroughput(index.throughput ?? { readCapacityUnits: 0, writeCapacityUnits: 0, numberOfDecreasesToday: 0 }),
    IndexSizeBytes: index.storage.sizeBytes,
    ItemCount: index.storage.itemCount,
    IndexArn: index.arn,
  };
  if (index.backfilling) description.Backfilling = true;
  return description;
}

/** Adds a module's fields to a table's description, given the module's read-only view of the table. */
export type DescriptionContributor<View> = (table: View, description: Record<string, unknown>) => void;

/**
 * Builds the TableDescription DescribeTable, CreateTable, UpdateTable and DeleteTable answer with. @internal
 * `engine` is the engine (any holder of the contributors and the table views: tables sit below the engine
 * and do not import it).
 */
export function describeTableState<View>(
  engine: { readonly descriptionContributors: readonly DescriptionContributor<View>[]; viewOf(table: TableState): View },
  table: TableState,
): TableDescription {
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
    TableSizeBytes: table.storage.sizeBytes,
    ItemCount: table.storage.itemCount,
    TableArn: table.arn,
    TableId: table.id,
    BillingModeSummary: billing,
    TableClassSummary: { TableClass: table.tableClass },
    DeletionProtectionEnabled: table.deletionProtectionEnabled,
  };
  if (table.indexes.length > 0) {
    const local = table.indexes.filter((i) => i.kind === 'LSI');
    const global = table.indexes.filter((i) => i.kind === 'GSI');
    if (local.length > 0) description.LocalSecondaryIndexes = local.map(describeLocalIndex);
    if (global.length > 0) description.GlobalSecondaryIndexes = global.map(describeGlobalIndex);
  }
  for (const contribute of engine.descriptionContributors) contribute(engine.viewOf(table), description);
  return description;
}
