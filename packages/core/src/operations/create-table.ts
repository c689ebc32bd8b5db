import type { Engine } from '../engine.js';
import { ResourceInUseException } from '../errors.js';
import { newSecondaryIndex, type IndexProjection, type SecondaryIndex } from '../tables/secondary-index.js';
import { describeTableState, type TableDescription } from '../tables/table-description.js';
import {
  TableState,
  type AttributeDefinition,
  type BillingMode,
  type KeySchemaElement,
  type TableClass,
  type Tag,
} from '../tables/table-state.js';
import { validateCreateTableInput } from './validation/validate-create-table-input.js';
import { applyModuleParameters, checkModuleParameters } from './table-parameters.js';
import { tagsOfNewTable } from '../tags/validate-tags.js';
import { CopyOnWriteMap } from '../storage/copy-on-write-map.js';

export interface CreateTableInput {
  TableName: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  BillingMode?: BillingMode;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  TableClass?: TableClass;
  DeletionProtectionEnabled?: boolean;
  Tags?: Tag[];
  LocalSecondaryIndexes?: Array<{ IndexName: string; KeySchema: KeySchemaElement[]; Projection: IndexProjection }>;
  GlobalSecondaryIndexes?: Array<{
    IndexName: string;
    KeySchema: KeySchemaElement[];
    Projection: IndexProjection;
    ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  }>;
  /** Parameters implemented by modules (e.g. StreamSpecification). */
  [parameter: string]: unknown;
}

export interface CreateTableOutput {
  TableDescription: TableDescription;
}

/** CreateTable: defines a table; it answers CREATING and turns ACTIVE after `tableTransitionMs`. @internal */
export function createTable(engine: Engine, input: CreateTableInput): CreateTableOutput {
  validateCreateTableInput(input);
  checkModuleParameters(engine, input);
  const name = input.TableName;
  if (engine.tables.has(name)) throw new ResourceInUseException(`Table already exists: ${name}`);

  const billingMode = input.BillingMode ?? 'PROVISIONED';
  const provisioned = billingMode === 'PROVISIONED' ? input.ProvisionedThroughput : undefined;
  const table = new TableState(
    name,
    globalThis.crypto.randomUUID(),
    `arn:aws:dynamodb:${engine.region}:${engine.accountId}:table/${name}`,
    input.KeySchema.map((e) => ({ AttributeName: e.AttributeName, KeyType: e.KeyType })),
    input.AttributeDefinitions.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    engine.clock.now(),
    {
      billingMode,
      throughput: {
        readCapacityUnits: provisioned?.ReadCapacityUnits ?? 0,
        writeCapacityUnits: provisioned?.WriteCapacityUnits ?? 0,
        numberOfDecreasesToday: 0,
      },
      tableClass: input.TableClass ?? 'STANDARD',
      deletionProtectionEnabled: input.DeletionProtectionEnabled ?? false,
      tags: tagsOfNewTable(input.Tags),
    },
    engine.storageLayout,
  );
  if (billingMode === 'PAY_PER_REQUEST') table.lastUpdateToPayPerRequestDateTime = table.creationDateTime;
  const indexes: SecondaryIndex[] = [];
  for (const lsi of input.LocalSecondaryIndexes ?? []) {
    indexes.push(
      newSecondaryIndex(
        { name: lsi.IndexName, kind: 'LSI', keySchemaElements: lsi.KeySchema, projection: lsi.Projection, status: 'ACTIVE' },
        table.attributeDefinitions,
        table.keySchema,
        table.arn,
        engine.storageLayout,
      ),
    );
  }
  for (const gsi of input.GlobalSecondaryIndexes ?? []) {
    const units = billingMode === 'PROVISIONED' ? gsi.ProvisionedThroughput : undefined;
    indexes.push(
      newSecondaryIndex(
        {
          name: gsi.IndexName,
          kind: 'GSI',
          keySchemaElements: gsi.KeySchema,
          projection: gsi.Projection,
          status: 'CREATING',
          throughput: {
            readCapacityUnits: units?.ReadCapacityUnits ?? 0,
            writeCapacityUnits: units?.WriteCapacityUnits ?? 0,
            numberOfDecreasesToday: 0,
          },
        },
        table.attributeDefinitions,
        table.keySchema,
        table.arn,
        engine.storageLayout,
      ),
    );
  }
  table.indexes = indexes;
  if (input.LocalSecondaryIndexes !== undefined) table.collectionSizes = new CopyOnWriteMap();
  table.itemCollectionSizeLimitBytes = engine.itemCollectionSizeLimitBytes;
  applyModuleParameters(engine, table, input, 'CreateTable');

  engine.tables.set(name, table);
  const description = describeTableState(engine, table);
  engine.emitTableEvent('created', table);
  engine.scheduleTransition(
    table,
    () => {
      table.status = 'ACTIVE';
      for (const index of table.indexes) index.status = 'ACTIVE';
    },
    'active',
  );
  return { TableDescription: description };
}
