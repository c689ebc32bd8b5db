/**
 * @magneto/core — Amazon DynamoDB, embedded.
 *
 * @example
 * import { Database, createRequestHandler } from '@magneto/core';
 */
export {
  Database,
  type DatabaseOptions,
  type DynamoDBOperations,
  type DynamoDBOperationName,
  type OperationInput,
  type OperationOutput,
  type OperationMethods,
  type DatabaseView,
} from './database.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
export type { Savepoint } from './checkpoint/savepoint.js';
export { createRequestHandler, type MagnetoRequestHandler, type RequestHandlerOptions } from './aws/request-handler.js';
/** For servers of the protocol (`@magneto/server`): the UnknownOperationException the request handler answers. */
export { unknownOperation } from './aws/request-handler.js';
/** For servers of the protocol (`@magneto/server`): request ids shaped like DynamoDB's, the same the request handler answers with. */
export { nextRequestId } from './aws/request-id.js';
/** For servers of the protocol (`@magneto/server`): the headers of every answer and its Content-Type, as the request handler answers them. */
export { responseHeaders, replyContentType } from './aws/response-headers.js';
/**
 * For in-process transports of the protocol (`@magneto/testing`) and modules that read and write DynamoDB JSON
 * (export and import files): the wire's decoding of a JSON body (base64 `B`/`BS` to bytes) and its encoding.
 */
export { decodeRequestBody, encodeResponseBody, decodeBase64, encodeBase64 } from './aws/wire-json.js';
export { memoryStorage } from './persistence/memory-storage.js';
export type { StorageAdapter, StorageSession } from './persistence/storage-adapter.js';
export { durableStorage } from './persistence/durable-storage-adapter.js';
export { StoreFailedError, type Durability, type DurableStorageOptions } from './persistence/durable-store.js';
export { StoreLockedError, type LogDevice, type LogAppender } from './persistence/log-device.js';
export { encryptedDevice, plainDevice, EncryptionKeyError } from './persistence/encryption/index.js';
export { indexedDbStorage, IndexedDbLogDevice, type IndexedDbStorageOptions, type IndexedDbImplementation } from './browser/index.js';
export type { PersistentModule } from './persistence/persistent-module.js';
/** For modules that keep items in their persisted state: core's escaping of `__proto__` names for msgpack, and restoring decoded items as stored items. */
export { encodableItem, storedItem } from './persistence/codec.js';
/** For modules that keep many items compactly in memory (PITR history): core's msgpack codec of item batches. */
export { encodeRecords, decodeRecords } from './persistence/codec.js';
export type { RecoveryProgress, RecoveryReport, StoreDamage } from './persistence/recovery-report.js';
export * from './ttl/index.js';
export * from './capacity/index.js';
export * from './faults/index.js';
export * from './journal/index.js';
export type { StorageOptions } from './storage/table-storage.js';
export { keyValueBytes, type KeyValue } from './model/compare-keys.js';
export { md5 } from './storage/md5.js';
export { CopyOnWriteMap } from './storage/copy-on-write-map.js';
export { itemSize, knownItemSize } from './model/item-size.js';
export {
  DynamoDBError,
  ValidationException,
  SerializationException,
  UnknownOperationException,
  ResourceNotFoundException,
  ResourceInUseException,
  ConditionalCheckFailedException,
  DuplicateItemException,
  LimitExceededException,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  InternalServerError,
  ItemCollectionSizeLimitExceededException,
  TransactionCanceledException,
  TransactionInProgressException,
  TransactionConflictException,
  IdempotentParameterMismatchException,
  ExpiredIteratorException,
  TrimmedDataAccessException,
  AccessDeniedException,
  UnrecognizedClientException,
  PolicyNotFoundException,
  type CancellationReason,
  type ThrottlingReason,
} from './errors.js';
export type { AttributeValue, AttributeType, ScalarAttributeType, Item, Key } from './model/attribute-value.js';
export type { PrimaryKeySchema, KeyAttribute } from './model/key-schema.js';
export type { ChangeRecord, ChangeBatch, ChangeEventName, ChangeOrigin, TransactionTokenEntry } from './modules/change-record.js';
export type { ChangeListenerErrorHandler } from './modules/change-listener-error.js';
export type {
  DatabaseModule,
  ModuleContext,
  AdmissionHook,
  OperationRequest,
  OperationEntry,
  OperationEffect,
  ServiceName,
  Services,
  TableParameterHandler,
  TableEvent,
  VisibilityFilter,
  RequestCaller,
} from './modules/module.js';
export type { TableView, PartitionView, IndexView } from './tables/table-view.js';
export type { IndexProjection, IndexStatus } from './tables/secondary-index.js';
export * from './modules/request-validation.js';
export type { TableSnapshot } from './tables/table-snapshot.js';
export type { TableStatus, BillingMode, TableClass, KeySchemaElement, AttributeDefinition, Tag } from './tables/table-state.js';
export type { TableDescription } from './tables/table-description.js';
export type { CreateTableInput, CreateTableOutput } from './operations/create-table.js';
export type { DescribeTableInput, DescribeTableOutput } from './operations/describe-table.js';
export type { ListTablesInput, ListTablesOutput } from './operations/list-tables.js';
export type { UpdateTableInput, UpdateTableOutput } from './operations/update-table.js';
export type { DeleteTableInput, DeleteTableOutput } from './operations/delete-table.js';
export type { PutItemInput, PutItemOutput } from './operations/put-item.js';
export type { GetItemInput, GetItemOutput } from './operations/get-item.js';
export type { UpdateItemInput, UpdateItemOutput, UpdateItemReturnValues } from './operations/update-item.js';
export type { DeleteItemInput, DeleteItemOutput } from './operations/delete-item.js';
export type { QueryInput, QueryOutput, Condition } from './operations/query.js';
export type { ScanInput, ScanOutput } from './operations/scan.js';
export type {
  TransactWriteItem,
  TransactWriteItemsInput,
  TransactWriteItemsOutput,
} from './operations/transact-write-items.js';
export type { TransactGetItem, TransactGetItemsInput, TransactGetItemsOutput } from './operations/transact-get-items.js';
export type { BatchGetItemInput, BatchGetItemOutput, KeysAndAttributes } from './operations/batch-get-item.js';
export type { BatchWriteItemInput, BatchWriteItemOutput, WriteRequest } from './operations/batch-write-item.js';
export type { Select } from './operations/validation/read-request.js';
export type { ConsumedCapacity, ReturnConsumedCapacity } from './operations/consumed-capacity.js';
export * from './table-api/index.js';
export * from './tags/index.js';
export * from './access-control/index.js';
/** For test fixtures (`@magneto/testing`): a native JS value as an AttributeValue, as the Table API writes it (undefined for `undefined` and an empty Set). */
export { encodeValue } from './table-api/marshall.js';
/** For `@magneto/testing`'s matchers: an AttributeValue as a native JS value, as the Table API reads it without a schema. */
export { decodeValue } from './table-api/marshall.js';
