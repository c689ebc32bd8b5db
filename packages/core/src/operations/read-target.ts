import { ValidationException } from '../errors.js';
import { keyAttributesOf, type KeyAttribute, type PrimaryKeySchema } from '../model/key-schema.js';
import type { TableStorage } from '../storage/table-storage.js';
import type { SecondaryIndex } from '../tables/secondary-index.js';
import type { TableState } from '../tables/table-state.js';

/** What a Query or Scan reads: the table itself, or one of its secondary indexes. */
export interface ReadTarget {
  readonly table: TableState;
  readonly index: SecondaryIndex | undefined;
  readonly storage: TableStorage;
  /** The key schema the items are ordered by (the index's for an index). */
  readonly keySchema: PrimaryKeySchema;
  /** LastEvaluatedKey's attributes: the table's key, then the index's key attributes not among them. */
  readonly startKeyAttributes: readonly KeyAttribute[];
}

// One ReadTarget per table or index, made on its first read.
const targets = new WeakMap<object, ReadTarget>();

/**
 * The table or index a request reads. Throws "The table does not have the specified index: …" and
 * "Consistent reads are not supported on global secondary indexes" (dynalite actions/query.js, scan.js).
 */
export function readTarget(table: TableState, indexName: string | undefined | null, consistentRead: boolean): ReadTarget {
  if (indexName === undefined || indexName === null) {
    let target = targets.get(table);
    if (target === undefined) {
      target = {
        table,
        index: undefined,
        storage: table.storage,
        keySchema: table.keySchema,
        startKeyAttributes: keyAttributesOf(table.keySchema),
      };
      targets.set(table, target);
    }
    return target;
  }
  const index = table.index(indexName);
  if (index === undefined) throw new ValidationException(`The table does not have the specified index: ${indexName}`);
  if (index.kind === 'GSI' && consistentRead) throw new ValidationException('Consistent reads are not supported on global secondary indexes');
  // A GSI being created online is not readable until its backfill ends (boto3 reports of DynamoDB's error).
  if (index.backfilling) throw new ValidationException('Cannot read from backfilling global secondary index');
  let target = targets.get(index);
  if (target === undefined || target.table !== table) {
    const attributes = keyAttributesOf(table.keySchema);
    for (const attribute of keyAttributesOf(index.keySchema)) {
      if (!attributes.some((a) => a.name === attribute.name)) attributes.push(attribute);
    }
    target = { table, index, storage: index.storage, keySchema: index.keySchema, startKeyAttributes: attributes };
    targets.set(index, target);
  }
  return target;
}
