/** The typed Table API: schemas, tables, conditions, sort key conditions, transactions and batches. */
export { attr, AttributeSchema, type AttributeKind, type AttributeSchemas, type InferItem } from './attribute-schema.js';
export { Decimal } from './decimal.js';
export {
  defineTable,
  TableSchema,
  type ItemOf,
  type KeyScalar,
  type TableDefinition,
  type CreateTableOptions,
  type CreateTableRequest,
  type IndexInput,
  type GlobalIndexInput,
  type LocalIndexInput,
  type IndexInfo,
  type IndexDefinition,
} from './table-schema.js';
export {
  Table,
  TableIndex,
  type TableKey,
  type KeyQuery,
  type Projected,
  type IndexItem,
  type Draft,
  type ReadOptions,
  type PutOptions,
  type WriteOptions,
  type QueryOptions,
  type ScanOptions,
  type TableOptions,
} from './table.js';
export { TableCondition, type ConditionBuilder, type ConditionInput, type SizeBuilder, type PathConditions } from './condition.js';
export { sortKey, SortKeyCondition } from './sort-key.js';
export { Paged, type Page } from './paged.js';
export { sdkOperations, type TableOperations, type DynamoDBCommands, type CommandSender, type CommandClass } from './operation-port.js';
export { transactWrite, transactGet, batchGet, batchWrite, WriteAction, GetAction, type GetResults, type TransactWriteOptions } from './actions.js';
