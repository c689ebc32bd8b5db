import type { KeyAttribute, PrimaryKeySchema } from '../model/key-schema.js';
import type { ScalarAttributeType } from '../model/attribute-value.js';
import { TableStorage, type StorageOptions } from '../storage/table-storage.js';
import type { SecondaryIndex } from './secondary-index.js';
import type { CopyOnWriteMap } from '../storage/copy-on-write-map.js';

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
  /**
   * Every secondary index (LSIs, then GSIs, in definition order), including GSIs still CREATING or
   * DELETING: writes maintain them all. Replaced (never mutated) when UpdateTable adds or drops a GSI,
   * so a writer may iterate it safely. Empty for most tables: the write path checks `length` first.
   */
  indexes: readonly SecondaryIndex[] = [];
  /**
   * Tables with LSIs: the size of each item collection (table items plus LSI entries of one partition
   * key, keyed by its sortable partition key string), in bytes. Undefined for tables without LSIs.
   */
  collectionSizes: CopyOnWriteMap<string, number> | undefined;
  /** The item-collection size above which writes that grow a collection fail (tables with LSIs). */
  itemCollectionSizeLimitBytes = 10 * 1024 * 1024 * 1024;
  /** The table's AttributeDefinitions: its key attributes and every index's (UpdateTable adds and prunes). */
  attributeDefinitions: readonly AttributeDefinition[];

  constructor(
    readonly name: string,
    readonly id: string,
    readonly arn: string,
    readonly keySchemaElements: readonly KeySchemaElement[],
    attributeDefinitions: readonly AttributeDefinition[],
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
    this.attributeDefinitions = attributeDefinitions;
    this.billingMode = settings.billingMode;
    this.lastUpdateToPayPerRequestDateTime = undefined;
    this.throughput = settings.throughput;
    this.tableClass = settings.tableClass;
    this.deletionProtectionEnabled = settings.deletionProtectionEnabled;
    this.tags = settings.tags;
    this.keySchema = resolveKeySchema(keySchemaElements, attributeDefinitions);
    this.storage = new TableStorage(storageOptions);
  }

  /** The secondary index with this name (any kind, any status), if any. */
  index(name: string): SecondaryIndex | undefined {
    for (const index of this.indexes) if (index.name === name) return index;
    return undefined;
  }

  /** The table's GSIs, in definition order. */
  get globalIndexes(): SecondaryIndex[] {
    return this.indexes.filter((i) => i.kind === 'GSI');
  }

  /** The table's LSIs, in definition order. */
  get localIndexes(): SecondaryIndex[] {
    return this.indexes.filter((i) => i.kind === 'LSI');
  }
}

/** Resolves a KeySchema (table or index) against AttributeDefinitions into a PrimaryKeySchema. */
export function resolveKeySchema(
  elements: readonly KeySchemaElement[],
  definitions: readonly AttributeDefinition[],
): PrimaryKeySchema {
  const attribute = (element: KeySchemaElement): KeyAttribute => {
    const definition = definitions.find((d) => d.AttributeName === element.AttributeName);
    if (!definition) throw new Error(`key attribute ${element.AttributeName} has no definition`);
    return { name: element.AttributeName, type: definition.AttributeType };
  };
  const hashes = elements.filter((e) => e.KeyType === 'HASH');
  const ranges = elements.filter((e) => e.KeyType === 'RANGE');
  if (hashes.length === 0) throw new Error('key schema has no HASH element');
  return { partitionKeys: [attribute(hashes[0]!), ...hashes.slice(1).map(attribute)], sortKeys: ranges.map(attribute) };
}
