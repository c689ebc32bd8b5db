import type { KeyAttribute, PrimaryKeySchema } from '../model/key-schema.js';
import type { ScalarAttributeType } from '../model/attribute-value.js';
import { TableStorage, type StorageOptions } from '../storage/table-storage.js';

/** DynamoDB's table lifecycle states. */
export type TableStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';

export interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}
export interface AttributeDefinition {
  readonly AttributeName: string;
  readonly AttributeType: ScalarAttributeType;
}
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** A table's provisioned throughput and its change history (DescribeTable's ProvisionedThroughput). */
export interface ThroughputState {
  readCapacityUnits: number;
  writeCapacityUnits: number;
  lastIncreaseDateTime?: number | undefined;
  lastDecreaseDateTime?: number | undefined;
  numberOfDecreasesToday: number;
}

/** Everything the database knows about one table: its definition, status, settings and items. */
export class TableState {
  status: TableStatus = 'CREATING';
  billingMode: BillingMode;
  lastUpdateToPayPerRequestDateTime: number | undefined;
  throughput: ThroughputState;
  tableClass: TableClass;
  deletionProtectionEnabled: boolean;
  tags: Tag[];
  /** Per-module settings and state (e.g. the streams module's StreamSpecification), keyed by module name. */
  readonly moduleState = new Map<string, unknown>();
  /** Cancels the pending status transition (CREATING → ACTIVE, …), if any. */
  cancelTransition: (() => void) | undefined;
  readonly keySchema: PrimaryKeySchema;
  readonly storage: TableStorage;

  constructor(
    readonly name: string,
    readonly id: string,
    readonly arn: string,
    readonly keySchemaElements: readonly KeySchemaElement[],
    readonly attributeDefinitions: readonly AttributeDefinition[],
    readonly creationDateTime: number,
    settings: {
      billingMode: BillingMode;
      throughput: ThroughputState;
      tableClass: TableClass;
      deletionProtectionEnabled: boolean;
      tags: Tag[];
    },
    storageOptions: StorageOptions,
  ) {
    this.billingMode = settings.billingMode;
    this.lastUpdateToPayPerRequestDateTime = undefined;
    this.throughput = settings.throughput;
    this.tableClass = settings.tableClass;
    this.deletionProtectionEnabled = settings.deletionProtectionEnabled;
    this.tags = settings.tags;
    this.keySchema = resolveKeySchema(keySchemaElements, attributeDefinitions);
    this.storage = new TableStorage(storageOptions);
  }
}

function resolveKeySchema(
  elements: readonly KeySchemaElement[],
  definitions: readonly AttributeDefinition[],
): PrimaryKeySchema {
  const attribute = (element: KeySchemaElement): KeyAttribute => {
    const definition = definitions.find((d) => d.AttributeName === element.AttributeName);
    if (!definition) throw new Error(`key attribute ${element.AttributeName} has no definition`);
    return { name: element.AttributeName, type: definition.AttributeType };
  };
  const hash = elements.find((e) => e.KeyType === 'HASH');
  const range = elements.find((e) => e.KeyType === 'RANGE');
  if (!hash) throw new Error('key schema has no HASH element');
  return { partitionKey: attribute(hash), sortKey: range ? attribute(range) : undefined };
}
