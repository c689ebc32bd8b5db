import type { AttributeDefinition, CreateTableInput, KeySchemaElement, ModuleContext, TableDescription } from '@magneto/core';

/** A secondary index as CreateTable takes it (and the restore overrides give it). */
export interface SecondaryIndexInput {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

/** The overrides RestoreTableFromBackup and RestoreTableToPointInTime accept. */
export interface RestoreOverrides {
  BillingModeOverride?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughputOverride?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  OnDemandThroughputOverride?: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number };
  GlobalSecondaryIndexOverride?: SecondaryIndexInput[];
  LocalSecondaryIndexOverride?: SecondaryIndexInput[];
  SSESpecificationOverride?: { Enabled?: boolean; SSEType?: 'AES256' | 'KMS'; KMSMasterKeyId?: string };
}

/** The source table's description as DescribeTable gives it now (what a backup or a restore copies from). */
export function describeSource(context: ModuleContext, tableName: string): TableDescription {
  return (context.execute('DynamoDB_20120810', 'DescribeTable', { TableName: tableName }) as { Table: TableDescription }).Table;
}

/**
 * The CreateTable request of a restore: the source's key schema, attribute definitions, secondary
 * indexes, billing mode and throughput (an on-demand table's OnDemandThroughput too), table class, with the
 * overrides applied. Not carried over, as DynamoDB documents: streams, TTL, point-in-time recovery, tags,
 * auto scaling, deletion protection. Encryption at rest (SSESpecificationOverride) is the restore's own
 * (restore-table.ts): core does not model it (CreateTable accepts SSESpecification and ignores it).
 */
export function restoreTableInput(source: TableDescription, targetTableName: string, overrides: RestoreOverrides): CreateTableInput {
  const billingMode = overrides.BillingModeOverride ?? source.BillingModeSummary.BillingMode;
  const provisioned = billingMode === 'PROVISIONED';
  const tableThroughput = overrides.ProvisionedThroughputOverride ?? throughputOf(source.ProvisionedThroughput);
  const globals: SecondaryIndexInput[] =
    overrides.GlobalSecondaryIndexOverride ??
    (source.GlobalSecondaryIndexes ?? []).map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      ProvisionedThroughput: throughputOf(index.ProvisionedThroughput),
    }));
  const locals: SecondaryIndexInput[] =
    overrides.LocalSecondaryIndexOverride ?? (source.LocalSecondaryIndexes ?? []).map((index) => ({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection }));
  const input: CreateTableInput = {
    TableName: targetTableName,
    KeySchema: source.KeySchema.map((e) => ({ ...e })),
    AttributeDefinitions: [],
    BillingMode: billingMode,
    TableClass: source.TableClassSummary.TableClass,
  };
  if (provisioned) input.ProvisionedThroughput = tableThroughput;
  // An on-demand table's maximum throughput (capacity()'s OnDemandThroughput) carries over unless overridden.
  const onDemand = overrides.OnDemandThroughputOverride ?? (source as { OnDemandThroughput?: RestoreOverrides['OnDemandThroughputOverride'] }).OnDemandThroughput;
  if (!provisioned && onDemand !== undefined) (input as CreateTableInput & { OnDemandThroughput?: unknown }).OnDemandThroughput = { ...onDemand };
  if (globals.length > 0) {
    input.GlobalSecondaryIndexes = globals.map((index) => {
      const { ProvisionedThroughput, ...rest } = index;
      // A PROVISIONED restore of an on-demand source's index takes the table's throughput.
      const throughput = ProvisionedThroughput !== undefined && ProvisionedThroughput.ReadCapacityUnits > 0 ? ProvisionedThroughput : tableThroughput;
      return provisioned ? { ...rest, ProvisionedThroughput: throughput } : rest;
    }) as NonNullable<CreateTableInput['GlobalSecondaryIndexes']>;
  }
  if (locals.length > 0) input.LocalSecondaryIndexes = locals as NonNullable<CreateTableInput['LocalSecondaryIndexes']>;
  input.AttributeDefinitions = definitionsFor(source.AttributeDefinitions, [input.KeySchema, ...globals.map((i) => i.KeySchema), ...locals.map((i) => i.KeySchema)]);
  return input;
}

function throughputOf(description: { ReadCapacityUnits: number; WriteCapacityUnits: number }): { ReadCapacityUnits: number; WriteCapacityUnits: number } {
  return { ReadCapacityUnits: description.ReadCapacityUnits, WriteCapacityUnits: description.WriteCapacityUnits };
}

/** The source's attribute definitions the restored table's key schemas use (an index left out leaves its attributes out). */
function definitionsFor(definitions: readonly AttributeDefinition[], schemas: ReadonlyArray<readonly KeySchemaElement[]>): AttributeDefinition[] {
  const used = new Set(schemas.flatMap((schema) => schema.map((e) => e.AttributeName)));
  // An override naming an attribute the source never defined: CreateTable says what is missing.
  return definitions.filter((d) => used.has(d.AttributeName)).map((d) => ({ ...d }));
}

/** BackupDescription's SourceTableDetails, from the source's description at backup time. */
export function sourceTableDetails(source: TableDescription): Record<string, unknown> {
  const details: Record<string, unknown> = {
    TableName: source.TableName,
    TableId: source.TableId,
    TableArn: source.TableArn,
    TableSizeBytes: source.TableSizeBytes,
    KeySchema: source.KeySchema,
    TableCreationDateTime: source.CreationDateTime,
    ProvisionedThroughput: throughputOf(source.ProvisionedThroughput),
    ItemCount: source.ItemCount,
    BillingMode: source.BillingModeSummary.BillingMode,
  };
  return details;
}

/** BackupDescription's SourceTableFeatureDetails: the source's indexes, stream and TTL settings at backup time. */
export function sourceTableFeatureDetails(source: TableDescription, timeToLive: unknown): Record<string, unknown> {
  const features: Record<string, unknown> = {};
  if (source.LocalSecondaryIndexes !== undefined) {
    features.LocalSecondaryIndexes = source.LocalSecondaryIndexes.map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection }));
  }
  if (source.GlobalSecondaryIndexes !== undefined) {
    features.GlobalSecondaryIndexes = source.GlobalSecondaryIndexes.map((i) => ({
      IndexName: i.IndexName,
      KeySchema: i.KeySchema,
      Projection: i.Projection,
      ProvisionedThroughput: throughputOf(i.ProvisionedThroughput),
    }));
  }
  if (source.StreamSpecification !== undefined) features.StreamDescription = source.StreamSpecification;
  if (timeToLive !== undefined) features.TimeToLiveDescription = timeToLive;
  if (source.SSEDescription !== undefined) features.SSEDescription = source.SSEDescription;
  return features;
}
