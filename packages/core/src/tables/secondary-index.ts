import type { AttributeValue, Item } from '../model/attribute-value.js';
import { keyAttributesOf, type PrimaryKeySchema } from '../model/key-schema.js';
import type { StorageKey } from '../storage/storage-key.js';
import { TableStorage, type StorageOptions } from '../storage/table-storage.js';
import { resolveKeySchema, type AttributeDefinition, type KeySchemaElement, type ThroughputState } from './table-state.js';
import { memberOf, setMember } from '../model/set-member.js';

/** Which attributes an index copies from the table's items (DynamoDB's Projection). */
export interface IndexProjection {
  readonly ProjectionType: 'KEYS_ONLY' | 'INCLUDE' | 'ALL';
  readonly NonKeyAttributes?: readonly string[] | undefined;
}

export type IndexStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';

/**
 * A global or local secondary index of a table: its own key schema, projection and partitioned storage.
 * Its storage holds, for every table item that has all the index's key attributes (indexes are sparse),
 * the item's projection under the index key plus the table key as a tiebreak (`StorageKey.tableKey`),
 * and identifies items by their table primary key. Maintained atomically with every table write
 * (tables/write-item.ts).
 *
 * Reading an index (Query/Scan with IndexName): `storage.itemCollection(hash, partitionKey, …)` and
 * `storage.scanRange(…)` exactly as on a table, where `hash`/`partitionKey` come from the index's
 * partition key value (`indexStorageKey` in index-placement.ts); each entry's `StorageKey.tableKey` breaks
 * ties between equal index keys (pass it back in `from.tableKey` to resume after an
 * ExclusiveStartKey). The stored value is the item itself for ALL (the very frozen object the table
 * holds) and a frozen projection otherwise: `projectedAttributes` says which attributes it has.
 */
export interface SecondaryIndex {
  readonly name: string;
  readonly kind: 'GSI' | 'LSI';
  /** The index's key schema (an LSI's partition key is the table's). */
  readonly keySchema: PrimaryKeySchema;
  /** The KeySchema as the request gave it (DescribeTable echoes it). */
  readonly keySchemaElements: readonly KeySchemaElement[];
  readonly projection: IndexProjection;
  readonly storage: TableStorage;
  status: IndexStatus;
  /** True while a GSI created by UpdateTable is being backfilled (DescribeTable's `Backfilling`). */
  backfilling: boolean;
  /** A GSI's provisioned throughput (zeros on PAY_PER_REQUEST tables); undefined for LSIs. */
  throughput: ThroughputState | undefined;
  /** `arn:aws:dynamodb:<region>:<account>:table/<table>/index/<name>` */
  readonly arn: string;
  /**
   * The attributes an entry holds, or undefined for ALL (every attribute): the index key, the table
   * key and, for INCLUDE, the NonKeyAttributes.
   */
  readonly projectedAttributes: ReadonlySet<string> | undefined;
}

/** An index storage names its entries by their table primary key identity (`StorageKey.tableKey`). */
const byTableKey = (key: StorageKey | { readonly partitionKey: string; readonly sortKey: string }): string =>
  (key as StorageKey).tableKey as string;

/** What CreateTable or UpdateTable's GSI Create defines an index with. */
export interface SecondaryIndexDefinition {
  readonly name: string;
  readonly kind: 'GSI' | 'LSI';
  readonly keySchemaElements: readonly KeySchemaElement[];
  readonly projection: IndexProjection;
  /** GSIs: the provisioned throughput (zeros on PAY_PER_REQUEST tables). */
  readonly throughput?: ThroughputState | undefined;
  readonly status: IndexStatus;
  readonly backfilling?: boolean;
}

/** A new, empty secondary index of a table (`tableArn`) with the given key schema and attribute definitions. */
export function newSecondaryIndex(
  definition: SecondaryIndexDefinition,
  attributeDefinitions: readonly AttributeDefinition[],
  tableKeySchema: PrimaryKeySchema,
  tableArn: string,
  storageOptions: StorageOptions,
): SecondaryIndex {
  const keySchema = resolveKeySchema(definition.keySchemaElements, attributeDefinitions);
  const projection: IndexProjection =
    definition.projection.ProjectionType === 'INCLUDE'
      ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...(definition.projection.NonKeyAttributes ?? [])] }
      : { ProjectionType: definition.projection.ProjectionType };
  return {
    name: definition.name,
    kind: definition.kind,
    keySchema,
    keySchemaElements: definition.keySchemaElements.map((e) => ({ AttributeName: e.AttributeName, KeyType: e.KeyType })),
    projection,
    storage: new TableStorage(storageOptions, byTableKey),
    status: definition.status,
    backfilling: definition.backfilling ?? false,
    throughput: definition.kind === 'GSI' ? (definition.throughput ?? { readCapacityUnits: 0, writeCapacityUnits: 0, numberOfDecreasesToday: 0 }) : undefined,
    arn: `${tableArn}/index/${definition.name}`,
    projectedAttributes: projectedAttributesOf(projection, keySchema, tableKeySchema),
  };
}

/** Resolves an index definition (key schema against the table's attribute definitions). */
function projectedAttributesOf(
  projection: IndexProjection,
  indexKey: PrimaryKeySchema,
  tableKey: PrimaryKeySchema,
): ReadonlySet<string> | undefined {
  if (projection.ProjectionType === 'ALL') return undefined;
  const names = new Set<string>();
  for (const schema of [indexKey, tableKey]) for (const attribute of keyAttributesOf(schema)) names.add(attribute.name);
  if (projection.ProjectionType === 'INCLUDE') for (const name of projection.NonKeyAttributes ?? []) names.add(name);
  return names;
}

/**
 * What an index stores for a table item: the item itself for ALL (shared, not copied), otherwise a
 * frozen copy of just its projected attributes.
 */
export function projectItemForIndex(index: SecondaryIndex, item: Item): Item {
  const names = index.projectedAttributes;
  if (names === undefined) return item;
  const projected: Record<string, AttributeValue> = {};
  for (const name of names) {
    const value = memberOf(item, name);
    if (value !== undefined) setMember(projected, name, value);
  }
  return Object.freeze(projected);
}

/** Index description for DescribeTable's `Projection` (a fresh copy). */
export function describeProjection(projection: IndexProjection): { ProjectionType: IndexProjection['ProjectionType']; NonKeyAttributes?: string[] } {
  const out: { ProjectionType: IndexProjection['ProjectionType']; NonKeyAttributes?: string[] } = {
    ProjectionType: projection.ProjectionType,
  };
  if (projection.NonKeyAttributes !== undefined) out.NonKeyAttributes = [...projection.NonKeyAttributes];
  return out;
}
